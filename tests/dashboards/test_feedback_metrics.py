"""feedback_rate and feedback_latency (metrics.md) on items shared with a coach, worked out by hand.

An item is a log on which its author asked a coach for feedback, or a reflection shared with one;
it counts in the week (Amsterdam time) it was shared, for the team its author was in that day.
Rate: settled items answered within 7 days. An item is settled once answered, or once 7 days have
passed without its author withdrawing it before then. Latency: median hours to the coach's answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.auth.models import User
from app.dashboards.periods import Period
from tests import factories
from tests.dashboards.conftest import FEEDBACK_NOW as NOW
from tests.dashboards.helpers import contributors, own_report, raw_report, report_for, values

# W0 Monday 2 March, W1 Monday 9 March. The data: the `shared` fixture (conftest.py).
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 16))


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


def test_the_same_period_read_later_counts_what_has_happened_since(shared, team):
    later = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    with factories.committed():
        before, after = raw_report(team, PERIOD, now=NOW), raw_report(team, PERIOD, now=later)
    assert values(before, "feedback_rate") == ([0.6, 0.6667], 0.625)
    # By Friday 20 March i has waited its 7 days (settled, unanswered) and j got its answer after
    # 216 h. W1: g and h in time of g, h, i, j -> 2/4. Period 5/9. Latency W1: 24, 168, 216 -> 168;
    # period 6, 12, 24, 48, 168, 216, 216 -> 48.
    assert values(after, "feedback_rate") == ([0.6, 0.5], 0.5556)
    assert values(after, "feedback_latency") == ([30.0, 168.0], 48.0)


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
