"""The free-text guard: each identifier pattern is caught, and each near-miss is left alone."""

from __future__ import annotations

from datetime import date

import pytest

from app.privacy.guard import find_identifiers, guard_message, passes_elfproef

TODAY = date(2026, 3, 15)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_identifiers(text, TODAY)]


@pytest.mark.parametrize("digits, ok", [
    ("111222333", True),  # 9+8+7+12+10+8+9+6-3 = 66
    ("123456782", True),
    ("111222334", False),
    ("123456789", False),
    ("000000000", False),
    ("12345678", False),
])
def test_elfproef(digits, ok):
    assert passes_elfproef(digits) is ok


@pytest.mark.parametrize("text, expected", [
    ("BSN 111222333 genoteerd", ("bsn", "111222333")),
    ("bsn: 1234.56.782", ("bsn", "1234.56.782")),
    ("nummer 123 456 782", ("bsn", "123 456 782")),
    ("mail naar jan.de.vries@example.nl voor info", ("email", "jan.de.vries@example.nl")),
    ("Moeder belt via 06-12345678", ("phone", "06-12345678")),
    ("nummer 0612345678.", ("phone", "0612345678")),
    ("bel +31 6 1234 5678 morgen", ("phone", "+31 6 1234 5678")),
    ("+31612345678", ("phone", "+31612345678")),
    ("kantoor 020-1234567", ("phone", "020-1234567")),
    ("0031 20 123 4567", ("phone", "0031 20 123 4567")),
    ("06 12 34 56 78", ("phone", "06 12 34 56 78")),
    ("geboren 12-03-2015", ("birth_date", "12-03-2015")),
    ("geb. 1/2/2010", ("birth_date", "1/2/2010")),
    ("op 03/11/2008 jarig", ("birth_date", "03/11/2008")),
    ("geboren 4 mei 2012", ("birth_date", "4 mei 2012")),
    ("woont op 1234 AB 12", ("postcode", "1234 AB 12")),
    ("adres 1234AB 12a.", ("postcode", "1234AB 12a")),
    ("Dorpsstraat 12, 1234 AB Utrecht", ("postcode", "12, 1234 AB")),
])
def test_identifier_is_caught(text, expected):
    assert expected in kinds(text)


@pytest.mark.parametrize("text", [
    "BSN-achtig maar fout: 111222334",  # 9 digits, fails the eleven-test
    "moeder is geboren 12-03-1986",  # 40 years ago: not a young person's birth date
    "volgende afspraak 12-03-2027",  # in the future
    "ongeveer 1234 12 keer geoefend",  # a 4-digit number without letters
    "ordernummer 2024-001234 besteld",  # an order number
    "bestelling 98765432 geleverd",  # 8 digits
    "factuur 4711-2023-88",
    "in 2024 en 12 keer gesproken",  # a year and a number are not an address
    "we oefenden 3 keer 10 minuten, score 4 van 5",
    "afspraak om 14.30 uur, 45 minuten",
    "gesprek over de @-regel op school",
    "week 12, 2026",
    "",
])
def test_near_miss_is_not_caught(text):
    assert kinds(text) == []


def test_several_findings_are_reported_in_reading_order():
    found = kinds("tel 06-12345678 en mail a@b.nl, geb. 01-01-2015")
    assert [k for k, _t in found] == ["phone", "email", "birth_date"]


def test_the_message_names_what_looks_identifying(app):
    with app.test_request_context():
        message = guard_message(find_identifiers("bel 06-12345678", TODAY))
    assert "phone number: 06-12345678" in message
    assert "identify a client" in message


def test_a_date_exactly_25_years_ago_counts_and_one_day_earlier_does_not():
    assert kinds("15-03-2001") == [("birth_date", "15-03-2001")]
    assert kinds("14-03-2001") == []
