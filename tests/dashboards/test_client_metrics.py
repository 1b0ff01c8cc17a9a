"""client_sdm_mean and client_sdm_top (metrics.md) in the dashboards, on answers worked out by hand.

One answer's score is (sum of its three 0-4 items) / 12 × 100; a top score is 4 on all three. An
answer counts in the week of the session it is about (it keeps no time of its own). Contributors:
the practitioners whose sessions were rated.
"""

from __future__ import annotations

from datetime import date

from app.auth.models import User
from app.dashboards.periods import Period
from tests import factories
from tests.dashboards.helpers import contributors, own_report, raw_report, report_for, values

# W0: Monday 2 March 2026, W1: Monday 9 March. The data: the `rated` fixture (conftest.py).
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 16))


def test_client_rating_per_week_and_period(rated, team):
    with factories.committed():
        report = raw_report(team, PERIOD)
    # W0: (100 + 50 + 75 + 75 + 25 + 100) / 6 = 70.8333, from p1-p5. W1: (100 + 25 + 91.6667 +
    # 75) / 4 = 72.9167, from p1, p6 (deactivated, but his session was rated), p2, p3.
    # Period: 716.6667 / 10 = 71.6667 from six practitioners. Shared or not: every answer counts.
    assert values(report, "client_sdm_mean") == ([70.8333, 72.9167], 71.6667)
    assert contributors(report, "client_sdm_mean") == ([5, 4], 6)
    # Top scores: W0 2 of 6, W1 1 of 4, period 3 of 10.
    assert values(report, "client_sdm_top") == ([0.3333, 0.25], 0.3)
    assert contributors(report, "client_sdm_top") == ([5, 4], 6)


def test_four_rated_practitioners_are_hidden_five_are_shown(rated, team):
    with factories.committed():
        shown = report_for(team, PERIOD, k=5)
        smaller_k = report_for(team, PERIOD, k=4)
    assert values(shown, "client_sdm_mean")[0] == [70.8333, None]
    assert shown.get("client_sdm_mean").cells[1].suppressed
    assert values(smaller_k, "client_sdm_mean")[0] == [70.8333, 72.9167]
    assert values(smaller_k, "client_sdm_top")[0] == [0.3333, 0.25]


def test_the_period_cannot_give_away_the_hidden_week(rated, team):
    with factories.committed():
        raw = raw_report(team, PERIOD)
        report = report_for(team, PERIOD, k=5)
    # Six contributors over the period, but with W0 shown the total would give W1 back:
    # (10 × 71.6667 − 6 × 70.8333) / 4 = 72.9167. So the total is hidden too.
    assert raw.get("client_sdm_mean").total.contributors == 6
    recovered = (10 * 71.6667 - 6 * 70.8333) / 4
    assert round(recovered, 2) == round(raw.get("client_sdm_mean").cells[1].value, 2)
    for metric in ("client_sdm_mean", "client_sdm_top"):
        total = report.get(metric).total
        assert total.suppressed and total.value is None


def test_own_figures_count_only_the_answers_shared_with_oneself(rated, team):
    with factories.committed() as s:
        p1 = s.query(User).filter_by(email="p1@example.org").one()
        p3 = s.query(User).filter_by(email="p3@example.org").one()
        mine, theirs = own_report(p1, PERIOD), own_report(p3, PERIOD)
    # p1: W0 100 (the unshared 50 stays out), W1 100; one person, shown all the same.
    assert values(mine, "client_sdm_mean") == ([100.0, 100.0], 100.0)
    assert values(mine, "client_sdm_top") == ([1.0, 1.0], 1.0)
    # p3: W0's answer was not shared with them; W1 75.
    assert values(theirs, "client_sdm_mean") == ([None, 75.0], 75.0)
