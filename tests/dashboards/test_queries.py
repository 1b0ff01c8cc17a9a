"""The metric definitions on a hand-made data set, worked out by hand (metrics.md)."""

from __future__ import annotations

from datetime import date

from app.dashboards.queries import ElementStats, element_stats_per_author
from tests import factories

START, END = date(2026, 3, 2), date(2026, 3, 9)  # [Mon 2 March, Mon 9 March)


def test_sessions_and_self_rating_per_author_and_element(app, org, team, practitioner):
    other = factories.user(org, "other@example.org", team=team)
    log = factories.practice_log
    log(practitioner, session_date=START, ratings={"shared_decision_making": 4, "emotion_regulation": 1})
    log(practitioner, session_date=date(2026, 3, 8), ratings={"shared_decision_making": 1})
    log(practitioner, session_date=END, ratings={"shared_decision_making": 5})  # the end is not in it
    log(practitioner, session_date=date(2026, 3, 1), ratings={"problem_solving": 5}, techniques=())
    log(other, session_date=START, ratings={"problem_solving": 2}, techniques=())
    ids = factories.element_ids()
    with app.app_context():
        stats = element_stats_per_author([practitioner.id, other.id], START, END)
    assert stats == {
        practitioner.id: {ids["shared_decision_making"]: ElementStats(2, 2.5),
                          ids["emotion_regulation"]: ElementStats(1, 1.0)},
        other.id: {ids["problem_solving"]: ElementStats(1, 2.0)},
    }
