"""Every metric on a small hand-made data set; each expected number is worked out in a comment."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.dashboards.periods import Period, custom, last_weeks, sustained_months
from app.teams.models import Membership
from tests import factories
from tests.dashboards.helpers import (
    NOW,
    contributors,
    deactivate,
    logs,
    members,
    own_report,
    prompt,
    raw_report,
    retire,
    values,
)

S, E, P = "shared_decision_making", "emotion_regulation", "problem_solving"
# Three ISO weeks across the new year: W0 Mon 22 Dec 2025, W1 Mon 29 Dec (week 1 of 2026, which
# holds 1 January), W2 Mon 5 Jan 2026.
NEW_YEAR = Period(date(2025, 12, 22), date(2026, 1, 12))
# Two weeks around the spring clock change (Sunday 29 March 2026, 02:00 → 03:00).
SPRING = Period(date(2026, 3, 23), date(2026, 4, 6))


def test_periods_are_whole_weeks():
    # Wednesday 15 April 2026: the last 4 whole weeks end on Monday 13 April.
    assert last_weeks(4, date(2026, 4, 15)) == Period(date(2026, 3, 16), date(2026, 4, 13))
    # A custom period is widened to the weeks it touches: Thu 1 Jan … Tue 6 Jan 2026.
    assert custom(date(2026, 1, 1), date(2026, 1, 6)) == Period(date(2025, 12, 29), date(2026, 1, 12))
    assert [w.start for w in NEW_YEAR.weeks] == [date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 5)]
    # The last three whole months before Monday 6 April 2026: January, February, March.
    assert [(m.start, m.end) for m in sustained_months(Period(date(2026, 1, 5), date(2026, 4, 6)))] == [
        (date(2026, 1, 1), date(2026, 2, 1)), (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 4, 1))]


@pytest.fixture
def new_year_team(app, org, team):
    """Team Oost over NEW_YEAR: p1-p6, p7 deactivated after logging, p8 moved in from Team West on
    31 December; logs outside the period on 21 Dec and 12 Jan."""
    west = factories.team(org, "Team West")
    p = members(org, team, 7)
    p8 = factories.user(org, "p8@example.org", team=west)
    with factories.committed() as s:
        m = s.get(Membership, s.query(Membership.id).filter_by(user_id=p8.id).scalar())
        m.ended_on = date(2025, 12, 31)
        s.add(Membership(user_id=p8.id, team_id=team.id, role="practitioner", started_on=date(2025, 12, 31)))
    log = factories.practice_log
    # W0
    log(p[0], session_date=date(2025, 12, 22), ratings={S: 4})
    log(p[1], session_date=date(2025, 12, 23), ratings={S: 2, E: 3},
        techniques=("sdm_goals_asked", "er_validated"))
    log(p[2], session_date=date(2025, 12, 24), ratings={E: 5}, techniques=("er_validated",))
    log(p[4], session_date=date(2025, 12, 28), ratings={P: 3}, techniques=())
    # W1 (29 Dec - 4 Jan)
    log(p[0], session_date=date(2025, 12, 29), ratings={S: 3},
        techniques=("sdm_goals_asked", "sdm_feedback_asked"))
    log(p[1], session_date=date(2026, 1, 1), ratings={S: 5}, techniques=("sdm_goals_asked",))
    log(p[3], session_date=date(2026, 1, 4), ratings={E: 2}, techniques=())
    log(p[6], session_date=date(2025, 12, 30), ratings={S: 1}, techniques=("sdm_choice_explained",))
    log(p8, session_date=date(2025, 12, 30), ratings={S: 4})  # still Team West that day
    log(p8, session_date=date(2026, 1, 2), ratings={S: 5}, techniques=("sdm_feedback_asked",))
    # W2
    log(p[0], session_date=date(2026, 1, 5), ratings={S: 4})
    log(p[0], session_date=date(2026, 1, 6), ratings={S: 2})
    # outside the period
    log(p[0], session_date=date(2025, 12, 21), ratings={S: 1})
    log(p[1], session_date=date(2026, 1, 12), ratings={S: 1})
    deactivate(p[6])
    retire(org, "sdm_feedback_asked")  # retired, but ticked in the period: still counted
    retire(org, "sdm_deviation_explained")  # retired and never ticked: not shown
    return west


def test_sessions_and_coverage_per_iso_week_across_the_new_year(new_year_team, team):
    with factories.committed():
        report = raw_report(team, NEW_YEAR)
    # W0: p1, p2, p3, p5 -> 4 logs by 4. W1: p1, p2, p4, p7 (deactivated, still counted) and p8's
    # 2 Jan log (his 30 Dec log is Team West's) -> 5 by 5. W2: p1 twice -> 2 by 1. Total 11 by 7.
    assert values(report, "sessions") == ([4, 5, 2], 11)
    assert contributors(report, "sessions") == ([4, 5, 1], 7)
    # Logs applying S: W0 p1, p2 = 2; W1 p1, p2, p7, p8 = 4; W2 2 -> 8.
    assert values(report, "sessions", S) == ([2, 4, 2], 8)
    # Coverage S: 2/4, 4/5, 2/2; total 8/11. Contributors are those who logged.
    assert values(report, "coverage", S) == ([0.5, 0.8, 1.0], round(8 / 11, 4))
    assert contributors(report, "coverage", S) == ([4, 5, 1], 7)
    # Coverage E: W0 p2, p3 = 2/4; W1 p4 = 1/5; W2 0/2.
    assert values(report, "coverage", E) == ([0.5, 0.2, 0.0], round(3 / 11, 4))


def test_the_team_a_log_counts_for_is_the_team_on_its_date(new_year_team, team):
    with factories.committed():
        west = raw_report(new_year_team, NEW_YEAR)
    # p8's 30 Dec log is Team West's: one log in W1, none after he moved.
    assert values(west, "sessions") == ([0, 1, 0], 1)


def test_adoption_counts_active_practitioners_of_each_week(new_year_team, team):
    with factories.committed():
        report = raw_report(team, NEW_YEAR)
    # Active: W0 p1-p6 (p7 deactivated, p8 not yet in the team) = 6; W1 and W2 also p8 = 7.
    # Applying S among them: W0 p1, p2 = 2/6; W1 p1, p2, p8 = 3/7 (p7 is not active); W2 p1 = 1/7.
    # Over the period: p1, p2, p8 of the 7 active = 3/7.
    assert values(report, "adoption", S) == ([round(2 / 6, 4), round(3 / 7, 4), round(1 / 7, 4)],
                                             round(3 / 7, 4))
    assert contributors(report, "adoption", S) == ([6, 7, 7], 7)
    # E: W0 p2, p3 = 2/6; W1 p4 = 1/7; W2 none.
    assert values(report, "adoption", E)[0] == [round(2 / 6, 4), round(1 / 7, 4), 0.0]


def test_frequency_is_the_median_of_logs_per_week_over_active_practitioners(new_year_team, team):
    with factories.committed():
        report = raw_report(team, NEW_YEAR)
    # W0 per active person: p1 1, p2 1, p3 1, p4 0, p5 1, p6 0 -> median of 0,0,1,1,1,1 = 1.
    # W1: p1 1, p2 1, p3 0, p4 1, p5 0, p6 0, p8 1 -> median 1. W2: p1 2, others 0 -> 0.
    # Period: p1 4, p2 2, p3 1, p4 1, p5 1, p6 0, p8 1 -> median 1, over 3 weeks = 0.3333.
    assert values(report, "frequency") == ([1.0, 1.0, 0.0], 0.3333)
    assert contributors(report, "frequency") == ([4, 5, 1], 7)


def test_self_rating_is_the_mean_over_logs_applying_the_element(new_year_team, team):
    with factories.committed():
        report = raw_report(team, NEW_YEAR)
    # S ratings: W0 4, 2 -> 3.0; W1 3, 5, 1 (p7), 5 (p8) -> 14/4 = 3.5; W2 4, 2 -> 3.0.
    # Period: (6 + 14 + 6) / 8 = 3.25. Contributors: who applied S.
    assert values(report, "self_rating", S) == ([3.0, 3.5, 3.0], 3.25)
    assert contributors(report, "self_rating", S) == ([2, 4, 1], 4)
    # P: only p5 in W0 (3); no log applies P later, so there is no mean.
    assert values(report, "self_rating", P) == ([3.0, None, None], 3.0)


def test_technique_mix_keeps_retired_techniques_that_were_ticked(new_year_team, team):
    with factories.committed():
        report = raw_report(team, NEW_YEAR)
    # Logs applying S in W1: p1 (goals, feedback), p2 (goals), p7 (choice), p8 (feedback) = 4.
    assert values(report, "technique_mix", S, "sdm_goals_asked")[0][1] == 0.5
    assert values(report, "technique_mix", S, "sdm_feedback_asked")[0] == [0.0, 0.5, 0.0]
    assert values(report, "technique_mix", S, "sdm_choice_explained")[0][1] == 0.25
    # W0: p1 (goals) and p2 (goals) -> 2/2; period: goals on 2 + 2 + 2 (W2 default) of 8 = 0.75.
    assert values(report, "technique_mix", S, "sdm_goals_asked") == ([1.0, 0.5, 1.0], 0.75)
    assert report.get("technique_mix", S, "sdm_deviation_explained") is None


@pytest.fixture
def spring_team(app, org, team):
    """Prompts, reflections and group sessions of Team Oost around the spring clock change."""
    p = members(org, team, 6)
    schedule = factories.schedule(team=team, since=datetime(2026, 3, 1, tzinfo=UTC))
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC)  # noqa: E731
    # W0 (Mon 23 March): 22 March 23:30 UTC is Monday 00:30 in Amsterdam (winter time).
    prompt(p[0], schedule, at("2026-03-27T13:00"), status="answered", closed_at=at("2026-03-28T09:00"))
    prompt(p[2], schedule, at("2026-03-22T23:30"), status="expired")
    prompt(p[3], schedule, at("2026-03-27T13:00"), status="dismissed", closed_at=at("2026-03-27T15:00"))
    # W1 (Mon 30 March): 29 March 22:30 UTC is Monday 00:30 summer time (naively: Sunday).
    prompt(p[1], schedule, at("2026-03-29T22:30"), status="answered", closed_at=at("2026-03-30T08:00"))
    prompt(p[4], schedule, at("2026-04-01T12:00"), expires_at=at("2026-04-08T12:00"))  # open, expired
    prompt(p[5], schedule, at("2026-04-02T12:00"), expires_at=at("2026-04-30T12:00"))  # open, pending
    prompt(p[0], schedule, at("2026-04-03T12:00"), status="answered", expires_at=at("2026-04-10T12:00"),
           closed_at=at("2026-04-11T12:00"))  # answered after it expired
    # Outside: Sunday 5 April 22:30 UTC is Monday 6 April 00:30 in Amsterdam.
    prompt(p[1], schedule, at("2026-04-05T22:30"), status="answered", closed_at=at("2026-04-06T08:00"))
    done = {"action": "a", "alternatives": "Vaker vragen wat zij willen.", "trial": "Eerst vragen."}
    factories.reflection(p[0], answers=done, created_at=at("2026-03-24T10:00"))
    factories.reflection(p[1], answers={**done, "trial": "  "}, created_at=at("2026-03-25T10:00"))
    factories.reflection(p[2], answers=done, created_at=at("2026-03-29T22:30"))  # Monday, W1
    factories.reflection(p[3], template_key="starr", answers={"situation": "s"},
                         created_at=at("2026-03-31T10:00"))
    factories.group_session(team, p[0], p[:5], session_date=date(2026, 3, 24), duration_minutes=120)
    factories.group_session(team, p[0], p[:2], session_date=date(2026, 4, 1), duration_minutes=90)
    factories.group_session(team, p[0], p[:5], session_date=date(2026, 4, 6), duration_minutes=60)  # outside
    return p


def test_reflection_rate_by_the_local_day_across_the_clock_change(spring_team, team):
    with factories.committed():
        report = raw_report(team, SPRING)
    # W0: p1 answered, p3 expired, p4 dismissed -> 1/3. W1: p2 answered (Monday 00:30 local),
    # p5 open past its expiry (counts, not answered), p1 answered too late; p6 still pending is
    # not counted -> 1/3. Period 2/6 from 5 recipients.
    assert values(report, "reflection_rate") == ([round(1 / 3, 4), round(1 / 3, 4)], round(2 / 6, 4))
    assert contributors(report, "reflection_rate") == ([3, 3], 5)


def test_reflection_depth_counts_alact_reflections_with_alternatives_and_trial(spring_team, team):
    with factories.committed():
        report = raw_report(team, SPRING)
    # W0: p1 complete, p2 without a trial -> 1/2. W1: p3 complete (Monday 00:30 local) -> 1/1;
    # the STARR reflection does not count. Period 2/3.
    assert values(report, "reflection_depth") == ([0.5, 1.0], round(2 / 3, 4))
    assert contributors(report, "reflection_depth") == ([2, 1], 3)


def test_intervisie_hours_of_the_team(spring_team, team):
    with factories.committed():
        report = raw_report(team, SPRING)
    # W0: 120 min with 5 people; W1: 90 min with 2; the 6 April session is after the period.
    assert values(report, "intervisie_hours") == ([2.0, 1.5], 3.5)
    assert contributors(report, "intervisie_hours") == ([5, 2], 5)


def test_sustained_needs_the_target_in_each_of_the_last_three_months(app, org, team):
    p = members(org, team, 5)
    period = Period(date(2026, 1, 5), date(2026, 4, 6))  # months: January, February, March
    for person in p[:3]:
        logs(person, [date(2026, 1, 14), date(2026, 2, 11)], ratings={S: 3, E: 3})
    for person in p[:2]:
        logs(person, [date(2026, 3, 11)], ratings={S: 3, E: 3})
    for person in p[2:]:
        logs(person, [date(2026, 1, 15), date(2026, 2, 12), date(2026, 3, 12)], ratings={E: 4}, techniques=())
    with factories.committed():
        report = raw_report(team, period, target=0.5)
    # S: 3/5, 3/5, then 2/5 in March -> below 50 % once: not sustained. E: 5/5 every month.
    monthly = next(s for s in report.of("adoption") if s.element == S and s.buckets == report.months)
    assert [c.value for c in monthly.cells] == [0.6, 0.6, 0.4]
    assert report.get("sustained", S).total.value == 0.0
    assert report.get("sustained", E).total.value == 1.0
    assert report.get("sustained", P).total.value == 0.0


def test_own_figures_have_no_threshold(new_year_team, team):
    from app.auth.models import User

    with factories.committed() as s:
        p1 = s.query(User).filter_by(email="p1@example.org").one()
        mine = own_report(p1, NEW_YEAR)
    # p1: W0 one log (S 4), W1 one (S 3), W2 two (S 4, 2); one contributor, shown anyway.
    assert values(mine, "sessions") == ([1, 1, 2], 4)
    assert values(mine, "self_rating", S) == ([4.0, 3.0, 3.0], 3.25)
    assert values(mine, "adoption", S) == ([1.0, 1.0, 1.0], 1.0)
    assert NOW.year == 2026
    with factories.committed() as s:  # the next person over the same weeks gets their own figures
        p2 = s.query(User).filter_by(email="p2@example.org").one()
        theirs = own_report(p2, NEW_YEAR)
    assert values(theirs, "sessions") == ([1, 1, 0], 2)
    assert values(theirs, "self_rating", S) == ([2.0, 5.0, None], 3.5)


def test_a_prompt_counts_for_the_team_of_its_local_day(app, org, team):
    west = factories.team(org, "Team West")
    mover = factories.user(org, "mover@example.org", team=west)
    with factories.committed() as s:
        s.query(Membership).filter_by(user_id=mover.id).update({"ended_on": date(2026, 3, 25)})
        s.add(Membership(user_id=mover.id, team_id=team.id, role="practitioner",
                         started_on=date(2026, 3, 25)))
    schedule = factories.schedule(team=team, since=datetime(2026, 3, 1, tzinfo=UTC))
    # 22:30 UTC on Tuesday 24 March is 23:30 in Amsterdam (winter time): still Team West's day.
    # 23:30 UTC is 00:30 on Wednesday 25 March: Team Oost's, the day he moved.
    for due, closed in (("2026-03-24T22:30", "2026-03-24T23:00"), ("2026-03-24T23:30", "2026-03-25T08:00")):
        prompt(mover, schedule, datetime.fromisoformat(due).replace(tzinfo=UTC), status="answered",
               closed_at=datetime.fromisoformat(closed).replace(tzinfo=UTC))
    with factories.committed():
        oost, old = raw_report(team, SPRING), raw_report(west, SPRING)
    assert values(oost, "reflection_rate")[0] == [1.0, None]
    assert values(old, "reflection_rate")[0] == [1.0, None]
    assert contributors(oost, "reflection_rate") == ([1, 0], 1)
