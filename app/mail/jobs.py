"""Scheduled e-mail work: drain the outbox with retries and backoff, never talking SMTP in a transaction."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Collection
from datetime import datetime, timedelta
from uuid import uuid4

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.db import db
from app.mail.models import OutboxEmail
from app.mail.transport import SMTP_TIMEOUT, deliver

BATCH = 100
# A claim older than this was abandoned (its run crashed) and may be claimed again. It is well over
# BATCH × SMTP_TIMEOUT (1,000 s), and a live run starts no conversation in the last SEND_MARGIN of
# its lease (room for one conversation of 20 slow steps), so it never loses a claim it still uses.
CLAIM_LEASE = timedelta(minutes=30)
SEND_MARGIN = timedelta(seconds=20 * SMTP_TIMEOUT)


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_outbox(now: datetime) -> dict[str, int]:
    """Send every due, unsent mail, holding no transaction while the SMTP server is talked to.

    1. Claim: one short write transaction marks up to BATCH due mails with this run's token
       (claimed_at = now) and commits.
    2. Send each claimed mail outside any transaction: on SQLite a transaction of this (writing)
       session holds the database's write lock, and every other write in the app would wait on SMTP.
    3. Record each outcome in its own short write transaction. A failed attempt raises the attempt
       count and sets the next try later; after MAIL_MAX_ATTEMPTS the mail is marked failed and
       left alone. Returns counts per outcome.

    A claim older than CLAIM_LEASE belongs to a run that died, and a later run claims the mail
    again. What that means for delivery:
    - a crash after the claim and before the SMTP server took the mail: the mail goes out once, a
      lease later than it would have;
    - a crash (or a lost database) after the server took the mail and before its outcome was
      committed: the mail is sent a second time once the lease has passed. In this one window
      delivery is at least once, not exactly once (the copy has the same Message-ID, by which some
      mail systems drop it);
    - as ever with SMTP, a connection lost after the server accepted the data but before its reply
      counts as a failure and is retried, so that mail arrives twice too.
    Otherwise each mail is sent once: a live run starts no conversation after CLAIM_LEASE minus
    SEND_MARGIN, and gives back what it did not send.
    """
    # The architecture's rule is one commit per job, made by run_job. This job commits several
    # times on purpose: the claim must be committed before SMTP talks (or the transaction would be
    # open, on SQLite holding the write lock, for the whole conversation), and each outcome on its
    # own, so a later failure cannot undo the record of a mail already sent. run_job's commit finds
    # nothing left to do.
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    counts = {"sent": 0, "failed": 0}
    session = db.session
    token = uuid4().hex
    started = time.monotonic()
    claimed = _claim(session, now, token)
    unsent = {mail.id for mail in claimed}
    try:
        for mail in claimed:
            if time.monotonic() - started > (CLAIM_LEASE - SEND_MARGIN).total_seconds():
                break  # the rest is given back below, for the next run
            unsent.discard(mail.id)
            error = None
            try:
                deliver(mail)  # every column it reads was loaded by the claim: no query here
            except (OSError, smtplib.SMTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            counts["failed" if error else "sent"] += 1
            _record(session, mail.id, token, now, error, max_attempts)
    finally:
        if unsent:
            _release(session, unsent, token)
    return counts


def _claim(session: Session, now: datetime, token: str) -> list[OutboxEmail]:
    """Mark up to BATCH due mails as this run's and load them; commits (a short write transaction)."""
    due = (
        select(OutboxEmail.id)
        .where(
            OutboxEmail.sent_at.is_(None),
            OutboxEmail.failed_at.is_(None),
            OutboxEmail.next_attempt_at <= now,
            or_(OutboxEmail.claimed_at.is_(None), OutboxEmail.claimed_at < now - CLAIM_LEASE),
        )
        .order_by(OutboxEmail.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)  # PostgreSQL: two runs never claim the same row
    )
    ids = session.scalars(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due))
        .values(claimed_at=now, claim_token=token)
        .returning(OutboxEmail.id),
        execution_options={"synchronize_session": False},
    ).all()
    mails: list[OutboxEmail] = []
    if ids:
        mails = list(session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.id.in_(ids))
            .order_by(OutboxEmail.id)
            .execution_options(populate_existing=True)
        ))
    session.commit()
    return mails


def _record(
    session: Session, mail_id: int, token: str, now: datetime, error: str | None, max_attempts: int
) -> None:
    """Store the outcome of one attempt and end the claim; commits (a short write transaction).

    A sent mail's body is emptied in the same transaction: it holds a live link (an invitation or
    a password reset) that must not stay readable in the database. Recipient, subject, times and
    outcome stay. A failed attempt keeps the body for the retry; a mail given up is emptied too.
    """
    mail = session.scalars(
        select(OutboxEmail).where(OutboxEmail.id == mail_id).execution_options(populate_existing=True)
    ).one_or_none()
    if mail is None:
        session.commit()
        return
    mine = mail.claim_token == token
    if error is None:
        if mail.sent_at is None:  # sent is sent, even if a later run has taken over the claim
            mail.attempts += 1
            mail.sent_at = now
        mail.body = ""
    elif mine and mail.sent_at is None:  # a run that took over the claim counts its own attempts
        mail.attempts += 1
        mail.last_error = error
        mail.next_attempt_at = now + backoff(mail.attempts)
        if mail.attempts >= max_attempts:
            mail.failed_at = now
            mail.body = ""  # no retry will need it
    if mine:
        mail.claimed_at = None
        mail.claim_token = None
    session.commit()


def _release(session: Session, ids: Collection[int], token: str) -> None:
    """Give back claims this run did not use, so the next run need not wait for the lease."""
    session.rollback()
    session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(ids), OutboxEmail.claim_token == token)
        .values(claimed_at=None, claim_token=None),
        execution_options={"synchronize_session": False},
    )
    session.commit()
