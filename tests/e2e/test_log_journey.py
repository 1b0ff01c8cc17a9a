"""Browser journey on a phone: a practitioner logs a session from the home page.

Sanne signs in, taps "Gesprek loggen", ticks what she applied of two core elements, rates each,
says where, with whom, the age band and the phase, and saves. The log's page shows; back home,
the log is among her recent logs and the 4-week overview counts both elements.

Logging must stay quick: the whole log (from the home page's button to the saved page) takes at
most 12 taps for someone logging for the first time (nothing pre-filled but the date and the
duration), and filling and saving it stays well under a minute (a guard, not a benchmark).
"""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask

from app.clock import local_today
from tests import factories
from tests.e2e.helpers import Phones, Taps, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

MAX_TAPS = 12
MAX_SECONDS = 60

SDM = "Samenwerken en samen beslissen"
ER = "Emoties leren reguleren"
PS = "Sociale en probleemoplossende vaardigheden"


def test_practitioner_logs_a_session_with_two_elements(app: Flask, live_server: str, phones: Phones) -> None:
    org = factories.organisation("Jeugdhulp Demo")
    team = factories.team(org, "Team Noord")
    factories.user(org, "sanne@example.org", name="Sanne de Vries", team=team)

    page = phones.open()
    sign_in(page, "sanne@example.org", factories.PASSWORD)
    assert "Sanne de Vries" in page.locator("h1").inner_text()
    recent = page.get_by_role("region", name="Je laatste logs")
    assert recent.locator(".log-item").count() == 0
    fits_the_screen(page)

    # The prominent action on the home page opens the form.
    taps = Taps()
    taps.click(page.get_by_role("link", name="Gesprek loggen", exact=True))
    page.wait_for_url(re.compile(r"/logs/new$"))
    page.wait_for_load_state()
    fits_the_screen(page)
    started = time.perf_counter()

    # Pre-filled: today's date and the usual duration.
    assert page.get_by_label("Datum van het gesprek").input_value() == local_today().isoformat()
    assert page.get_by_label("Duur in minuten").input_value() == "60"

    # The session: one pill per question, chosen by its label.
    taps.check(page.get_by_role("group", name="Waar", exact=True).get_by_label("Huisbezoek", exact=True))
    taps.check(page.get_by_role("group", name="Wie deden mee", exact=True)
               .get_by_label("Jeugdige", exact=True))
    taps.check(page.get_by_role("group", name="Leeftijd van de jeugdige", exact=True)
               .get_by_label("12 tot 18 jaar", exact=True))
    taps.check(page.get_by_role("group", name="Fase van de hulp", exact=True)
               .get_by_label("Uitvoeren van de hulp", exact=True))

    # Two elements applied: each unfolds on its toggle, then a technique and a rating.
    for element, technique, rating in (
        (SDM, "Wensen en doelen van jeugdige/ouders gevraagd", "4 · goed"),
        (ER, "Emotie opgemerkt en benoemd", "3 · redelijk"),
    ):
        section = page.get_by_role("group", name=element, exact=True)
        assert not section.get_by_label(technique, exact=True).is_visible()  # folded until applied
        taps.check(section.get_by_label("Dit heb ik in het gesprek toegepast", exact=True))
        taps.check(section.get_by_label(technique, exact=True))
        taps.check(section.get_by_role("group", name="Hoe goed lukte het?", exact=True)
                   .get_by_label(rating, exact=True))
        fits_the_screen(page)

    taps.click(page.get_by_role("button", name="Log opslaan", exact=True))
    page.wait_for_url(re.compile(r"/logs/\d+$"))
    page.wait_for_load_state()
    elapsed = time.perf_counter() - started
    log_path = re.sub(r"^https?://[^/]+", "", page.url)

    assert taps.count <= MAX_TAPS, f"logging a session took {taps.count} taps"
    assert elapsed < MAX_SECONDS, f"filling and saving the log took {elapsed:.1f} s"

    # The log's page: what was saved, in Dutch.
    assert "Je log is opgeslagen." in page.locator(".flashes").inner_text()
    details = page.locator("#main").inner_text()
    for text in ("Huisbezoek", "Jeugdige", "12 tot 18 jaar", "Uitvoeren van de hulp", "60 min",
                 "Wensen en doelen van jeugdige/ouders gevraagd", "4 · goed",
                 "Emotie opgemerkt en benoemd", "3 · redelijk"):
        assert text in details, f"{text!r} missing from the log page"
    assert page.get_by_role("heading", name=SDM).count() == 1
    assert page.get_by_role("heading", name=ER).count() == 1
    assert page.get_by_role("heading", name=PS).count() == 0
    fits_the_screen(page)

    # Home again: the log is among the recent logs, and the overview counts both elements.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/$"))
    recent = page.get_by_role("region", name="Je laatste logs")
    items = recent.locator(".log-item")
    assert items.count() == 1
    assert items.locator("a.log-link").get_attribute("href") == log_path
    tags = items.locator(".element-tags").inner_text()
    assert f"{SDM}: 4/5" in tags and f"{ER}: 3/5" in tags and PS not in tags

    overview = page.get_by_role("region", name="De afgelopen 4 weken")
    rows = {row.locator("strong").inner_text(): row.locator("span").inner_text()
            for row in overview.get_by_role("listitem").all()}
    assert set(rows) == {SDM, ER, PS}, rows
    assert rows[SDM] == "1 gesprek · gemiddeld eigen oordeel 4,0 / 5", rows
    assert rows[ER] == "1 gesprek · gemiddeld eigen oordeel 3,0 / 5", rows
    assert rows[PS] == "0 gesprekken", rows
    fits_the_screen(page)

    phones.assert_stayed_local()
    print(f"\nlog journey: {taps.count} taps, filled and saved in {elapsed:.2f} s")
