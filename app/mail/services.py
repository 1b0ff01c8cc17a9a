"""Queueing e-mail: writes go to the outbox, never straight to SMTP."""

from __future__ import annotations

from flask import current_app

from app.db import db, utcnow
from app.mail.models import OutboxEmail


def queue_email(recipient: str, subject: str, body: str) -> OutboxEmail:
    """Add a mail to the outbox for the scheduler to send; flushes, never sends."""
    mail = OutboxEmail(recipient=recipient, subject=subject, body=body, next_attempt_at=utcnow())
    db.session.add(mail)
    db.session.flush()
    return mail


def external_url(endpoint: str, **values: object) -> str:
    """An absolute link for a mail, built without a request (jobs and the CLI send mail too)."""
    adapter = current_app.url_map.bind("localhost")
    base: str = current_app.config["BASE_URL"]
    return base.rstrip("/") + adapter.build(endpoint, values)
