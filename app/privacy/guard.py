"""Free-text guard: finds what looks like client-identifying data before any text is saved.

Patterns (shared/domain/privacy.md): a BSN passing the eleven-test, an e-mail address, a Dutch
phone number, a birth-date-like date within the past 25 years, and a postcode with a house number.
Names cannot be found reliably; forms say so in plain words instead. Near-misses are deliberate:
a guard that cries wolf at every number teaches people to ignore it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from app.clock import local_today
from app.services import ServiceError

BIRTH_YEARS = 25

BSN, EMAIL, PHONE, BIRTH_DATE, POSTCODE = "bsn", "email", "phone", "birth_date", "postcode"


@dataclass(frozen=True)
class Finding:
    """A piece of text that looks identifying: its kind, the text itself and where it is."""

    kind: str
    text: str
    start: int
    end: int


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A Dutch number: trunk 0 or +31/0031 (optionally "(0)"), then nine digits with optional single
# spaces or hyphens between them: 06-12345678, 020-1234567, +31 6 1234 5678, 0031 20 123 4567.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[\s\-]?(?:\(0\)[\s\-]?)?|\(?0(?=[1-9]))"
    r"[1-9](?:\)?[\s\-]?\d){8}(?!\d)"
)
# Nine digits, optionally grouped by single spaces or dots (123456782, 1234.56.782, 123 456 782).
_NINE_DIGITS = re.compile(r"(?<![\d.\-])\d(?:[ .]?\d){8}(?![\d\-]|\.\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})([\-/.])(\d{1,2})\2(\d{4})(?![\d/.\-])")
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)
# Postcode 1234 AB with a house number after it (1234 AB 12, 1234AB 12a, 1234 AB, 12-3) or before
# it (Dorpsstraat 12, 1234 AB). Capitals with a space, or letters stuck to the digits: "2024 en 12"
# is a sentence, not an address.
_POSTCODE_CORE = r"[1-9]\d{3}(?:\s?[A-Z]{2}|[a-zA-Z]{2})"
_POSTCODE = re.compile(
    r"(?<![\w])(?:" + _POSTCODE_CORE + r",?\s+\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:-\d{1,4})?"
    r"|\d{1,5}[a-zA-Z]?,?\s+" + _POSTCODE_CORE + r")(?![\w])"
)


def passes_elfproef(digits: str) -> bool:
    """The BSN eleven-test: weights 9..2 and -1 for the last digit; the sum divides by 11."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def _birth_date_like(day: int, month: int, year: int, today: date) -> bool:
    try:
        when = date(year, month, day)
    except ValueError:
        return False
    try:
        earliest = today.replace(year=today.year - BIRTH_YEARS)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - BIRTH_YEARS, day=28)
    return earliest <= when <= today


def _candidates(text: str, today: date) -> Iterator[Finding]:
    # Order matters: earlier kinds win where matches overlap (an e-mail's digits are no phone).
    for m in _EMAIL.finditer(text):
        yield Finding(EMAIL, m.group(), m.start(), m.end())
    for m in _PHONE.finditer(text):
        yield Finding(PHONE, m.group(), m.start(), m.end())
    for m in _NINE_DIGITS.finditer(text):
        if passes_elfproef(re.sub(r"\D", "", m.group())):
            yield Finding(BSN, m.group(), m.start(), m.end())
    for m in _NUMERIC_DATE.finditer(text):
        if _birth_date_like(int(m.group(1)), int(m.group(3)), int(m.group(4)), today):
            yield Finding(BIRTH_DATE, m.group(), m.start(), m.end())
    for m in _WORD_DATE.finditer(text):
        month = _MONTHS[m.group(2).lower()]
        if _birth_date_like(int(m.group(1)), month, int(m.group(3)), today):
            yield Finding(BIRTH_DATE, m.group(), m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        yield Finding(POSTCODE, m.group(), m.start(), m.end())


def find_identifiers(text: str | None, today: date | None = None) -> list[Finding]:
    """Everything in `text` that looks like a client identifier, in reading order.

    `today` (default: today in Europe/Amsterdam) decides which dates could be a young person's
    birth date. Overlapping matches are reported once, as the kind found first.
    """
    if not text:
        return []
    found: list[Finding] = []
    for candidate in _candidates(text, today or local_today()):
        if not any(candidate.start < f.end and f.start < candidate.end for f in found):
            found.append(candidate)
    return sorted(found, key=lambda f: f.start)


_MESSAGES = {
    BSN: _l("This looks like a citizen service number (BSN): %(text)s"),
    EMAIL: _l("This looks like an e-mail address: %(text)s"),
    PHONE: _l("This looks like a phone number: %(text)s"),
    BIRTH_DATE: _l("This looks like a date of birth: %(text)s"),
    POSTCODE: _l("This looks like an address: %(text)s"),
}


def describe(finding: Finding) -> str:
    """A short message in the user's language naming what looks identifying."""
    return str(_MESSAGES[finding.kind]) % {"text": finding.text}


def guard_message(findings: list[Finding]) -> str:
    """One message for a form field: what was found, and what to do about it."""
    parts = [describe(f) + "." for f in findings]
    parts.append(_("Remove or rephrase it: write nothing that could identify a client."))
    return " ".join(parts)


def no_identifiers(today: Callable[[], date] | None = None) -> Callable[[Any, Any], None]:
    """A WTForms validator: refuses text that looks like a client identifier (nothing is saved)."""

    def _validate(_form: Any, field: Any) -> None:
        findings = find_identifiers(field.data or "", today() if today else None)
        if findings:
            raise ValidationError(guard_message(findings))

    return _validate


def check_text(text: str | None, field: str | None = None) -> None:
    """Refuse free text that looks like a client identifier (privacy guard); nothing is saved."""
    findings = find_identifiers(text or "")
    if findings:
        raise ServiceError(guard_message(findings), field)
