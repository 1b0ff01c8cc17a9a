"""Account writes: sign-in bookkeeping, passwords, invitations and resets. Services flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth import throttle, tokens
from app.auth.models import User, normalise_email
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.queries import find_user_by_email
from app.db import db
from app.mail.services import external_url, queue_email
from app.organisations.models import Organisation
from app.privacy.services import record_access
from app.privacy.text import clean_text
from app.services import ServiceError


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    wait_seconds: int = 0


def authenticate(email: str, password: str, address: str, now: datetime) -> SignInResult:
    """Check credentials under the throttle; records failures, rehashes on success; flushes.

    Unknown e-mail and wrong password give the same result. While the account or the address
    must wait, the password is not even checked.
    """
    key = normalise_email(email)
    wait = throttle.signin_wait_seconds(key, address, now)
    if wait:
        return SignInResult(wait_seconds=wait)
    candidates = db.session.scalars(
        select(User).where(User.email_normalized == key, User.active.is_(True))
    ).all()
    user = next((u for u in candidates if verify_password(u.password_hash, password)), None)
    if not candidates:
        verify_password(None, password)
    if user is None:
        throttle.record_signin_failure(key, address, now)
        for account in candidates:  # an address nobody uses belongs to no organisation's log
            record_access(account, "self", "sign_in_failed", "user", account.id, subject_id=account.id,
                          ip_address=address, detail="password", now=now)
        return SignInResult()
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    throttle.clear_signin_failures(key)
    db.session.flush()
    return SignInResult(user=user)


def signed_in(user: User, second_factor: bool, now: datetime) -> None:
    """Record a completed sign-in (after the second factor, when there is one); flushes."""
    user.last_login_at = now
    record_access(user, "self", "sign_in", "user", user.id, subject_id=user.id,
                  detail="second factor" if second_factor else "password", now=now)


def sign_out(user: User) -> None:
    """End every copy of the user's session cookie; logged; flushes."""
    user.rotate_session_token()
    record_access(user, "self", "sign_out", "user", user.id, subject_id=user.id)


def set_password(user: User, password: str, how: str = "password_changed") -> None:
    """Store a new password hash and end all other sessions; logged as `how`; flushes.

    It signs nobody in: after a reset or an invitation the sign-in asks the second factor as ever.
    """
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    record_access(user, "self", how, "user", user.id, subject_id=user.id)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one; raises ServiceError; flushes."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("This is not your current password."), field="current_password")
    set_password(user, new)


def update_preferences(user: User, display_name: str, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise ServiceError(_("Choose a language from the list."), field="language")
    user.display_name = clean_text(display_name).strip()
    user.language = language
    db.session.flush()


def _mail(user: User, subject: object, template: str, **context: object) -> None:
    """Queue a mail in the recipient's language; mails hold a link, never content."""
    with force_locale(user.language):
        queue_email(
            user.email,
            str(subject),
            render_template(template, user=user, **context),
        )


def create_invited_user(
    organisation: Organisation, email: str, display_name: str, language: str, now: datetime
) -> tuple[User, str]:
    """Create an account without a password and mail an invitation link; flushes.

    Raises ServiceError when the address is already in use in this organisation.
    """
    if find_user_by_email(organisation, email) is not None:
        raise ServiceError(_("Someone in your organisation already uses this e-mail address."), "email")
    user = User(
        organisation_id=organisation.id,
        email=email.strip(),
        email_normalized=normalise_email(email),
        display_name=clean_text(display_name).strip(),
        language=language,
        password_hash=None,
    )
    db.session.add(user)
    db.session.flush()
    raw = send_invitation(user, now)
    return user, raw


def send_invitation(user: User, now: datetime) -> str:
    """(Re)issue the invitation link for a user who has no password yet; flushes."""
    days = current_app.config["INVITATION_DAYS"]
    raw = tokens.issue(user, "invite", timedelta(days=days), now)
    _mail(
        user,
        _l("You are invited to Werkzaam"),
        "mail/invitation.txt",
        link=external_url("auth.accept_invitation", token=raw),
        days=days,
    )
    return raw


def accept_invitation(raw: str, password: str, now: datetime) -> User:
    """Set the first password through an invitation link; the link then stops working."""
    token = tokens.find_valid(raw, "invite", now)
    if token is None or not token.user.active:
        raise ServiceError(_("This invitation link has expired or was already used."))
    token.used_at = now
    set_password(token.user, password, "invitation_accepted")
    return token.user


def request_password_reset(email: str, address: str, now: datetime) -> bool:
    """Mail a reset link if the address belongs to an active account; flushes.

    The caller shows the same message whatever happens (no enumeration). Returns False when
    the address has asked too often, so the caller can answer 429.
    """
    key = normalise_email(email)
    hour_ago = now - timedelta(hours=1)
    per_hour = current_app.config["RESET_REQUESTS_PER_HOUR"]
    if throttle.count_since("reset_address", address, hour_ago)[0] >= per_hour * 5:
        return False
    throttle.record("reset_address", address, now)
    if throttle.count_since("reset_account", key, hour_ago)[0] >= per_hour:
        return True  # silently: a mailbox is not flooded, and the answer looks the same
    throttle.record("reset_account", key, now)
    users = db.session.scalars(
        select(User).where(User.email_normalized == key, User.active.is_(True))
    ).all()
    minutes = current_app.config["RESET_MINUTES"]
    for user in users:
        raw = tokens.issue(user, "reset", timedelta(minutes=minutes), now)
        _mail(
            user,
            _l("Choose a new password for Werkzaam"),
            "mail/password_reset.txt",
            link=external_url("auth.reset_password", token=raw),
            minutes=minutes,
        )
    return True


def reset_password(raw: str, password: str, now: datetime) -> User:
    """Set a new password through a reset link; the link then stops working; flushes."""
    token = tokens.find_valid(raw, "reset", now)
    if token is None or not token.user.active:
        raise ServiceError(_("This link has expired or was already used. Ask for a new one."))
    token.used_at = now
    set_password(token.user, password, "password_reset")
    return token.user
