"""feedback_rate and feedback_latency (metrics.md) on items shared with a coach, worked out by hand.

An item is a log on which its author asked a coach for feedback, or a reflection shared with one;
it counts in the week (Amsterdam time) it was shared, for the team its author was in that day.
Rate: settled items answered within 7 days. An item is settled once answered, or once 7 days have
passed without its author withdrawing it before then. Latency: median hours to the coach's answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.auth.models import User
from app.dashboards.periods import Period
from tests import factories
from tests.dashboards.helpers import (
    contributors,
    deactivate,
    members,
    own_report,
    raw_report,
    report_for,
    shared_item,
    values,
)

PERIOD = Period(date(2026, 3, 2), date(2026, 3, 16))  # W0 Monday 2 March, W1 Monday 9 March
NOW = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)  # the Tuesday after


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def shared(app, org, team):
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


def test_feedback_rate_per_week_and_period(shared, team):
    with factories.committed():
        report = raw_report(team, PERIOD, now=NOW)
    # W0: settled a, b, c, d, f (e was withdrawn after a day) -> 5; within 7 days a, b, f -> 3/5,
    # from p1, p2, p3, p4, p6. W1: settled g, h (exactly 7 days), j (7 days over, answered only
    # after NOW); i is still waiting -> 2/3 from p1, p2, p4. Period 5/8 from five people.
    assert values(report, "feedback_rate") == ([0.6, 0.6667], 0.625)
    assert contributors(report, "feedback_rate") == ([5, 3], 5)


def test_feedback_latency_is_the_median_of_the_answered_items(shared, team):
    with factories.committed():
        report = raw_report(team, PERIOD, now=NOW)
    # W0: 6, 12, 48, 216 h -> (12 + 48) / 2 = 30. W1: 24, 168 -> 96 (j's answer comes after NOW).
    # Period: 6, 12, 24, 48, 168, 216 -> (24 + 48) / 2 = 36. Contributors: who shared those.
    assert values(report, "feedback_latency") == ([30.0, 96.0], 36.0)
    assert contributors(report, "feedback_latency") == ([4, 2], 4)


def test_suppression_at_four_against_five_and_the_hidden_week_stays_hidden(shared, team):
    with factories.committed():
        raw = raw_report(team, PERIOD, now=NOW)
        five = report_for(team, PERIOD, k=5, now=NOW)
        four = report_for(team, PERIOD, k=4, now=NOW)
    # The rate of W0 has five contributors: shown at k = 5; its latency has four: hidden.
    assert values(five, "feedback_rate")[0] == [0.6, None]
    assert values(five, "feedback_latency") == ([None, None], None)
    assert values(four, "feedback_latency")[0] == [30.0, None]
    # W1 (three people) is hidden, so the period's rate is too: 5 of 8 in the period minus 3 of 5
    # in W0 gives W1's 2 of 3 back.
    assert round((0.625 * 8 - 0.6 * 5) / 3, 4) == values(raw, "feedback_rate")[0][1]
    assert five.get("feedback_rate").total.suppressed


def test_own_feedback_figures_have_no_threshold(shared, team):
    with factories.committed() as s:
        p1 = s.query(User).filter_by(email="p1@example.org").one()
        mine = own_report(p1, PERIOD, now=NOW)
    # p1: a (12 h) in W0, g (24 h) in W1; the item of 16 March is after the period.
    assert values(mine, "feedback_rate") == ([1.0, 1.0], 1.0)
    assert values(mine, "feedback_latency") == ([12.0, 24.0], 18.0)
