"""On PostgreSQL, the statements of the pages opened most are planned once per connection.

psycopg prepares a statement that runs a few times; the server then plans it for the values at hand
five times, and keeps one plan for any values when that looks no dearer. A statement whose plan
for any values looks dearer (a bound OFFSET, a bound LIMIT) is planned anew on every run: on the
home page that was half a millisecond of the server's time per request, more than running it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import text

from tests import factories

BOUND_ROWS = re.compile(r"\b(?:LIMIT|OFFSET) \$\d")  # how many rows, as a parameter
RUNS = 40  # per page: the pool's connections take turns, and each must see a statement 10+ times


def _plans(app) -> tuple[Counter[str], Counter[str]]:
    """Per statement text, over every connection in the pool: plans made for any values, for the
    values at hand."""
    engine = app.extensions["db"]["engine"]
    connections = [engine.connect() for _ in range(engine.pool.checkedin())]
    generic: Counter[str] = Counter()
    custom: Counter[str] = Counter()
    try:
        for conn in connections:
            for statement, made_generic, made_custom in conn.execute(text(
                    "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")):
                key = " ".join(statement.split())
                generic[key] += made_generic
                custom[key] += made_custom
    finally:
        for conn in connections:
            conn.close()
    return generic, custom


def test_the_pages_opened_most_are_not_planned_anew_on_every_request(app, client, org, team, practitioner,
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
    generic, custom = _plans(app)
    bound = [f"{statement[:60]} … {statement[-120:]}" for statement in custom
             if BOUND_ROWS.search(statement)]
    assert not bound, bound
    replanned = [statement[:160] for statement, made in custom.items()
                 if made + generic[statement] >= 10 and generic[statement] == 0]
    assert not replanned, replanned
