"""A log's and a reflection's page read their row with the signed-in user (app.security.page_row):
one statement fewer, and the same answer for everyone, also for a row that is not theirs to read.
With the user they also read whether the row has feedback or a shared client answer at all
(app.security.page_has); without any, the page reads none, and shows that there is none."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.clientvoice import helpers as voice
from tests.coaching import helpers as coaching
from tests.test_statement_counts import statements_of

OWN_READS = {"log": re.compile(r"^SELECT practice_logs\."),
             "reflection": re.compile(r"^SELECT reflections\.")}
JOINED = {"log": re.compile(r"\bJOIN practice_logs\b"), "reflection": re.compile(r"\bJOIN reflections\b")}


@pytest.fixture
def items(practitioner, coach) -> dict[str, str]:
    log = factories.practice_log(practitioner)
    reflection = factories.reflection(practitioner)
    factories.share(reflection, coach)
    return {"log": f"/logs/{log.id}", "reflection": f"/reflection/{reflection.id}"}


@pytest.mark.parametrize("kind", ["log", "reflection"])
@pytest.mark.parametrize("reader", ["practitioner", "coach"])
def test_the_page_reads_its_row_with_the_user(app, client, items, practitioner, coach, kind, reader):
    client.login_as(practitioner if reader == "practitioner" else coach)
    statements = statements_of(app, client, items[kind])
    assert not [s for s in statements if OWN_READS[kind].search(s)], "the row was read on its own"
    user_statement = next(s for s in statements if s.startswith("SELECT users."))
    assert JOINED[kind].search(user_statement)


@pytest.mark.parametrize("kind", ["log", "reflection"])
def test_a_row_read_with_the_user_is_still_refused_to_whom_may_not_read_it(
        app, client, items, org, other_org, practitioner, kind):
    colleague = factories.user(org, "collega@example.org")  # neither author nor coach
    outsider = factories.user(other_org, "buiten@example.org", org_roles=["admin"])
    for user in (colleague, outsider):  # 404: whether it exists is not theirs to know either
        client.login_as(user)
        assert client.get(items[kind]).status_code == 404, (user.email, kind)
    client.login_as(practitioner)
    missing = re.sub(r"\d+$", "999999", items[kind])
    assert client.get(missing).status_code == 404
    assert client.get(items[kind]).status_code == 200


def test_a_private_log_read_with_the_user_stays_closed_to_the_coach(app, client, practitioner, coach):
    log = factories.practice_log(practitioner, private=True)
    client.login_as(coach)
    assert client.get(f"/logs/{log.id}").status_code == 404


FEEDBACK_READ = re.compile(r"^SELECT coach_feedback\.")
ANSWERS_READ = re.compile(r"^SELECT client_ratings\.")


def _reads(statements: list[str], pattern: re.Pattern[str]) -> int:
    return sum(1 for s in statements if pattern.search(s))


def test_a_log_without_feedback_or_a_shared_answer_reads_neither(app, client, practitioner, coach):
    bare = factories.practice_log(practitioner)
    kept_to_themselves = factories.practice_log(practitioner)
    voice.rating(kept_to_themselves, (1, 1, 1), shared=False)  # counts in aggregates only
    coached = factories.practice_log(practitioner)
    coaching.ask(coached, practitioner, coach)
    given = coaching.feedback(coach, coached)
    voice.rating(coached, (4, 4, 4), shared=True)
    client.login_as(practitioner)
    for log in (bare, kept_to_themselves):
        statements = statements_of(app, client, f"/logs/{log.id}")
        assert _reads(statements, FEEDBACK_READ) == 0 and _reads(statements, ANSWERS_READ) == 0
        page = client.get(f"/logs/{log.id}").text
        assert "Nog geen antwoord gedeeld." in page and "/coaching/feedback/" not in page
    statements = statements_of(app, client, f"/logs/{coached.id}")
    assert _reads(statements, FEEDBACK_READ) == 1 and _reads(statements, ANSWERS_READ) == 1
    page = client.get(f"/logs/{coached.id}").text
    assert f'href="/coaching/feedback/{given.id}"' in page and "100 van 100" in page


def test_the_coach_reads_their_feedback_on_a_log_and_nothing_on_one_without(app, client, practitioner, coach):
    bare = factories.practice_log(practitioner)
    coached = factories.practice_log(practitioner)
    coaching.ask(coached, practitioner, coach)
    given = coaching.feedback(coach, coached)
    client.login_as(coach)
    assert _reads(statements_of(app, client, f"/logs/{bare.id}"), FEEDBACK_READ) == 0
    assert f'href="/coaching/feedback/{given.id}"' in client.get(f"/logs/{coached.id}").text


def test_a_reflection_without_feedback_reads_none(app, client, practitioner, coach):
    quiet = factories.reflection(practitioner)
    answered = factories.reflection(practitioner)
    for reflection in (quiet, answered):
        factories.share(reflection, coach)
    given = coaching.feedback(coach, answered)
    for reader in (practitioner, coach):
        client.login_as(reader)
        assert _reads(statements_of(app, client, f"/reflection/{quiet.id}"), FEEDBACK_READ) == 0
        assert "/coaching/feedback/" not in client.get(f"/reflection/{quiet.id}").text
        assert _reads(statements_of(app, client, f"/reflection/{answered.id}"), FEEDBACK_READ) == 1
        page = client.get(f"/reflection/{answered.id}").text
        assert f'href="/coaching/feedback/{given.id}"' in page
