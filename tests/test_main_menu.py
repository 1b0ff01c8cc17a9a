"""The signed-in menu is rendered once per language and set of badges (app/menu.py main_menu):
each page still gets the menu of its own user, language and CSRF token."""

from __future__ import annotations

import re

from app.remembered import CSRF_SLOT
from tests import factories


def _menu(page: str) -> str:
    return page[page.index('<nav aria-label'):page.index("</nav>")]


def test_the_menu_follows_the_language_of_each_page(client, practitioner):
    client.login_as(practitioner)
    dutch = _menu(client.get("/").text)
    assert "Mijn logs" in dutch and "Uitloggen" in dutch and "Sign out" not in dutch
    client.submit("/language", {"language": "en", "next": "/"})
    english = _menu(client.get("/").text)
    assert "My logs" in english and "Sign out" in english and "Uitloggen" not in english
    client.submit("/language", {"language": "nl", "next": "/"})
    again = _menu(client.get("/").text)
    assert "Mijn logs" in again and "My logs" not in again


def _token(menu: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', menu)
    assert found is not None
    return found.group(1)


def test_signing_out_from_the_menu_works_with_the_token_it_shows(app, practitioner):
    for _visit in range(2):  # the second menu comes from memory: its token is still the page's own
        browser = app.test_client()
        browser.login_as(practitioner)
        token = _token(_menu(browser.get("/").text))
        assert token != CSRF_SLOT
        signed_out = browser.post("/logout", data={"csrf_token": token})
        assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/login"
        assert browser.get("/").status_code == 302  # signed out indeed


def test_each_user_gets_the_menu_of_their_own_roles(app, org, team, practitioner):
    admin = factories.user(org, "beheer@example.org", org_roles=("admin",))
    seen = {}
    for person in (practitioner, admin, practitioner):
        browser = app.test_client()
        browser.login_as(person)
        seen.setdefault(person.email, []).append("Beheer" in _menu(browser.get("/").text))
    assert seen == {practitioner.email: [False, False], "beheer@example.org": [True]}


def test_a_page_reads_its_menu_with_the_user_in_one_statement(app, org, practitioner):
    """On a GET the menu's badges and roles come in load_user's own statement (app.menu
    PAGE_FACTS): no menu statement of its own, and no separate roles query on an admin page."""
    from tests.test_statement_counts import statements_of

    admin = factories.user(org, "beheer@example.org", org_roles=("admin",))
    for person, path in ((practitioner, "/goals/"), (admin, "/admin/users")):
        browser = app.test_client()
        browser.login_as(person)
        statements = [" ".join(s.split()) for s in statements_of(app, browser, path)]
        menu = [s for s in statements if "FROM reflection_prompts" in s]
        assert len(menu) == 1 and "FROM users" in menu[0], statements
        assert not [s for s in statements if s.startswith("SELECT organisation_roles.role FROM")], statements


def test_a_form_sent_back_with_errors_shows_the_menu_of_its_user(app, org, team, practitioner):
    """A POST reads the user alone; the menu it shows with the form's errors reads its own facts."""
    from datetime import timedelta

    from app.db import utcnow

    schedule = factories.schedule(owner=practitioner, since=utcnow() - timedelta(days=14))
    factories.prompt(practitioner, schedule, due_at=utcnow() - timedelta(hours=1))
    client = app.test_client()
    client.login_as(practitioner)
    badge = r'class="tag badge">1<span class="visually-hidden"> [^<]+</span>'
    assert re.search(badge, _menu(client.get("/logs/new").text))
    sent_back = client.submit("/logs/new", {"session_date": "geen datum"})
    assert sent_back.status_code == 400
    menu = _menu(sent_back.text)
    assert re.search(badge, menu), menu
