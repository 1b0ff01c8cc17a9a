"""Learning-goal writes: set, propose, accept or decline, edit, close, comment. Flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.clock import local_date
from app.db import db, dialect_insert
from app.elements.models import CoreElement, Technique
from app.goals.models import COMMENT_MAX, TEXT_MAX, GoalComment, LearningGoal
from app.notifications.services import notify
from app.privacy import services as privacy
from app.privacy.guard import check_text
from app.reflection.queries import coaches_of
from app.security import (
    can_change_goal,
    can_comment_on_goal,
    can_propose_goal,
    can_read_goal,
    require,
)
from app.services import ServiceError

OWNER_STATUSES = ("open", "achieved", "dropped")


@dataclass(frozen=True)
class GoalInput:
    element_id: int
    text: str
    target_date: date
    technique_id: int | None = None


def _clean(organisation_id: int, data: GoalInput, now: datetime, *, allow_past: bool = False,
           keep_technique_id: int | None = None) -> GoalInput:
    """Check a goal's fields (the service is used without its form too); raises ServiceError."""
    text = (data.text or "").strip()
    if not text:
        raise ServiceError(_("Describe what you want to work on."), "text")
    if len(text) > TEXT_MAX:
        raise ServiceError(_("Write at most %(n)d characters.", n=TEXT_MAX), "text")
    check_text(text, "text")
    if db.session.get(CoreElement, data.element_id) is None:
        raise ServiceError(_("Choose an element from the list."), "element_id")
    if data.technique_id:
        technique = db.session.get(Technique, data.technique_id)
        if technique is None or technique.organisation_id != organisation_id \
                or (technique.retired and technique.id != keep_technique_id):
            raise ServiceError(_("This technique cannot be chosen."), "technique_id")
        if technique.element_id != data.element_id:
            raise ServiceError(_("Choose a technique of the chosen element."), "technique_id")
    if data.target_date < local_date(now) and not allow_past:
        raise ServiceError(_("Choose a target date from today on."), "target_date")
    return GoalInput(data.element_id, text, data.target_date, data.technique_id or None)


def create_goal(actor: User, data: GoalInput, now: datetime) -> LearningGoal:
    """A goal the practitioner sets for themselves (open at once); flushes."""
    clean = _clean(actor.organisation_id, data, now)
    goal = LearningGoal(organisation_id=actor.organisation_id, owner_id=actor.id, status="open",
                        created_at=now, updated_at=now, **clean.__dict__)
    db.session.add(goal)
    db.session.flush()
    return goal


def propose_goal(coach: User, coachee: User, data: GoalInput, now: datetime) -> LearningGoal:
    """A running coach proposes a goal; it waits for the coachee, who is notified. Flushes."""
    require(can_propose_goal(coach, coachee))
    clean = _clean(coachee.organisation_id, data, now)
    goal = LearningGoal(organisation_id=coachee.organisation_id, owner_id=coachee.id, status="proposed",
                        proposed_by_id=coach.id, created_at=now, updated_at=now, **clean.__dict__)
    db.session.add(goal)
    db.session.flush()
    notify(coachee, "goal_proposed", now, subject_id=coachee.id, actor=coach, goal_id=goal.id)
    return goal


def goal_from_feedback(owner: User, feedback_id: int, data: GoalInput, now: datetime) -> LearningGoal:
    """The one goal made from a feedback's next step ("I will try this"); flushes.

    The caller has checked that `owner` may acknowledge that feedback. INSERT … ON CONFLICT DO
    NOTHING on the feedback's unique key: a double submit, or two at once, give one goal.
    """
    clean = _clean(owner.organisation_id, data, now, allow_past=True)
    db.session.execute(dialect_insert(LearningGoal).values(
        organisation_id=owner.organisation_id, owner_id=owner.id, status="open",
        source_feedback_id=feedback_id, created_at=now, updated_at=now, **clean.__dict__,
    ).on_conflict_do_nothing(index_elements=["source_feedback_id"]))
    goal = db.session.scalar(select(LearningGoal).where(LearningGoal.source_feedback_id == feedback_id))
    assert goal is not None
    return goal


def update_goal(actor: User, goal: LearningGoal, data: GoalInput, now: datetime) -> None:
    """The owner changes the goal's element, technique, text or target date; flushes."""
    require(can_change_goal(actor, goal))
    clean = _clean(goal.organisation_id, data, now, allow_past=data.target_date == goal.target_date,
                   keep_technique_id=goal.technique_id)
    goal.element_id, goal.technique_id = clean.element_id, clean.technique_id
    goal.text, goal.target_date, goal.updated_at = clean.text, clean.target_date, now
    db.session.flush()


def set_status(actor: User, goal: LearningGoal, status: str, now: datetime) -> None:
    """The owner marks a goal achieved or dropped, or opens it again; flushes."""
    require(can_change_goal(actor, goal))
    if status not in OWNER_STATUSES or goal.status not in OWNER_STATUSES:
        raise ServiceError(_("This goal cannot get this status."))
    goal.status, goal.updated_at = status, now
    goal.closed_at = None if status == "open" else now
    db.session.flush()


def answer_proposal(actor: User, goal: LearningGoal, accept: bool, now: datetime) -> None:
    """The owner accepts a coach's proposal (it becomes an open goal) or declines it; flushes."""
    require(can_change_goal(actor, goal))
    if goal.status != "proposed":
        raise ServiceError(_("This proposal has already been answered."))
    goal.status, goal.updated_at = ("open" if accept else "declined"), now
    goal.closed_at = None if accept else now
    db.session.flush()


def comment_on_goal(actor: User, goal: LearningGoal, body: str, now: datetime) -> GoalComment:
    """A remark of the owner (their running coaches hear of it) or of a coach (the owner does)."""
    require(can_comment_on_goal(actor, goal))
    text = (body or "").strip()
    if not text:
        raise ServiceError(_("Write a comment."), "body")
    if len(text) > COMMENT_MAX:
        raise ServiceError(_("Write at most %(n)d characters.", n=COMMENT_MAX), "body")
    check_text(text, "body")
    comment = GoalComment(goal_id=goal.id, author_id=actor.id, body=text, created_at=now)
    db.session.add(comment)
    db.session.flush()
    others = coaches_of(goal.owner_id) if actor.id == goal.owner_id else [goal.owner]
    for other in others:
        notify(other, "goal_comment", now, subject_id=goal.owner_id, actor=actor, goal_id=goal.id)
    return comment


def record_goal_read(actor: User, goal: LearningGoal, ip_address: str | None) -> None:
    """A coach reading a coachee's goal goes into the access log (the owner's reads do not)."""
    require(can_read_goal(actor, goal))
    if goal.owner_id != actor.id:
        privacy.record_access(actor, "coach", "read", "learning_goal", goal.id, subject_id=goal.owner_id,
                              ip_address=ip_address)
