"""Password hashing (Argon2id, parameters from settings) and the password policy."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128
# One piece typed again and again ("passwordpassword", "abcabcabcabc") is as weak as the piece.
_REPEATED = re.compile(r"(.+?)\1+", re.DOTALL)
# Dutch words that top local breach lists but are missing from the English-language list.
_DUTCH_COMMON = {"wachtwoord", "welkom", "welkom01", "voetbal", "geheim", "werkzaam", "jeugdzorg"}


@cache
def _common_passwords() -> frozenset[str]:
    # Loaded on first use: 30,000 words that a worker only needs when someone sets a password.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | _DUTCH_COMMON


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_KIB"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash (invited, not yet set) never matches."""
    if not password_hash:
        # Spend the same effort, so timing does not reveal whether the account exists.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why `password` is refused (NIST 800-63B style: length and a common-password list), or None."""
    if len(password) < MIN_LENGTH:
        return str(_("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    core = lowered.rstrip("0123456789!?.@#$%& ")
    if len(set(lowered)) <= 2 or _REPEATED.fullmatch(lowered):
        return str(_("This password is too easy to guess. Choose a longer sentence or other words."))
    if lowered in _common_passwords() or (len(core) >= 6 and core in _common_passwords()):
        return str(_("This password is too common. Choose a longer sentence or other words."))
    return None
