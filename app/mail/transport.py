"""Delivering one message: over SMTP, or as a file in instance/mail/ during development."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from app.mail.models import OutboxEmail

SMTP_TIMEOUT = 10  # seconds, for each blocking step of the conversation (connect, each command)


def build_message(mail: OutboxEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Message-ID"] = f"<outbox-{mail.id}@werkzaam>"
    msg.set_content(mail.body)
    return msg


def deliver(mail: OutboxEmail) -> None:
    """Send one outbox mail; raises OSError/SMTPException when the server does not take it."""
    cfg = current_app.config
    msg = build_message(mail)
    if cfg["MAIL_BACKEND"] == "file":
        folder = Path(cfg["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{mail.id:06d}.eml").write_bytes(bytes(msg))
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)
