"""Coaching writes: asking for feedback, giving it, replies, acknowledgements. Flush only.

Every read by a coach of a coachee's data is written to the access log by the `record_*` functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.clock import local_date
from app.coaching.models import (
    ACKNOWLEDGEMENTS,
    FEEDBACK_FIELDS,
    TEXT_MAX,
    CoachFeedback,
    FeedbackReply,
    FeedbackRequest,
)
from app.db import db, dialect_insert
from app.elements.models import CoreElement
from app.goals import services as goals
from app.goals.models import TEXT_MAX as GOAL_TEXT_MAX
from app.goals.models import LearningGoal
from app.notifications.services import notify
from app.practice.models import PracticeLog
from app.privacy import services as privacy
from app.privacy.guard import check_text
from app.reflection.models import Reflection, ReflectionShare
from app.security import (
    can_acknowledge_feedback,
    can_ask_feedback_on_log,
    can_change_log,
    can_give_feedback_on_log,
    can_give_feedback_on_reflection,
    can_read_feedback,
    can_read_logs_of_all,
    can_reply_to_feedback,
    require,
)
from app.services import ServiceError

GOAL_WEEKS = 6  # a goal made from feedback aims six weeks ahead; its owner can change that


def _text(value: str | None, field_name: str, limit: int = TEXT_MAX) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ServiceError(_("Write at most %(n)d characters.", n=limit), field_name)
    check_text(text, field_name)
    return text or None


# --- asking for feedback ----------------------------------------------------------------------


def _request(log_id: int, coach_id: int) -> FeedbackRequest | None:
    return db.session.scalar(select(FeedbackRequest).where(
        FeedbackRequest.practice_log_id == log_id, FeedbackRequest.coach_id == coach_id))


def ask_feedback_on_log(actor: User, log: PracticeLog, coach: User, now: datetime) -> FeedbackRequest:
    """The author asks one running coach for feedback on a log; asking again while it waits changes
    nothing. A log kept private must be shared with the coach first. Flushes.
    """
    require(can_change_log(actor, log))
    if log.private:
        raise ServiceError(_("Your coach cannot read this log: share it with your coach first."))
    require(can_ask_feedback_on_log(actor, log, coach))
    request = _request(log.id, coach.id)
    if request is None:
        request = FeedbackRequest(organisation_id=log.organisation_id, practice_log_id=log.id,
                                  coach_id=coach.id, requested_at=now)
        db.session.add(request)
    elif request.withdrawn_at is not None:
        request.requested_at, request.withdrawn_at = now, None
    db.session.flush()
    return request


def withdraw_log_request(actor: User, log: PracticeLog, coach_id: int, now: datetime) -> None:
    """End a request: the coach gets 404 for it (and its feedback thread) at once. Flushes."""
    require(can_change_log(actor, log))
    request = _request(log.id, coach_id)
    if request is not None and request.withdrawn_at is None:
        request.withdrawn_at = now
        db.session.flush()


# --- feedback ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackInput:
    keep_doing: str | None = None
    work_on: str | None = None
    next_step: str | None = None
    free_text: str | None = None
    element_id: int | None = None


def _clean_feedback(data: FeedbackInput) -> dict[str, object]:
    limits = {"next_step": GOAL_TEXT_MAX}  # a next step can become a learning goal
    clean: dict[str, object] = {
        name: _text(getattr(data, name), name, limits.get(name, TEXT_MAX)) for name in FEEDBACK_FIELDS
    }
    if not any(clean.values()):
        raise ServiceError(_("Write at least one part of your feedback."), "keep_doing")
    if data.element_id and db.session.get(CoreElement, data.element_id) is None:
        raise ServiceError(_("Choose an element from the list."), "element_id")
    if clean["next_step"] and not data.element_id:
        raise ServiceError(_("Choose the element this next step is about."), "element_id")
    clean["element_id"] = data.element_id or None
    return clean


def _give(coach: User, practitioner: User, kind: str, item_id: int, requested_at: datetime,
          data: FeedbackInput, now: datetime) -> CoachFeedback:
    """Insert the feedback of one request once (ON CONFLICT DO NOTHING: a double submit gives one)."""
    clean = _clean_feedback(data)
    item = "practice_log_id" if kind == "log" else "reflection_id"
    stmt = dialect_insert(CoachFeedback).values(
        organisation_id=practitioner.organisation_id, practitioner_id=practitioner.id, coach_id=coach.id,
        item_kind=kind, requested_at=requested_at, created_at=now, **{item: item_id}, **clean,
    ).on_conflict_do_nothing(index_elements=[item, "coach_id", "requested_at"]).returning(CoachFeedback.id)
    created = db.session.scalar(stmt) is not None
    column = CoachFeedback.practice_log_id if kind == "log" else CoachFeedback.reflection_id
    feedback = db.session.scalar(select(CoachFeedback).where(
        column == item_id, CoachFeedback.coach_id == coach.id, CoachFeedback.requested_at == requested_at))
    assert feedback is not None
    if created:
        notify(practitioner, "feedback", now, subject_id=practitioner.id, actor=coach,
               feedback_id=feedback.id)
    return feedback


def give_feedback_on_log(coach: User, log: PracticeLog, data: FeedbackInput, now: datetime) -> CoachFeedback:
    """Answer the author's request on a log; the practitioner is notified. 404 unless asked. Flushes."""
    require(can_give_feedback_on_log(coach, log))
    request = _request(log.id, coach.id)
    assert request is not None
    return _give(coach, log.author, "log", log.id, request.requested_at, data, now)


