"""The reflection menu shows each role only what it can use; a prompt card has one primary action."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.db import utcnow
from tests import factories

MINE, PROMPTS, PLANS = "Mijn reflecties", "Reflectievragen", "Planningen"
GROUPS, SKJ, SHARED = "Groepsbijeenkomsten", "SKJ-uren", "Met mij gedeeld"


def menu(client, path: str = "/reflection/inbox") -> list[str]:
    return links(client.get(path).text)


def links(page: str) -> list[str]:
    nav = re.search(r'<nav class="subnav" aria-label="Reflectie">(.*?)</nav>', page, re.S)
    assert nav, "no reflection menu"
    return [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<a [^>]*>.*?</a>", nav.group(1), re.S)]


def test_a_practitioner_sees_no_planning_until_keeping_a_rhythm_of_their_own(client, practitioner):
    client.login_as(practitioner)
    assert menu(client) == [MINE, PROMPTS, GROUPS, SKJ]
    factories.schedule(owner=practitioner, since=utcnow() - timedelta(days=1))
    assert menu(client) == [MINE, PROMPTS, PLANS, GROUPS, SKJ]


@pytest.mark.parametrize("role, expected", [
    ("lead", [MINE, PROMPTS, PLANS, GROUPS, SKJ]),
    ("coach", [MINE, PROMPTS, PLANS, GROUPS, SKJ, SHARED]),
    ("admin", [MINE, PROMPTS]),
])
def test_each_role_sees_the_reflection_pages_it_can_use(client, request, role, expected):
    client.login_as(request.getfixturevalue(role))
    assert menu(client) == expected


def test_the_inbox_offers_a_rhythm_of_your_own_and_the_e_mail_settings(client, practitioner):
    client.login_as(practitioner)
    page = client.get("/reflection/inbox").text
    assert 'href="/reflection/schedules"' in page and 'href="/reflection/preferences"' in page


def test_a_prompt_card_has_one_primary_action(client, practitioner, team):
    sch = factories.schedule(team=team, since=utcnow() - timedelta(days=10))
    factories.prompt(practitioner, sch, due_at=utcnow() - timedelta(hours=1))
    client.login_as(practitioner)
    page = client.get("/reflection/inbox").text
    card = re.search(r'<article class="card prompt".*?</article>', page, re.S).group(0)
    assert len(re.findall(r'class="button[" ]', card)) == 1
    for later in ("Herinner me morgen", "Over drie dagen", "Wegleggen"):
        assert later in card


@pytest.mark.parametrize("path", ["/reflection/inbox", "/reflection/", "/reflection/groups",
                                  "/reflection/skj"])
def test_a_reflection_page_reads_its_menu_with_the_user(app, lead, path):
    """On a GET the sub-menu's facts come in load_user's own statement (subnav.PAGE_FACTS), for the
    pages of the three blueprints under /reflection; other pages do not read them at all."""
    from tests.test_statement_counts import statements_of

    client = app.test_client()
    client.login_as(lead)
    statements = [" ".join(s.split()) for s in statements_of(app, client, path)]
    subnav = [s for s in statements if "FROM reflection_schedules" in s]
    assert len(subnav) == 1 and "FROM users" in subnav[0], statements
    assert menu(client, path) == [MINE, PROMPTS, PLANS, GROUPS, SKJ]
    elsewhere = [" ".join(s.split()) for s in statements_of(app, client, "/goals/")]
    assert not [s for s in elsewhere if "FROM reflection_schedules" in s], elsewhere


def test_a_form_sent_back_with_errors_shows_the_menu_of_its_user(client, lead, practitioner):
    """A POST reads the user alone; the sub-menu it shows with the form's errors reads its facts,
    each person's own."""
    for person, expected in ((lead, [MINE, PROMPTS, PLANS, GROUPS, SKJ]),
                             (practitioner, [MINE, PROMPTS, GROUPS, SKJ])):
        client.login_as(person)
        sent_back = client.submit("/reflection/schedules/new",
                                  {"owner": "me", "kind": "one_off", "theme": ""})
        assert sent_back.status_code == 400
        assert links(sent_back.text) == expected
