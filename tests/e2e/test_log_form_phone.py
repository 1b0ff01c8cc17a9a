"""The log form on a phone: a same-as-last-time log, changing who took part, and the save bar.

The form pre-fills where, who and the age band from the practitioner's last log. "Who took part"
is a multiple choice: tapping a pill that was already ticked un-ticks it, so the pre-filled
choice is said in words ("Zelfde als vorige keer: …") and only opens on "Wijzig". A log like the
last one stays at 12 taps or fewer; a changed one saves exactly the people tapped.

With the keyboard, no control that has focus may sit under the sticky Opslaan/Annuleren bar
(WCAG 2.2, 2.4.11 focus not obscured).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.db import db
from app.practice.models import PracticeLog
from tests import factories
from tests.e2e.helpers import Phones, Taps, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

MAX_TAPS = 12
SDM = "Samenwerken en samen beslissen"
ER = "Emoties leren reguleren"


def _practitioner_with_a_log(participants: tuple[str, ...]) -> Any:
    org = factories.organisation("Jeugdhulp Demo")
    team = factories.team(org, "Team Noord")
    user = factories.user(org, "sanne@example.org", name="Sanne de Vries", team=team)
    factories.practice_log(user, participants=participants, setting="home", age_band="12-18")
    return user


def _open_form(page: Any, taps: Taps) -> None:
    taps.click(page.get_by_role("link", name="Gesprek loggen", exact=True))
    page.wait_for_url(re.compile(r"/logs/new$"))
    page.wait_for_load_state()
    fits_the_screen(page)


def _apply(page: Any, taps: Taps, element: str, technique: str, rating: str) -> None:
    section = page.get_by_role("group", name=element, exact=True)
    taps.check(section.get_by_label("Dit heb ik in het gesprek toegepast", exact=True))
    taps.check(section.get_by_label(technique, exact=True))
    taps.check(section.get_by_role("group", name="Hoe goed lukte het?", exact=True)
               .get_by_label(rating, exact=True))


def _save(page: Any, taps: Taps) -> set[str]:
    taps.click(page.get_by_role("button", name="Log opslaan", exact=True))
    page.wait_for_url(re.compile(r"/logs/\d+$"))
    assert "Je log is opgeslagen." in page.locator(".flashes").inner_text()
    log_id = int(page.url.rsplit("/", 1)[1])
    log = db.session.scalar(select(PracticeLog).where(PracticeLog.id == log_id))
    assert log is not None
    participants = set(log.participant_keys)
    db.session.rollback()
    return participants


def test_a_log_like_the_last_one_keeps_who_took_part_in_few_taps(
    app: Flask, live_server: str, phones: Phones
) -> None:
    user = _practitioner_with_a_log(("youth", "parent"))
    page = phones.open()
    sign_in(page, user.email, factories.PASSWORD)
    taps = Taps()
    _open_form(page, taps)

    who = page.get_by_role("group", name="Wie deden mee", exact=True)
    assert "Zelfde als vorige keer: Jeugdige, Ouder of opvoeder" in who.inner_text()
    # The ticked pills stay folded away until "Wijzig": no tap can un-tick one by accident.
    assert not who.get_by_label("Jeugdige", exact=True).is_visible()

    taps.check(page.get_by_role("group", name="Fase van de hulp", exact=True)
               .get_by_label("Uitvoeren van de hulp", exact=True))
    _apply(page, taps, SDM, "Wensen en doelen van jeugdige/ouders gevraagd", "4 · goed")
    _apply(page, taps, ER, "Emotie opgemerkt en benoemd", "3 · redelijk")
    with app.app_context():
        saved = _save(page, taps)

    assert taps.count <= MAX_TAPS, f"a log like the last one took {taps.count} taps"
    assert saved == {"youth", "parent"}
    print(f"\nsame-as-last-time log: {taps.count} taps")


def test_changing_who_took_part_saves_exactly_the_people_tapped(
    app: Flask, live_server: str, phones: Phones
) -> None:
    user = _practitioner_with_a_log(("youth", "parent"))
    page = phones.open()
    sign_in(page, user.email, factories.PASSWORD)
    taps = Taps()
    _open_form(page, taps)

    who = page.get_by_role("group", name="Wie deden mee", exact=True)
    taps.click(who.get_by_text("Wijzig", exact=True))
    youth = who.get_by_label("Jeugdige", exact=True)
    parent = who.get_by_label("Ouder of opvoeder", exact=True)
    assert youth.is_checked() and parent.is_checked()  # open, the pre-filled choice shows as ticked
    # A ticked pill says so in more than colour.
    mark = page.evaluate("el => getComputedStyle(el.labels[0], '::before').content", youth.element_handle())
    assert "✓" in mark
    taps.uncheck(youth)
    taps.uncheck(parent)
    taps.check(who.get_by_label("Andere professional", exact=True))
    fits_the_screen(page)

    taps.check(page.get_by_role("group", name="Fase van de hulp", exact=True)
               .get_by_label("Uitvoeren van de hulp", exact=True))
    _apply(page, taps, SDM, "Wensen en doelen van jeugdige/ouders gevraagd", "4 · goed")
    with app.app_context():
        saved = _save(page, taps)
    assert saved == {"other_professional"}
    print(f"\nlog with other participants: {taps.count} taps")


COVERED = """
() => {
  const bar = document.querySelector('.form-actions');
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  if (bar.contains(el)) return {inBar: true};
  if (el.offsetWidth < 2 && el.labels && el.labels.length) el = el.labels[0];
  const box = el.getBoundingClientRect(), cover = bar.getBoundingClientRect();
  const name = (el.id || '') + ' ' + (el.textContent || '').trim().slice(0, 40);
  return {name, inBar: false, covered: box.bottom > cover.top + 1 && box.top < cover.bottom - 1,
          inForm: !!document.activeElement.closest('[data-log-form]')};
}
"""


def test_tabbing_through_the_log_form_never_hides_the_focus_under_the_save_bar(
    app: Flask, live_server: str, phones: Phones
) -> None:
    user = _practitioner_with_a_log(("youth",))
    page = phones.open()
    sign_in(page, user.email, factories.PASSWORD)
    page.goto("/logs/new")
    page.wait_for_load_state()
    # Two elements open, as in a real log: their techniques and ratings are in the tab order.
    for element in (SDM, ER):
        page.get_by_role("group", name=element, exact=True).get_by_label(
            "Dit heb ik in het gesprek toegepast", exact=True).check()
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#main").focus()  # the tab order starts at the form's first field

    seen, covered = 0, []
    for _ in range(150):
        page.keyboard.press("Tab")
        state = page.evaluate(COVERED)
        if state is None:
            continue
        if state["inBar"]:
            break  # reached Opslaan: the whole form was tabbed through
        seen += 1
        if state["covered"]:
            covered.append(state["name"])
    assert seen > 20, f"only {seen} controls reached before the save bar"
    assert covered == [], f"focused but covered by the save bar: {covered}"