def give_feedback_on_reflection(coach: User, reflection: Reflection, data: FeedbackInput,
                                now: datetime) -> CoachFeedback:
    """Answer a shared reflection; the practitioner is notified. 404 unless shared. Flushes."""
    require(can_give_feedback_on_reflection(coach, reflection))
    share = db.session.scalar(select(ReflectionShare).where(
        ReflectionShare.reflection_id == reflection.id, ReflectionShare.coach_id == coach.id))
    assert share is not None
    return _give(coach, reflection.author, "reflection", reflection.id, share.shared_at, data, now)


def reply_to_feedback(actor: User, feedback: CoachFeedback, body: str, now: datetime) -> FeedbackReply:
    """A reply in the feedback's thread; the other side is notified. Flushes."""
    require(can_reply_to_feedback(actor, feedback))
    text = _text(body, "body")
    if not text:
        raise ServiceError(_("Write a comment."), "body")
    reply = FeedbackReply(feedback_id=feedback.id, author_id=actor.id, body=text, created_at=now)
    db.session.add(reply)
    db.session.flush()
    other = feedback.practitioner if actor.id == feedback.coach_id else feedback.coach
    if other is not None:
        notify(other, "reply", now, subject_id=feedback.practitioner_id, actor=actor, feedback_id=feedback.id)
    return reply


def acknowledge_feedback(actor: User, feedback: CoachFeedback, answer: str, now: datetime
                         ) -> LearningGoal | None:
    """The practitioner says "seen", or "I will try this": then the next step becomes one learning
    goal (however often the button is pressed). Returns that goal. Flushes.
    """
    require(can_acknowledge_feedback(actor, feedback))
    if answer not in ACKNOWLEDGEMENTS:
        raise ServiceError(_("Choose one of the options."))
    goal = None
    if answer == "trying":
        if not feedback.next_step or feedback.element_id is None:
            raise ServiceError(_("This feedback has no next step to try."))
        goal = goals.goal_from_feedback(actor, feedback.id, goals.GoalInput(
            element_id=feedback.element_id, text=feedback.next_step,
            target_date=local_date(now) + timedelta(weeks=GOAL_WEEKS)), now)
    if feedback.acknowledgement != "trying":  # "I will try this" is not undone by a later "seen"
        feedback.acknowledgement = answer
    feedback.acknowledged_at = feedback.acknowledged_at or now
    db.session.flush()
    return goal


# --- the access log ----------------------------------------------------------------------------


def _coach_read(actor: User, action: str, object_type: str, object_id: int, subject_id: int,
                ip_address: str | None) -> None:
    if subject_id != actor.id:
        privacy.record_access(actor, "coach", action, object_type, object_id, subject_id=subject_id,
                              ip_address=ip_address)


def record_coachee_reads(actor: User, coachees: list[User], action: str, object_type: str,
                         ip_address: str | None) -> None:
    """A coach's overview, queue or coachee page shows these coachees' data: one row each."""
    require(can_read_logs_of_all(actor, coachees))
    for coachee in coachees:
        _coach_read(actor, action, object_type, coachee.id, coachee.id, ip_address)


def record_item_read(actor: User, item: PracticeLog | Reflection, ip_address: str | None) -> None:
    """A coach opening an item to answer it (a log or a shared reflection)."""
    if isinstance(item, PracticeLog):
        require(can_give_feedback_on_log(actor, item))
        _coach_read(actor, "read", "practice_log", item.id, item.author_id, ip_address)
    else:
        require(can_give_feedback_on_reflection(actor, item))
        _coach_read(actor, "read", "reflection", item.id, item.author_id, ip_address)


def record_feedback_read(actor: User, feedback: CoachFeedback, ip_address: str | None) -> None:
    require(can_read_feedback(actor, feedback))
    _coach_read(actor, "read", "coach_feedback", feedback.id, feedback.practitioner_id, ip_address)
