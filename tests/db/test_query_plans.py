"""On PostgreSQL, the statements of the pages opened most carry their row counts in their text.

psycopg prepares a statement that runs a few times; the server then plans it for the values at hand
five times, and keeps one plan for any values when that looks no dearer. With a row count as a
parameter (LIMIT $1, OFFSET $2) that plan looks dearer, and the statement is planned anew on every
run: the home page's logs were, at over a millisecond of the server's time per request on a
million logs, more than running them (app.db.row_count). Whether a plan for any values looks dearer
for other reasons depends on the table's statistics, which a test database does not have; the
benchmark's data set does (bench/bench_pages.py).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests import factories

BOUND_ROWS = re.compile(r"\b(?:LIMIT|OFFSET) \$\d")  # how many rows, as a parameter
RUNS = 12  # per page: the pool's connections take turns, and psycopg prepares on a statement's 5th run


def _prepared(app) -> set[str]:
    """The statements that psycopg has prepared, on every connection in the pool."""
    engine = app.extensions["db"]["engine"]
    connections = [engine.connect() for _ in range(engine.pool.checkedin())]
    try:
        return {" ".join(statement.split()) for conn in connections
                for statement in conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()}
    finally:
        for conn in connections:
            conn.close()


def test_the_pages_opened_most_send_no_row_count_as_a_parameter(app, client, org, team, practitioner,
                                                                  coach, lead, admin):
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("how PostgreSQL plans prepared statements: the PostgreSQL half")
    log = factories.practice_log(practitioner)
    reflection = factories.reflection(practitioner)
    factories.share(reflection, coach)
    pages = {
        practitioner: ("/", "/logs", "/logs/new", f"/logs/{log.id}", f"/reflection/{reflection.id}",
                       "/reflection/inbox", "/coaching/mine", "/goals/", "/notifications/"),
        coach: ("/", "/coaching/", f"/logs/{log.id}", "/reflection/shared"),
        lead: ("/", "/dashboards/", "/reflection/groups", "/reflection/schedules"),
        admin: ("/admin/users", "/admin/teams", "/admin/privacy"),
    }
    for user, paths in pages.items():
        client.login_as(user)
        for path in paths:
            for _ in range(RUNS):
                assert client.get(path).status_code == 200, path
    prepared = _prepared(app)
    assert len(prepared) >= 20, "the pages' statements were not prepared"
    bound = [f"{statement[:60]} … {statement[-120:]}" for statement in prepared
             if BOUND_ROWS.search(statement)]
    assert not bound, bound
