"""Personal data rights, the writes: recording a download, deleting one's account. Flush only."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.auth.models import AuthToken, RecoveryCode, SecondFactor, ThrottleEvent, User
from app.auth.passwords import verify_password
from app.clientvoice.models import ClientFeedbackRequest
from app.clock import local_date
from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest
from app.db import db
from app.goals.models import GoalComment, LearningGoal
from app.groups.models import GroupParticipant
from app.mail.models import OutboxEmail
from app.notifications.models import Notification, NotificationDigest
from app.observations.models import Observation, ObservationComment
from app.practice.models import PracticeLog
from app.privacy.services import record_access
from app.prompts.models import Schedule
from app.reflection.models import Reflection, ReflectionDraft, ReflectionPreference, ReflectionShare
from app.services import ServiceError
from app.teams.models import CoachAssignment, Membership, OrganisationRole


def record_download(user: User, kind: str = "personal_data_zip") -> None:
    """Every export is logged (privacy.md), also of one's own data: the ZIP of all of it, or one's
    logs alone (practice_logs_csv, practice_logs_json)."""
    record_access(user, "author", "export", kind, user.id, subject_id=user.id)


def _last_admin(user: User) -> bool:
    admins = db.session.scalar(
        select(func.count()).select_from(OrganisationRole).join(User, User.id == OrganisationRole.user_id)
        .where(OrganisationRole.role == "admin", User.organisation_id == user.organisation_id,
               User.active.is_(True), User.id != user.id))
    is_admin = db.session.scalar(select(OrganisationRole.id).where(
        OrganisationRole.user_id == user.id, OrganisationRole.role == "admin"))
    return is_admin is not None and not admins


def _delete_coaching_about(uid: int) -> None:
    """Everything of their coaching: the feedback they received and asked for, the observations of
    their sessions, their learning goals (each with its thread, by the database's cascades), their
    client-rating links, and their notifications."""
    own_logs = select(PracticeLog.id).where(PracticeLog.author_id == uid)
    for statement in (
        delete(CoachFeedback).where(CoachFeedback.practitioner_id == uid),
        delete(FeedbackRequest).where(FeedbackRequest.practice_log_id.in_(own_logs) |
                                      (FeedbackRequest.coach_id == uid)),
        delete(Observation).where(Observation.practitioner_id == uid),
        delete(LearningGoal).where(LearningGoal.owner_id == uid),
        delete(ClientFeedbackRequest).where(ClientFeedbackRequest.practitioner_id == uid),
        delete(Notification).where((Notification.user_id == uid) | (Notification.subject_id == uid)),
        delete(NotificationDigest).where(NotificationDigest.user_id == uid),
    ):
        db.session.execute(statement)


def _unname_coaching_by(uid: int) -> None:
    """What they gave others as a coach (feedback, observations, replies, comments, proposals) is
    the other person's to keep: it stays, by "a former coach", as if the account row had gone."""
    for column in (CoachFeedback.coach_id, Observation.coach_id, FeedbackReply.author_id,
                   ObservationComment.author_id, GoalComment.author_id, LearningGoal.proposed_by_id,
                   Notification.actor_id):
        db.session.execute(update(column.class_).where(column == uid).values({column.key: None}))


def delete_account(user: User, password: str, now: datetime) -> None:
    """Delete the account of `user`, who confirmed with their password. Flushes; logged.

    What they wrote goes: reflections and drafts, the notes of their logs and their notes in group
    sessions, their personal rhythms' themes, preferences, second factor, links and mail; so does
    their coaching (feedback received, observations of them, learning goals, notifications) and
    their links asking clients for a rating. What the team's aggregates count stays, without a
    name: the logs' dates, context, elements, techniques and self-ratings, the clients' ratings of
    those sessions (numbers only, client_sdm_mean and client_sdm_top), the prompts received and
    answered, memberships and coaching (ended today). The account row stays as a nameless anchor,
    so that each log still counts as one (anonymous) contributor: team figures and their
    minimum-group rules stay right (metrics.md). Refused (ServiceError) for a wrong password and
    for the organisation's last active admin.
    """
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("This is not your current password."), "password")
    if _last_admin(user):
        raise ServiceError(_("You are the last administrator. Make someone else administrator first."))
    uid = user.id
    db.session.execute(delete(Reflection).where(Reflection.author_id == uid))
    db.session.execute(delete(ReflectionShare).where(ReflectionShare.coach_id == uid))
    for model in (ReflectionDraft, ReflectionPreference, RecoveryCode, SecondFactor, AuthToken):
        db.session.execute(delete(model).where(model.user_id == uid))
    _delete_coaching_about(uid)
    _unname_coaching_by(uid)
    db.session.execute(update(PracticeLog).where(PracticeLog.author_id == uid)
                       .values(note=None, private=False))
    db.session.execute(update(GroupParticipant).where(GroupParticipant.user_id == uid).values(
        learning_question=None, notes_technical=None, notes_normative=None, notes_personal=None))
    db.session.execute(update(Schedule).where(Schedule.owner_id == uid).values(theme=None, active=False))
    db.session.execute(delete(OrganisationRole).where(OrganisationRole.user_id == uid))
    db.session.execute(update(Membership).where(Membership.user_id == uid, Membership.ended_on.is_(None))
                       .values(ended_on=local_date(now)))
    db.session.execute(update(CoachAssignment).where(
        (CoachAssignment.coach_id == uid) | (CoachAssignment.coachee_id == uid),
        CoachAssignment.ended_at.is_(None)).values(ended_at=now))
    db.session.execute(delete(OutboxEmail).where(func.lower(OutboxEmail.recipient) == user.email_normalized))
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.key == user.email_normalized))
    user.email = user.email_normalized = f"deleted-{uid}@deleted.invalid"
    user.display_name = ""
    user.password_hash = None
    user.active = False
    user.deactivated_at = user.deleted_at = now
    user.rotate_session_token()
    record_access(user, "self", "account_deleted", "user", uid, subject_id=uid, now=now)
