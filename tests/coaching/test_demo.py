"""The demo coach lands on a queue with items waiting (some for days); the demo practitioner has news."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.coaching import queries
from app.coaching.models import CoachFeedback, FeedbackRequest
from app.db import db, utcnow
from app.demo import seed_demo
from app.goals.models import LearningGoal
from app.notifications.queries import unread_count
from app.observations.models import Observation


def _counts():
    return [db.session.scalar(select(func.count()).select_from(m))
            for m in (FeedbackRequest, CoachFeedback, LearningGoal, Observation)]


def test_the_demo_fills_the_coachs_queue_and_the_practitioners_news_once(ctx):
    now = utcnow()
    seed_demo(now)
    db.session.commit()
    coach = db.session.scalar(select(User).where(User.email == "coach@demo.werkzaam.nl"))
    sanne = db.session.scalar(select(User).where(User.email == "jeugdprofessional@demo.werkzaam.nl"))
    queue = queries.queue_for(coach.id, now)
    assert len(queue) == 4
    assert queue[0].waited(now) >= timedelta(days=5) and queue[-1].waited(now) < timedelta(days=1)
    assert {item.kind for item in queue} == {"log", "reflection"}
    assert unread_count(sanne.id, now) == 1
    (goal,) = db.session.scalars(select(LearningGoal).where(LearningGoal.owner_id == sanne.id))
    assert goal.source_feedback_id is not None and goal.status == "open"
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 1
    before = _counts()
    seed_demo(now)  # `make run` again: nothing twice
    db.session.commit()
    assert _counts() == before
