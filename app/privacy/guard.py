"""Free-text guard: finds what looks like client-identifying data before any text is saved.

Patterns (shared/domain/privacy.md): a BSN passing the eleven-test, an e-mail address, a phone
number, a birth-date-like date within the past 25 years, and a postcode (with a house number, or
written as one word). Everything is matched on the normalised text (app/privacy/text.py), so
another spelling of the same identifier is caught too. Phone numbers are found by libphonenumber
and BSNs and postcodes checked by python-stdnum; the code here is the glue, and what makes a date
birth-date-like. Names cannot be found reliably; forms say so in plain words instead.
Near-misses are deliberate: a guard that cries wolf at every number teaches people to ignore it.
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
from app.privacy.text import normalise
from app.services import ServiceError

BIRTH_YEARS = 25

BSN, EMAIL, PHONE, BIRTH_DATE, POSTCODE = "bsn", "email", "phone", "birth_date", "postcode"


@dataclass(frozen=True)
class Finding:
    """A piece of (normalised) text that looks identifying: its kind, the text and where it is."""

    kind: str
    text: str
    start: int
    end: int


# --- e-mail ----------------------------------------------------------------------------------

# Also spelled to slip past a filter: "jan (at) example.nl", "jan at example.nl", "jan @ example.nl",
# "jan[at]example[dot]nl". A full-width "＠" is an "@" once the text is normalised.
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|@|apenstaartje)\s*[)\]}>]\s*|\s+(?:at|apenstaartje)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|punt)\s*[)\]}>]\s*)"
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]*\w" + _AT + r"\w[\w\-]*(?:" + _DOT + r"[\w\-]+)*" + _DOT
    + r"[^\W\d_]{2,}(?!\w)",
    re.IGNORECASE,
)

# --- BSN -------------------------------------------------------------------------------------

# A run of digit groups, each group digits joined by at most one ".", "-" or "/", the groups
# separated by single spaces: "123 456 782", "1234.56.782", "123-45-6782", "zaak 3 123456782".
_DIGIT_RUN = re.compile(r"(?<![\d.\-/])\d+(?:[.\-/]?\d+)*(?: \d+(?:[.\-/]?\d+)*)*(?![\d])")


def passes_elfproef(digits: str) -> bool:
    """The BSN eleven-test: weights 9..2 and -1 for the last digit; the sum divides by 11."""
    from stdnum.nl import bsn  # the number checks load at the first text checked, not at start-up

    return len(digits) == 9 and digits.isdigit() and bsn.is_valid(digits)


def _bsn_candidates(text: str) -> Iterator[Finding]:
    """Nine digits made of whole space-separated groups of a run, passing the eleven-test.

    A group joined by dots or dashes is one number: "1.234.567.890" holds no BSN, while in
    "sessie 3 123456782" the second group is one.
    """
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group())]
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                digits += re.sub(r"\D", "", text[groups[last][0]:groups[last][1]])
                if len(digits) >= 9:
                    if len(digits) == 9 and passes_elfproef(digits):
                        start, end = groups[first][0], groups[last][1]
                        yield Finding(BSN, text[start:end], start, end)
                    break


# --- phone -----------------------------------------------------------------------------------


# Stretches of digits and the characters phone numbers are written with. libphonenumber tries every
# number it meets, so it only reads stretches with enough digits for a phone number (at least 7).
_PHONE_STRETCH = re.compile(r"[+(]{0,2}\d[\d ().\-/]*\d")


def _phone_candidates(text: str) -> Iterator[Finding]:
    """Phone numbers in any common spelling (06-12345678, 020 / 123 45 67, +31 (0)6 …, 0031 …).

    Leniency VALID: only numbers that can exist; the laxer POSSIBLE also takes BSNs and dates.
    """
    import phonenumbers  # 1 MB of numbering plans, loaded at the first text checked

    for stretch in _PHONE_STRETCH.finditer(text):
        if sum(ch.isdigit() for ch in stretch.group()) < 7:
            continue
        offset = stretch.start()
        for match in phonenumbers.PhoneNumberMatcher(
            stretch.group(), "NL", leniency=phonenumbers.Leniency.VALID
        ):
            yield Finding(PHONE, match.raw_string, offset + match.start, offset + match.end)


# --- dates -----------------------------------------------------------------------------------

# A date may end a sentence ("Geboren op 12-03-2015.") but not run on into more digits.
_NOT_AFTER_DIGITS = r"(?<!\d)(?<!\d[/.\-])"
_NOT_BEFORE_DIGITS = r"(?!\d)(?![/.\-]\d)"
_SEP = r"\s?([\-/.])\s?"
# Day-month-year with a four- or two-digit year (12-03-2015, 12/3/15), and year-month-day (2015-03-12).
_NUMERIC_DATE = re.compile(
    _NOT_AFTER_DIGITS + r"(\d{1,2})" + _SEP + r"(\d{1,2})\s?\2\s?(\d{4}|\d{2})" + _NOT_BEFORE_DIGITS
)
_ISO_DATE = re.compile(
    _NOT_AFTER_DIGITS + r"(\d{4})" + _SEP + r"(\d{1,2})\s?\2\s?(\d{1,2})" + _NOT_BEFORE_DIGITS
)
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "maart": 3,
    "march": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
# With a month name the year has four digits, or two after an apostrophe ("12 mrt '15"): in
# "12 maart 15 minuten" the 15 is no year.
_WORD_YEAR = r"(\d{4}|'\d{2})(?!\d)"
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})(?:ste|de|e|st|nd|rd|th)?\.?[\s\-/]*(?:of\s+)?" + _MONTH + r"[\s\-/,]*" + _WORD_YEAR,
    re.IGNORECASE,
)
_MONTH_FIRST_DATE = re.compile(
    r"(?<![a-z])" + _MONTH + r"\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+" + _WORD_YEAR, re.IGNORECASE
)


def _full_year(year: str, today: date) -> int:
    """A four-digit year; "15" and "'15" are the latest year ending so that is not in the future."""
    digits = year.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    century = today.year - today.year % 100
    full = century + int(digits)
    return full if full <= today.year else full - 100


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


def _date_candidates(text: str, today: date) -> Iterator[Finding]:
    dated: list[tuple[re.Match[str], int, int, int]] = []
    for m in _NUMERIC_DATE.finditer(text):
        dated.append((m, int(m.group(1)), int(m.group(3)), _full_year(m.group(4), today)))
    for m in _ISO_DATE.finditer(text):
        dated.append((m, int(m.group(4)), int(m.group(3)), int(m.group(1))))
    for m in _WORD_DATE.finditer(text):
        dated.append((m, int(m.group(1)), _MONTHS[m.group(2).lower()], _full_year(m.group(3), today)))
    for m in _MONTH_FIRST_DATE.finditer(text):
        dated.append((m, int(m.group(2)), _MONTHS[m.group(1).lower()], _full_year(m.group(3), today)))
    for m, day, month, year in dated:
        if _birth_date_like(day, month, year, today):
            yield Finding(BIRTH_DATE, m.group(), m.start(), m.end())


# --- postcode --------------------------------------------------------------------------------

# 1234 AB, 1234AB, 1234ab, 1234-AB; with a house number after it (1234 AB 12a, 1234ab, 12-3) or
# before it (Dorpsstraat 12, 1234 AB), or alone when written as one word (1234AB, 1234-ab).
_CODE = r"(?P<digits>[1-9]\d{3})(?P<sep>\s?-\s?|\s?)(?P<letters>[a-zA-Z]{2})(?![a-zA-Z])"
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:-\d{1,4})?"
_POSTCODES = (
    re.compile(r"(?<![\w\-])" + _CODE + r",?\s+" + _HOUSE_NUMBER + r"(?!\w)"),
    re.compile(r"(?<![\w\-])\d{1,5}[a-zA-Z]?,?\s+" + _CODE + r"(?!\w)"),
    re.compile(r"(?<![\w\-])" + _CODE + r"(?!\w)"),
)
# Two letters after a number that are a word or a unit, not a postcode: "in 2024 en 12 keer",
# "1500 mg 2 keer per dag". Written in capitals they are read as a postcode.
_NOT_POSTCODE_LETTERS = frozenset((
    "af", "al", "an", "as", "at", "by", "de", "do", "en", "er", "go", "he", "if", "ik", "in", "is",
    "it", "je", "me", "my", "na", "no", "nu", "of", "om", "on", "op", "or", "so", "te", "to", "up",
    "us", "we", "ze", "zo", "am", "pm",
    "mg", "ml", "km", "kg", "cm", "mm", "st", "pp", "gb", "mb", "kb", "hz", "kw",
))


def _postcode_candidates(text: str) -> Iterator[Finding]:
    from stdnum.nl import postcode  # loaded at the first text checked, not at start-up

    for with_number, pattern in zip((True, True, False), _POSTCODES, strict=True):
        for m in pattern.finditer(text):
            letters, sep = m.group("letters"), m.group("sep")
            if not postcode.is_valid(m.group("digits") + letters.upper()):
                continue  # SA, SD and SS are never used
            written_as_code = letters.isupper() or "-" in sep
            if letters.lower() in _NOT_POSTCODE_LETTERS and not written_as_code:
                continue
            if not with_number and sep and not written_as_code:
                continue  # "1234 ab" alone: too much like a number and a word
            if not with_number and sep == " ":
                continue  # "in 2015 NL" alone: a year and a word in capitals
            yield Finding(POSTCODE, m.group(), m.start(), m.end())


# --- together --------------------------------------------------------------------------------


def _candidates(text: str, today: date) -> Iterator[Finding]:
    # Order matters: earlier kinds win where matches overlap (an e-mail's digits are no phone).
    yield from (Finding(EMAIL, m.group(), m.start(), m.end()) for m in _EMAIL.finditer(text))
    yield from _phone_candidates(text)
    yield from _bsn_candidates(text)
    yield from _date_candidates(text, today)
    yield from _postcode_candidates(text)


def find_identifiers(text: str | None, today: date | None = None) -> list[Finding]:
    """Everything in `text` that looks like a client identifier, in reading order.

    The text is normalised first (app/privacy/text.py); findings quote the normalised text.
    `today` (default: today in Europe/Amsterdam) decides which dates could be a young person's
    birth date. Overlapping matches are reported once, as the kind found first.
    """
    if not text:
        return []
    found: list[Finding] = []
    for candidate in _candidates(normalise(text), today or local_today()):
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
