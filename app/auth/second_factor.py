"""The second factor: TOTP (RFC 6238) codes that work once, recovery codes, set-up and reset.

Services flush only. A six-digit code is checked against the time steps around `now` (one either
side, for clocks that drift) and is accepted only for a step after the last one used, so a code
overheard or typed twice is refused. A recovery code (ten, shown once) works once as well.
Wrong codes count towards the sign-in throttle of the account, like wrong passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import NamedTuple

import pyotp
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.auth import throttle
from app.auth.models import RecoveryCode, SecondFactor, User
from app.db import db
from app.privacy.services import record_access
from app.security import can_reset_second_factor, needs_second_factor, require
from app.services import ServiceError

ISSUER = "Werkzaam"
STEP_SECONDS = 30
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    """A fresh random TOTP secret (160 bits, base32)."""
    return pyotp.random_base32(32)


def setup_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as inline SVG, drawn here: the secret never leaves the app."""
    import segno  # here: only the set-up page draws a QR code, and a worker need not hold it

    svg: str = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title="QR")
    return svg


def step_of(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The code of `secret` in time step `step` (what an authenticator app shows then)."""
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    current = step_of(now)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def enrolment_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10)) for _n in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    db.session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def enrol(user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Set up the authenticator whose `secret` the user scanned, once they typed its current code.

    Returns the ten recovery codes (shown once; only their hashes are kept). Raises ServiceError
    when the code is wrong or the user already has a second factor. Logged. Flushes.
    """
    if enrolment_of(user) is not None:
        raise ServiceError(_("You already use a second factor."))
    step = _matching_step(secret, _clean(code), now, None)
    if step is None:
        raise ServiceError(_("This code is not right. Type the code your app shows now."), "code")
    db.session.add(SecondFactor(user_id=user.id, secret=secret, enrolled_at=now, last_step=step))
    codes = _new_recovery_codes(user)
    record_access(user, "self", "second_factor_set_up", "user", user.id, subject_id=user.id, now=now)
    return codes


class CodeCheck(NamedTuple):
    accepted: bool
    wait_seconds: int = 0


def check_code(user: User, code: str, address: str, now: datetime) -> CodeCheck:
    """Check a code at sign-in: a current authenticator code not used before, or an unused recovery
    code; once accepted it is used up. While the throttle holds the account back nothing is
    checked (`wait_seconds`). A wrong code is logged as a failed sign-in. Flushes.
    """
    key = f"user:{user.id}"
    wait = throttle.signin_wait_seconds(key, address, now)
    if wait:
        return CodeCheck(False, wait)
    factor = enrolment_of(user)
    cleaned = _clean(code)
    if factor is not None and cleaned.isdigit():
        step = _matching_step(factor.secret, cleaned, now, factor.last_step)
        if step is not None:
            factor.last_step = step
            db.session.flush()
            return CodeCheck(True)
    elif factor is not None:
        recovery = db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(cleaned),
            RecoveryCode.used_at.is_(None)))
        if recovery is not None:
            recovery.used_at = now
            db.session.flush()
            return CodeCheck(True)
    throttle.record_signin_failure(key, address, now)
    record_access(user, "self", "sign_in_failed", "user", user.id, subject_id=user.id,
                  detail="second factor", now=now)
    return CodeCheck(False)


def _confirm(user: User, code: str, now: datetime) -> None:
    """A current authenticator code (not used before) confirms a change to the second factor."""
    factor = enrolment_of(user)
    step = _matching_step(factor.secret, _clean(code), now, factor.last_step) if factor else None
    if factor is None or step is None:
        raise ServiceError(_("This code is not right. Type the code your app shows now."), "code")
    factor.last_step = step


def renew_recovery_codes(user: User, code: str, now: datetime) -> list[str]:
    """Ten new recovery codes (the old ones stop working), confirmed with a current code. Logged."""
    _confirm(user, code, now)
    codes = _new_recovery_codes(user)
    record_access(user, "self", "recovery_codes_renewed", "user", user.id, subject_id=user.id, now=now)
    return codes


def switch_off(user: User, code: str, now: datetime) -> None:
    """Stop using a second factor, confirmed with a current code; refused for whoever needs one."""
    if needs_second_factor(user):
        raise ServiceError(_("In your role you sign in with a second factor; it cannot be switched off."))
    _confirm(user, code, now)
    _remove(user)
    record_access(user, "self", "second_factor_removed", "user", user.id, subject_id=user.id, now=now)


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.flush()


def reset(actor: User, user: User, now: datetime) -> None:
    """An admin removes a colleague's second factor (a lost phone): they are signed out everywhere
    and set up a new one at their next sign-in when they need one. Logged. Flushes."""
    require(can_reset_second_factor(actor, user), hide=False)
    _remove(user)
    user.rotate_session_token()
    record_access(actor, "admin", "second_factor_reset", "user", user.id, subject_id=user.id, now=now)
