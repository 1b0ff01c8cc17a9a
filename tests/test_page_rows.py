"""A log's and a reflection's page read their row with the signed-in user (app.security.page_row):
one statement fewer, and the same answer for everyone, also for a row that is not theirs to read."""

from __future__ import annotations

import re

import pytest

from tests import factories
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
