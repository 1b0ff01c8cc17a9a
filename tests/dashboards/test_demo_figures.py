"""The demo lead's dashboards (`make run`) show believable client ratings and feedback figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.clock import local_date
from app.coaching.models import CoachFeedback, FeedbackRequest
from app.dashboards.periods import last_weeks
from app.dashboards.report import team_reports
from app.db import db
from app.demo import DEMO_ORGANISATION, seed_demo
from app.elements.queries import catalogue_for
from app.organisations.models import Organisation
from app.teams.models import Team

DAYS = [datetime(2026, 8, 1, 9, 0, tzinfo=UTC), datetime(2026, 11, 30, 15, 0, tzinfo=UTC)]


@pytest.mark.parametrize("now", DAYS)
def test_most_weeks_show_client_ratings_and_feedback_and_some_are_hidden(ctx, freeze_clock, now):
    freeze_clock(now)  # the demo is made relative to today: a fixed day each, so the test repeats
    seed_demo(now)
    db.session.commit()
    org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORGANISATION))
    teams = list(db.session.scalars(select(Team).where(Team.organisation_id == org.id)))
    period = last_weeks(26, local_date(now))
    reports = team_reports([t.id for t in teams], period, now, catalogue_for(org.id, include_retired=True),
                           k=org.min_group_size, targets={t.id: 0.5 for t in teams})
    hidden = 0
    for team in teams:
        for metric, low, high in (("client_sdm_mean", 55, 95), ("client_sdm_top", 0.0, 0.7),
                                  ("feedback_rate", 0.5, 1.0), ("feedback_latency", 4, 200)):
            series = reports[team.id].get(metric)
            shown = [c.value for c in series.cells if not c.suppressed]
            assert len(shown) >= 19, (team.name, metric, len(shown))  # of 26 weeks
            assert all(v is not None and low <= v <= high for v in shown), (team.name, metric, shown)
            hidden += len(series.cells) - len(shown)
    assert hidden > 0  # a few weeks have too few people: "te weinig gegevens"
    # Every feedback request of the history is answered: the coach's queue is the coaching demo's.
    unanswered = db.session.scalar(select(func.count()).select_from(FeedbackRequest).where(
        ~select(CoachFeedback.id).where(CoachFeedback.practice_log_id == FeedbackRequest.practice_log_id,
                                        CoachFeedback.requested_at == FeedbackRequest.requested_at).exists()))
    assert unanswered == 4 - 1  # the coaching demo's three waiting logs (its fourth item is a reflection)
