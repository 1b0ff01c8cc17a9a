"""Scheduled e-mail work: drain the outbox with retries and backoff."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.db import db
from app.mail.models import OutboxEmail
from app.mail.transport import deliver

BATCH = 100


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_outbox(now: datetime) -> dict[str, int]:
    """Send every due, unsent mail; each mail is committed on its own so one failure loses none.

    A failed attempt raises the attempt count and sets the next try later; after
    MAIL_MAX_ATTEMPTS the mail is marked failed and left alone. Returns counts per outcome.
    """
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    counts = {"sent": 0, "failed": 0}
    session = db.session
    due = session.scalars(
        select(OutboxEmail.id)
        .where(
            OutboxEmail.sent_at.is_(None),
            OutboxEmail.failed_at.is_(None),
            OutboxEmail.next_attempt_at <= now,
        )
        .order_by(OutboxEmail.id)
        .limit(BATCH)
    ).all()
    session.commit()
    for mail_id in due:
        mail = session.get(OutboxEmail, mail_id)
        if mail is None or mail.sent_at is not None:
            session.commit()
            continue
        try:
            deliver(mail)
        except (OSError, smtplib.SMTPException) as exc:
            mail.attempts += 1
            mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
            mail.next_attempt_at = now + backoff(mail.attempts)
            if mail.attempts >= max_attempts:
                mail.failed_at = now
            counts["failed"] += 1
        else:
            mail.attempts += 1
            mail.sent_at = now
            counts["sent"] += 1
        session.commit()
    return counts
