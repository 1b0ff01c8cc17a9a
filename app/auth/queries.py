"""Reads about accounts: finding a colleague by address, whether a link can still be used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth import tokens
from app.auth.models import User, normalise_email
from app.db import db
from app.organisations.models import Organisation


def find_user_by_email(organisation: Organisation, email: str) -> User | None:
    """The account in `organisation` with this address (any case), active or not."""
    return db.session.scalar(
        select(User).where(
            User.organisation_id == organisation.id,
            User.email_normalized == normalise_email(email),
        )
    )


def token_is_valid(raw: str, purpose: str, now: datetime) -> bool:
    """True when the link can still set a password (unused, unexpired, account active)."""
    token = tokens.find_valid(raw, purpose, now)
    return token is not None and token.user.active
