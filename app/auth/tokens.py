"""Single-use link tokens for invitations and password resets; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.auth.models import AuthToken, User
from app.db import db


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(user: User, purpose: str, lifetime: timedelta, now: datetime) -> str:
    """Create a token for `user`, revoking older unused ones of the same purpose; flushes.

    Returns the raw token, which exists only in the link that is mailed.
    """
    db.session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.purpose == purpose, AuthToken.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AuthToken(user_id=user.id, purpose=purpose, token_hash=_digest(raw), created_at=now,
                  expires_at=now + lifetime)
    )
    db.session.flush()
    return raw


def find_valid(raw: str, purpose: str, now: datetime) -> AuthToken | None:
    """The unused, unexpired token behind `raw`, or None."""
    token = db.session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _digest(raw), AuthToken.purpose == purpose)
    )
    if token is None or token.used_at is not None or token.expires_at <= now:
        return None
    return token
