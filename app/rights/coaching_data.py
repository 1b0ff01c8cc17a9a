"""The coaching part of the personal-data ZIP: feedback received, observations, learning goals.

All of it is about the person: the feedback coaches gave them (also former coaches) with each
whole thread, the observations of their sessions with the comments, and their learning goals with
the comments and the progress their goal page shows. What they wrote as a coach about someone else
belongs to that person and is not here. Coaches are named as the app names them to the person.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app.auth.models import User
from app.clock import local_today
from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest
from app.db import db
from app.goals.models import GoalComment, LearningGoal
from app.goals.queries import progress_of
from app.observations.models import Observation, ObservationComment
from app.practice.models import PracticeLog
from app.rights.rows import Rows, columns, name_of


def _thread(model: Any, parent: InstrumentedAttribute[int], parent_id: int, user: User) -> Rows:
    """The replies or comments under one item, oldest first: who wrote each (`by_me` for their own)."""
    found = db.session.scalars(select(model).where(parent == parent_id).order_by(model.created_at, model.id))
    return [{"by_me": row.author_id == user.id, "by": name_of(row.author), "body": row.body,
             "created_at": row.created_at} for row in found]


def feedback_received(user: User) -> Rows:
    """Every feedback a coach gave them, on a log or a shared reflection, with its thread."""
    found = db.session.scalars(select(CoachFeedback).where(CoachFeedback.practitioner_id == user.id)
                               .order_by(CoachFeedback.created_at, CoachFeedback.id))
    return [{**columns(f, "organisation_id", "practitioner_id", "coach_id", "element_id"),
             "coach": name_of(f.coach), "element": f.element.key if f.element else None,
             "replies": _thread(FeedbackReply, FeedbackReply.feedback_id, f.id, user)} for f in found]


def feedback_requests(user: User) -> Rows:
    """Whom they asked for feedback on which of their logs, and when (withdrawn or not)."""
    found = db.session.scalars(
        select(FeedbackRequest).join(PracticeLog, PracticeLog.id == FeedbackRequest.practice_log_id)
        .where(PracticeLog.author_id == user.id).order_by(FeedbackRequest.requested_at, FeedbackRequest.id))
    return [{**columns(r, "organisation_id", "coach_id"), "coach": name_of(r.coach)} for r in found]


def observations(user: User) -> Rows:
    """The observations coaches made of their sessions: ratings, techniques, notes and comments."""
    found = db.session.scalars(select(Observation).where(Observation.practitioner_id == user.id)
                               .order_by(Observation.session_date, Observation.id))
    return [{**columns(o, "organisation_id", "practitioner_id", "coach_id"), "coach": name_of(o.coach),
             "elements": sorted(({"element": e.element.key, "rating": e.rating} for e in o.elements),
                                key=lambda e: str(e["element"])),
             "techniques": sorted(t.technique.key for t in o.techniques),
             "comments": _thread(ObservationComment, ObservationComment.observation_id, o.id, user)}
            for o in found]


def _progress(goal: LearningGoal) -> Rows:
    return [{"week_start": week.week_start, "sessions": week.sessions, "mean_self_rating": week.self_rating}
            for week in progress_of(goal, local_today())]


def learning_goals(user: User) -> Rows:
    """Their learning goals (also proposals and closed ones), with comments and weekly progress."""
    found = db.session.scalars(select(LearningGoal).where(LearningGoal.owner_id == user.id)
                               .order_by(LearningGoal.created_at, LearningGoal.id))
    return [{**columns(g, "organisation_id", "owner_id", "proposed_by_id", "element_id", "technique_id"),
             "element": g.element.key, "technique": g.technique.key if g.technique else None,
             "proposed_by": name_of(g.proposed_by),
             "comments": _thread(GoalComment, GoalComment.goal_id, g.id, user), "progress": _progress(g)}
            for g in found]
