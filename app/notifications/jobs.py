"""Scheduled notification work: the weekly digest for people who chose one e-mail a week."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.auth.models import User
from app.clock import AMSTERDAM
from app.db import db, dialect_insert
from app.mail.services import external_url, queue_email
from app.notifications.models import Notification, NotificationDigest
from app.notifications.queries import visible_to
from app.reflection.models import ReflectionPreference

DIGEST_FROM = (0, 8)  # Monday 08:00 Amsterdam time, as the prompt digest


def digest_due(now: datetime) -> bool:
    """The weekly digest goes out from Monday 08:00 (Amsterdam) on, once per ISO week."""
    local = now.astimezone(AMSTERDAM)
    return not (local.weekday() == DIGEST_FROM[0] and local.hour < DIGEST_FROM[1])


def send_digests(now: datetime) -> int:
    """Queue one digest mail (a link only) to every digest reader with news not yet mailed.

    Idempotent per person per ISO week: the week is claimed with INSERT … ON CONFLICT DO NOTHING
    before the mail is queued, so a second or parallel run finds it taken. The notifications it
    covers are marked as mailed. Flushes; returns the number of mails queued.
    """
    if not digest_due(now):
        return 0
    week = now.astimezone(AMSTERDAM).strftime("%G-W%V")
    candidates = db.session.scalars(
        select(User).join(ReflectionPreference, ReflectionPreference.user_id == User.id).where(
            ReflectionPreference.email_mode == "digest", User.active.is_(True),
            select(Notification.id).where(
                visible_to(User.id, now), Notification.read_at.is_(None), Notification.emailed_at.is_(None),
            ).exists(),
        ).order_by(User.id)
    ).all()
    link = external_url("notifications.inbox")
    sent = 0
    for user in candidates:
        claim = dialect_insert(NotificationDigest).values(user_id=user.id, week=week, sent_at=now)
        if db.session.scalar(claim.on_conflict_do_nothing().returning(NotificationDigest.user_id)) is None:
            continue  # this week's digest was claimed before
        with force_locale(user.language):
            queue_email(user.email, _("There is news about your coaching"),
                        render_template("notifications/mail/digest.txt", name=user.display_name, link=link))
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.emailed_at.is_(None))
            .values(emailed_at=now)
        )
        sent += 1
    return sent
