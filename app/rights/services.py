"""Personal data rights, the writes: recording a download, deleting one's account. Flush only."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.auth.models import AuthToken, RecoveryCode, SecondFactor, ThrottleEvent, User
from app.auth.passwords import verify_password
from app.clock import local_date
from app.db import db
from app.groups.models import GroupParticipant
from app.mail.models import OutboxEmail
from app.practice.models import PracticeLog
from app.privacy.services import record_access
from app.prompts.models import Schedule
from app.reflection.models import Reflection, ReflectionDraft, ReflectionPreference, ReflectionShare
from app.services import ServiceError
from app.teams.models import CoachAssignment, Membership, OrganisationRole


def record_download(user: User) -> None:
    """Every export is logged (privacy.md), also of one's own data."""
    record_access(user, "author", "export", "personal_data_zip", user.id, subject_id=user.id)


def _last_admin(user: User) -> bool:
    admins = db.session.scalar(
        select(func.count()).select_from(OrganisationRole).join(User, User.id == OrganisationRole.user_id)
        .where(OrganisationRole.role == "admin", User.organisation_id == user.organisation_id,
               User.active.is_(True), User.id != user.id))
    is_admin = db.session.scalar(select(OrganisationRole.id).where(
        OrganisationRole.user_id == user.id, OrganisationRole.role == "admin"))
    return is_admin is not None and not admins


def delete_account(user: User, password: str, now: datetime) -> None:
    """Delete the account of `user`, who confirmed with their password. Flushes; logged.

    What they wrote goes: reflections and drafts, the notes of their logs and their notes in group
    sessions, their personal rhythms' themes, preferences, second factor, links and mail. What the
    team's aggregates count stays, without a name: the logs' dates, context, elements, techniques
    and self-ratings, the prompts received and answered, memberships and coaching (ended today).
    The account row stays as a nameless anchor, so that each log still counts as one (anonymous)
    contributor: team figures and their minimum-group rules stay right (metrics.md). Refused
    (ServiceError) for a wrong password and for the organisation's last active admin.
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
