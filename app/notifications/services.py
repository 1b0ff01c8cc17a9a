"""Notification writes: tell someone in the app and, as they chose, by e-mail. Flush only.

A mail never holds content: a subject that names the kind of news, and a link.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.auth.models import User
from app.db import db
from app.mail.services import external_url, queue_email
from app.notifications.models import KINDS, Notification
from app.reflection.models import DEFAULT_EMAIL_MODE, ReflectionPreference
from app.security import can_open_notification, require

SUBJECTS = {
    "feedback": _l("Your coach has given you feedback"),
    "reply": _l("There is a new reply about feedback"),
    "observation": _l("Your coach has recorded an observation"),
    "comment": _l("There is a new comment on an observation"),
    "goal_proposed": _l("Your coach proposes a learning goal"),
    "goal_comment": _l("There is a new comment on a learning goal"),
    "coach_assigned": _l("A coach has been assigned to you"),
    "coach_ended": _l("Your coaching has ended"),
}


def email_mode(user_id: int) -> str:
    """How the user wants e-mail (the reflection-prompt preference, reused): instant, digest, none."""
    pref = db.session.get(ReflectionPreference, user_id)
    return pref.email_mode if pref is not None else DEFAULT_EMAIL_MODE


def notify(
    recipient: User, kind: str, now: datetime, *, subject_id: int, actor: User | None = None,
    feedback_id: int | None = None, observation_id: int | None = None, goal_id: int | None = None,
) -> Notification:
    """Add a notification for `recipient` (the badge); queue an instant mail if they want one.

    Flushes. The mail, in the recipient's language, names the kind of news and links to the
    notification; a digest reader hears of it in the weekly digest (`jobs.send_digests`).
    """
    assert kind in KINDS
    note = Notification(
        user_id=recipient.id, kind=kind, actor_id=actor.id if actor else None, subject_id=subject_id,
        feedback_id=feedback_id, observation_id=observation_id, goal_id=goal_id, created_at=now,
    )
    db.session.add(note)
    db.session.flush()
    if recipient.active and email_mode(recipient.id) == "instant":
        with force_locale(recipient.language):
            queue_email(recipient.email, str(SUBJECTS[kind]), render_template(
                "notifications/mail/notification.txt", name=recipient.display_name,
                link=external_url("notifications.open", notification_id=note.id)))
        note.emailed_at = now
        db.session.flush()
    return note


def mark_read(actor: User, notification: Notification, now: datetime) -> None:
    """The recipient opened it: it leaves the badge. 404 for anyone else. Flushes."""
    require(can_open_notification(actor, notification))
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()


def mark_read_about(actor: User, now: datetime, **target: int) -> None:
    """The actor opened what these notifications are about (a feedback_id, observation_id or
    goal_id): they leave the badge, however the page was reached. Flushes."""
    assert set(target) <= {"feedback_id", "observation_id", "goal_id"} and target
    db.session.execute(
        update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None),
                                   *(getattr(Notification, k) == v for k, v in target.items()))
        .values(read_at=now)
    )


def mark_all_read(actor: User, now: datetime) -> None:
    """Every unread notification of the actor leaves the badge. Flushes."""
    db.session.execute(
        update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
