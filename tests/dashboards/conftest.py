"""The hand-made data sets of the client-rating and feedback metrics, shared by their tests.

Client ratings: Team Oost's answers in the weeks of Monday 2 and 9 March 2026 (test_client_metrics
works them out). Shared items: logs and reflections shared with a coach in those weeks, seen at
FEEDBACK_NOW (test_feedback_metrics works them out).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from app.auth.models import User
from app.organisations.models import Organisation
from app.teams.models import Team
from tests import factories
from tests.clientvoice.helpers import rating
from tests.dashboards.helpers import deactivate, members, shared_item

FEEDBACK_NOW = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)  # the Tuesday after the two weeks


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def rated(app: Flask, org: Organisation, team: Team) -> list[User]:
    """Team Oost: p1-p6, p6 deactivated after the period; one answer in Team West."""
    p = members(org, team, 6)
    west = factories.team(org, "Team West")
    outsider = factories.user(org, "west@example.org", team=west)

    def answer(person: User, day: date, items: tuple[int, int, int], shared: bool = True) -> None:
        rating(factories.practice_log(person, session_date=day), items, shared=shared)

    # W0: five practitioners rated.
    answer(p[0], date(2026, 3, 2), (4, 4, 4))                 # 100, top
    answer(p[0], date(2026, 3, 3), (2, 2, 2), shared=False)   # 50, not shared with p1
    answer(p[1], date(2026, 3, 4), (3, 3, 3))                 # 75
    answer(p[2], date(2026, 3, 5), (2, 3, 4), shared=False)   # 75
    answer(p[3], date(2026, 3, 6), (0, 2, 1))                 # 25
    answer(p[4], date(2026, 3, 8), (4, 4, 4), shared=False)   # 100, top (Sunday: still W0)
    # W1: four practitioners rated.
    answer(p[0], date(2026, 3, 9), (4, 4, 4))                 # 100, top
    answer(p[5], date(2026, 3, 10), (1, 1, 1))                # 25 (p6 is deactivated later)
    answer(p[1], date(2026, 3, 11), (4, 4, 3), shared=False)  # 91.67
    answer(p[2], date(2026, 3, 15), (3, 3, 3))                # 75
    # Outside the period, and another team's.
    answer(p[3], date(2026, 3, 1), (2, 2, 2))
    answer(p[4], date(2026, 3, 16), (0, 0, 0))
    answer(outsider, date(2026, 3, 4), (0, 0, 0))
    deactivate(p[5])
    return p


@pytest.fixture
def shared(app: Flask, org: Organisation, team: Team) -> list[User]:
    p = members(org, team, 6)
    coach = factories.user(org, "coach@example.org")
    west = factories.team(org, "Team West")
    outsider = factories.user(org, "west@example.org", team=west)
    # W0. 1 March 23:30 UTC is Monday 2 March 00:30 in Amsterdam (winter time): W0.
    shared_item(p[0], coach, at("2026-03-01T23:30"), answered_at=at("2026-03-02T11:30"))  # a: 12 h
    shared_item(p[1], coach, at("2026-03-03T09:00"), answered_at=at("2026-03-05T09:00"))  # b: 48 h
    shared_item(p[2], coach, at("2026-03-04T10:00"), answered_at=at("2026-03-13T10:00"),
                reflection=True)  # c: 216 h, too late
    shared_item(p[3], coach, at("2026-03-05T08:00"))  # d: never answered
    shared_item(p[4], coach, at("2026-03-06T08:00"), withdrawn_at=at("2026-03-07T08:00"))  # e: taken back
    shared_item(p[5], coach, at("2026-03-06T12:00"), answered_at=at("2026-03-06T18:00"),
                reflection=True)  # f: 6 h (p6 is deactivated later)
    # W1.
    shared_item(p[0], coach, at("2026-03-09T09:00"), answered_at=at("2026-03-10T09:00"))  # g: 24 h
    shared_item(p[1], coach, at("2026-03-10T09:00"), answered_at=at("2026-03-17T09:00"))  # h: 168 h
    shared_item(p[2], coach, at("2026-03-12T10:00"))  # i: still within its 7 days at NOW
    shared_item(p[3], coach, at("2026-03-09T10:00"), answered_at=at("2026-03-18T10:00"))  # j: after NOW
    # Outside: Sunday 15 March 23:30 UTC is Monday 16 March in Amsterdam; February; Team West.
    shared_item(p[0], coach, at("2026-03-15T23:30"), answered_at=at("2026-03-16T08:00"))
    shared_item(p[1], coach, at("2026-02-27T10:00"), answered_at=at("2026-02-27T12:00"))
    shared_item(outsider, coach, at("2026-03-03T10:00"), answered_at=at("2026-03-03T11:00"))
    deactivate(p[5])
    return p
