"""Client-voice writes: ask by one-time link or hand-over, store an answer once, end a hand-over.

Flush only. An answer keeps who answered, the three items and the respondent's choice to share;
its request is marked used in the same transaction, by a conditional UPDATE, so two submits of
one link (even at the same moment) store one answer.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.auth import throttle
from app.auth.models import User, normalise_email
from app.auth.passwords import verify_password
from app.clientvoice.models import ITEM_MAX, RESPONDENTS, ClientFeedbackRequest, ClientRating
from app.db import cast_result, db
from app.practice.models import PracticeLog
from app.privacy import services as privacy
from app.security import can_answer_handover, can_ask_client_feedback, require
from app.services import ServiceError

LINK_BUCKET = "client_link"


@dataclass(frozen=True)
class Answer:
    """What the respondent filled in; `shared` is their answer to "May [name] see your answers?"."""

    respondent: str
    effort_understand: int
    effort_listen: int
    effort_include: int
    shared: bool = False


@dataclass(frozen=True)
class UnlockResult:
    unlocked: bool
    wait_seconds: int = 0


def token_digest(raw: str) -> str:
    """The SHA-256 of a link token: all that is stored of it (as app/auth/tokens.py does)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_link(actor: User, log: PracticeLog, now: datetime) -> tuple[ClientFeedbackRequest, str]:
    """A one-time link for the session's young person or parent; returns the request and raw token.

    The token has 256 random bits and exists only in the link; it works once, for
    CLIENT_LINK_DAYS days. Only the log's author may ask (404 otherwise). Flushes.
    """
    require(can_ask_client_feedback(actor, log))
    raw = secrets.token_urlsafe(32)
    request_row = ClientFeedbackRequest(
        log_id=log.id, practitioner_id=actor.id, channel="link", token_hash=token_digest(raw),
        created_at=now, expires_at=now + timedelta(days=current_app.config["CLIENT_LINK_DAYS"]),
    )
    db.session.add(request_row)
    db.session.flush()
    return request_row, raw


def start_handover(actor: User, log: PracticeLog, now: datetime) -> ClientFeedbackRequest:
    """Hand the device to the client: a hand-over request, and the author's account locked.

    From now on every session of `actor` that began before this asks for the password on every
    page but the client's form (app/security.py, handover_locked). Flushes.
    """
    require(can_ask_client_feedback(actor, log))
    request_row = ClientFeedbackRequest(
        log_id=log.id, practitioner_id=actor.id, channel="handover", token_hash=None, created_at=now,
        expires_at=now + timedelta(minutes=current_app.config["HANDOVER_MINUTES"]),
    )
    db.session.add(request_row)
    actor.handover_locked_at = now
    db.session.flush()
    return request_row


def _check(answer: Answer) -> None:
    if answer.respondent not in RESPONDENTS:
        raise ServiceError(_("Choose who is filling this in."), "respondent")
    for name in ("effort_understand", "effort_listen", "effort_include"):
        if not 0 <= getattr(answer, name) <= ITEM_MAX:
            raise ServiceError(_("Choose an answer."), name)


def _use(request_id: int, now: datetime) -> bool:
    """Mark the request used unless it was used or expired already; True when this call did it."""
    result = db.session.execute(
        update(ClientFeedbackRequest)
        .where(ClientFeedbackRequest.id == request_id, ClientFeedbackRequest.used_at.is_(None),
               ClientFeedbackRequest.expires_at > now)
        .values(used_at=now)
    )
    return cast_result(result).rowcount == 1


def _author_of(log_id: int) -> Any:
    """The rated log's author, read by the INSERT itself (the rating's copy of it, migration 0019)."""
    return select(PracticeLog.author_id).where(PracticeLog.id == log_id).scalar_subquery()


def _store(request_row: ClientFeedbackRequest, answer: Answer) -> None:
    db.session.add(ClientRating(
        log_id=request_row.log_id, author_id=_author_of(request_row.log_id), respondent=answer.respondent,
        channel=request_row.channel,
        effort_understand=answer.effort_understand, effort_listen=answer.effort_listen,
        effort_include=answer.effort_include, shared=answer.shared,
    ))
    db.session.flush()


def answer_link(raw_token: str, answer: Answer, now: datetime) -> bool:
    """Store the answer given through a one-time link; False (nothing stored) when the link is
    unknown, used or expired, which the visitor is not told apart. Raises ServiceError for an
    incomplete answer. Flushes.
    """
    _check(answer)
    request_row = db.session.scalar(select(ClientFeedbackRequest).where(
        ClientFeedbackRequest.token_hash == token_digest(raw_token), ClientFeedbackRequest.channel == "link"))
    if request_row is None or not _use(request_row.id, now):
        return False
    _store(request_row, answer)
    return True


def answer_handover(
    actor: User, request_row: ClientFeedbackRequest, session_request_id: object, answer: Answer | None,
    now: datetime,
) -> bool:
    """Store the answer given on the author's device (None: the client chose not to answer).

    Only in the session that started the hand-over (404 otherwise). False when it was answered
    (or declined) already or has expired. The account stays locked. Flushes.
    """
    require(can_answer_handover(actor, request_row, session_request_id))
    if answer is not None:
        _check(answer)
    if not _use(request_row.id, now):
        return False
    if answer is not None:
        _store(request_row, answer)
    return True


def end_handover(actor: User, password: str, address: str, now: datetime) -> UnlockResult:
    """Unlock the account when `password` is the author's; throttled like a sign-in. Flushes.

    A wrong password counts as a failed sign-in of the account and of the address, so the
    password page cannot be used to guess; the caller commits in either case.
    """
    email = normalise_email(actor.email)
    wait = throttle.signin_wait_seconds(email, address, now)
    if wait:
        return UnlockResult(False, wait)
    if not verify_password(actor.password_hash, password):
        throttle.record_signin_failure(email, address, now)
        db.session.flush()
        return UnlockResult(False)
    actor.handover_locked_at = None
    throttle.clear_signin_failures(email)
    db.session.flush()
    return UnlockResult(True)


def count_link_visit(address: str, now: datetime) -> bool:
    """Count one request to the public link pages from `address`; False when it is over the limit.

    At most CLIENT_LINK_REQUESTS_PER_HOUR per address per hour, counted in the database so every
    worker shares them; requests over the limit are not counted again. Flushes.
    """
    limit: int = current_app.config["CLIENT_LINK_REQUESTS_PER_HOUR"]
    count, _last = throttle.count_since(LINK_BUCKET, address, now - timedelta(hours=1))
    if count >= limit:
        return False
    throttle.record(LINK_BUCKET, address, now)
    return True


def record_export(actor: User, fmt: str, ip_address: str | None) -> None:
    """Every export is logged (privacy.md), also of one's own data. Flushes."""
    privacy.record_access(actor, "author", "export", f"client_ratings_{fmt}", actor.id,
                          subject_id=actor.id, ip_address=ip_address)
