"""Every page's SQL statements stay the same however many rows it shows.

Each signed-in page is opened once with a few rows to show and once with many more; the number of
statements the page runs must not change. A per-row query (a lazy load in a template, a lookup
per list item) makes the second count larger and fails the test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from app.db import db, utcnow
from tests import factories
from tests.coaching import helpers as coaching

PRACTITIONER_PAGES = ("/", "/logs", "/logs?page=2", "/reflection/inbox", "/reflection/", "/goals/",
                      "/notifications/", "/coaching/mine", "/dashboards/", "/dashboards/me", "/account")
COACH_PAGES = ("/", "/coaching/", "/reflection/shared", "/reflection/groups", "/goals/", "/dashboards/")
LEAD_PAGES = ("/", "/dashboards/", "/reflection/groups", "/reflection/schedules", "/reflection/skj")
ADMIN_PAGES = ("/admin/users", "/admin/teams", "/admin/catalogue", "/admin/privacy", "/admin/users/invite",
               "/dashboards/organisation")


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run while the block runs, as a list that fills up."""
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statements_of(app: Flask, client: Any, path: str) -> list[str]:
    """Statements of one GET of `path`, after a first GET that fills the process's caches."""
    first = client.get(path)
    assert first.status_code == 200, f"{path}: {first.status_code} {first.headers.get('Location')}"
    with counting(app) as statements:
        again = client.get(path)
    assert again.status_code == 200, path
    return statements


def counts(app: Flask, client: Any, paths: tuple[str, ...]) -> dict[str, list[str]]:
    return {path: statements_of(app, client, path) for path in paths}


def assert_same(few: dict[str, list[str]], many: dict[str, list[str]]) -> None:
    """The same number of statements per page; else the message shows the statements that repeat."""
    grown = {path: (len(few[path]), len(many[path])) for path in few if len(many[path]) != len(few[path])}
    repeated = {path: [" ".join(s.split())[:160] for s, n in Counter(many[path]).most_common(2) if n > 1]
                for path in grown}
    assert not grown, f"statements grew with the rows shown (few, many): {grown}; repeated: {repeated}"


@dataclass
class World:
    """An organisation with one person per role, that `grow` fills with `n` more of everything."""

    org: Any
    team: Any
    practitioner: Any
    coach: Any
    lead: Any
    admin: Any
    logs: list[Any] = field(default_factory=list)
    reflections: list[Any] = field(default_factory=list)
    made: int = 0

    def person(self, role: str, **kwargs: Any) -> Any:
        self.made += 1
        return factories.user(self.org, f"{role}{self.made}@example.org", **kwargs)

    def grow(self, n: int) -> None:
        now = utcnow()
        today = now.date()
        schedule = factories.schedule(owner=self.practitioner, since=now - timedelta(days=30))
        for i in range(n):
            self.made += 1
            log = factories.practice_log(
                self.practitioner, session_date=today - timedelta(days=self.made),
                ratings={"shared_decision_making": 4, "emotion_regulation": 3},
                techniques=("sdm_goals_asked", "sdm_decided_together"),
            )
            self.logs.append(log)
            factories.prompt(self.practitioner, schedule, due_at=now - timedelta(hours=self.made),
                             key=f"p{self.made}")
            reflection = factories.reflection(self.practitioner,
                                              created_at=now - timedelta(minutes=self.made))
            factories.share(reflection, self.coach)
            self.reflections.append(reflection)
            if i % 2 == 0:  # feedback asked and given: a notification and a goal source
                coaching.ask(log, self.practitioner, self.coach)
                coaching.feedback(self.coach, log)
            # The coach: another coachee, asking feedback on a log; the lead's team grows.
            coachee = self.person("coachee", team=self.team)
            factories.coach_assignment(self.coach, coachee, started_at=now - timedelta(days=1))
            coaching.ask(factories.practice_log(coachee), coachee, self.coach)
            factories.group_session(self.team, self.lead, [self.practitioner, coachee],
                                    session_date=today - timedelta(days=self.made))
            factories.schedule(team=self.team, since=now - timedelta(days=7))
            # The admin: more accounts with organisation roles, and more teams.
            self.person("officer", org_roles=["privacy_officer"])
            factories.team(self.org, f"Team {self.made:03d}")


@pytest.fixture
def world(org: Any, team: Any, practitioner: Any, coach: Any, lead: Any, admin: Any) -> World:
    built = World(org, team, practitioner, coach, lead, admin)
    built.grow(2)
    return built


def signed_in(app: Flask, user: Any) -> Any:
    client = app.test_client()
    client.login_as(user)
    return client


@pytest.mark.parametrize("role, paths", [
    ("practitioner", PRACTITIONER_PAGES), ("coach", COACH_PAGES), ("lead", LEAD_PAGES),
    ("admin", ADMIN_PAGES),
])
def test_a_page_runs_as_many_statements_for_many_rows_as_for_few(
    app: Flask, world: World, role: str, paths: tuple[str, ...]
) -> None:
    client = signed_in(app, getattr(world, role))
    few = counts(app, client, paths)
    world.grow(26)  # /logs then fills its first page (25) and has a second one
    many = counts(app, client, paths)
    assert_same(few, many)


def test_the_log_list_shows_a_full_page_when_counted(app: Flask, world: World) -> None:
    """The counts above are of full lists: the first page of /logs shows 25 logs, the home page 5."""
    world.grow(26)
    client = signed_in(app, world.practitioner)
    assert client.get("/logs").text.count('class="log-item"') == 25
    assert client.get("/").text.count('class="log-item"') == 5


@pytest.mark.parametrize("reader", ["practitioner", "coach"])
def test_a_log_and_a_reflection_cost_the_same_with_more_on_them(
    app: Flask, world: World, reader: str
) -> None:
    """One log or reflection by id: more elements, techniques and feedback on it, no more statements."""
    plain = factories.practice_log(world.practitioner, ratings={"shared_decision_making": 4},
                                   techniques=("sdm_goals_asked",))
    full = factories.practice_log(
        world.practitioner,
        ratings={"shared_decision_making": 4, "emotion_regulation": 3, "problem_solving": 5},
        techniques=("sdm_goals_asked", "sdm_decided_together", "er_validated", "er_emotion_named",
                    "ps_problem_defined"),
        participants=("youth", "parent"),
    )
    for log in (plain, full):
        coaching.ask(log, world.practitioner, world.coach)
    for _ in range(3):
        coaching.feedback(world.coach, full)
        coaching.ask(full, world.practitioner, world.coach)
    coaching.feedback(world.coach, plain)
    coaching.ask(plain, world.practitioner, world.coach)
    answers = {f"q{i}": f"Antwoord {i}." for i in range(6)}
    short = factories.reflection(world.practitioner)
    long = factories.reflection(world.practitioner, answers=answers)
    for reflection in (short, long):
        factories.share(reflection, world.coach)
    coaching.feedback(world.coach, short)
    for _ in range(3):
        coaching.feedback(world.coach, long)
    client = signed_in(app, getattr(world, reader))
    for kind, few, many in (("logs", plain, full), ("reflection", short, long)):
        assert_same({kind: statements_of(app, client, f"/{kind}/{few.id}")},
                    {kind: statements_of(app, client, f"/{kind}/{many.id}")})
