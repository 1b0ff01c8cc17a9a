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


# Each spelling that once slipped through, by class. The finding quotes the normalised text.
ZWSP, ZWJ, SHY, NBSP, NUL = "\u200b", "\u200d", "\u00ad", "\u00a0", "\x00"


@pytest.mark.parametrize("text, expected", [
    # a birth date ending a sentence
    ("Geboren op 12-03-2015.", ("birth_date", "12-03-2015")),
    ("Jarig: 1/2/2010. Daarna", ("birth_date", "1/2/2010")),
    # BSN with dashes or slashes, or split by an invisible character
    ("BSN 123-456-782", ("bsn", "123-456-782")),
    ("BSN 123/45/6782", ("bsn", "123/45/6782")),
    (f"BSN 1234{ZWSP}56782", ("bsn", "123456782")),
    (f"BSN 123{ZWJ}456{ZWJ}782", ("bsn", "123456782")),
    (f"BSN 1234{SHY}56782", ("bsn", "123456782")),
    (f"BSN 1234{NBSP}56782", ("bsn", "1234 56782")),
    (f"BSN 1234{NUL}56782", ("bsn", "123456782")),
    ("BSN １２３４５６７８２", ("bsn", "123456782")),  # full-width digits
    ("dossier 3 123456782", ("bsn", "123456782")),  # after another number
    # e-mail written around a filter
    ("mail jan.de.vries(at)example.nl", ("email", "jan.de.vries(at)example.nl")),
    ("mail jan [at] example [dot] nl", ("email", "jan [at] example [dot] nl")),
    ("mail jan at example.nl", ("email", "jan at example.nl")),
    ("mail jan @ example.nl", ("email", "jan @ example.nl")),
    ("mail jan＠example.nl", ("email", "jan@example.nl")),  # full-width at sign
    # phone numbers with spaced dashes, dots, a slash, brackets
    ("bel 06 - 12 34 56 78", ("phone", "06 - 12 34 56 78")),
    ("bel 06.12.34.56.78", ("phone", "06.12.34.56.78")),
    ("bel 020/1234567", ("phone", "020/1234567")),
    ("bel 020 / 123 45 67", ("phone", "020 / 123 45 67")),
    ("bel (020) 123 4567", ("phone", "(020) 123 4567")),
    ("bel +31 (0)6 12345678", ("phone", "+31 (0)6 12345678")),
    ("bel 06\u201312345678", ("phone", "06-12345678")),  # an en dash
    # dates: ISO, two-digit years, English and Dutch month names
    ("geboren 2015-03-12", ("birth_date", "2015-03-12")),
    ("geboren 12-03-15", ("birth_date", "12-03-15")),
    ("geboren 12.3.15.", ("birth_date", "12.3.15")),
    ("born 12 March 2015", ("birth_date", "12 March 2015")),
    ("born March 12, 2015", ("birth_date", "March 12, 2015")),
    ("born 3rd of May 2012", ("birth_date", "3rd of May 2012")),
    ("geboren 12 maart 2015", ("birth_date", "12 maart 2015")),
    ("geboren 12 mrt. '15", ("birth_date", "12 mrt. '15")),
    ("geboren 1 okt 2019", ("birth_date", "1 okt 2019")),
    # postcodes without a space, in lower case, with a dash
    ("woont 1234AB 12", ("postcode", "1234AB 12")),
    ("woont 1234ab 12", ("postcode", "1234ab 12")),
    ("woont 1234 ab 12", ("postcode", "1234 ab 12")),
    ("woont 1234-AB 12", ("postcode", "1234-AB 12")),
    ("postcode 1234AB", ("postcode", "1234AB")),
    ("postcode 1234-ab.", ("postcode", "1234-ab")),
])
def test_other_spellings_are_caught(text, expected):
    assert kinds(text) == [expected]


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
    # ordinary text around numbers: times, amounts, counts, percentages, years, weeks
    "om 14:30 uur begonnen",
    "om 9.30 uur begonnen, tot 10.15 uur",
    "van 14.30-15.30 uur",
    "kosten € 1.250,00 per maand",
    "ongeveer 1.234.567 inwoners",
    "12 van de 15 doelen gehaald",
    "85% van de sessies, 7,5 uur",
    "sessie 3 van 10",
    "in 2015 verhuisd",
    "schooljaar 2015/16 en 2016-2017",
    "week 12 en week 13",
    "12 maart 15 minuten gesproken",
    "3 keer 12 minuten op 4 dagen",
    "1500 mg 2 keer per dag",
    "in 2015 NL-breed ingevoerd",
    "kijk op de @-lijst",
    "ik zat at the table",
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
