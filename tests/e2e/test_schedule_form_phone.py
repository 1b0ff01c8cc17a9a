"""The schedule form on a phone: even radio buttons, and only the questions of the chosen kind.

A team lead opens "Nieuwe planning". Before a kind is chosen no timing questions show; choosing
one shows its own section (CSS :has, no script), and a long label never squashes its radio button.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests import factories
from tests.e2e.helpers import Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

KINDS = {
    "recurring": ["Dag van de week", "Om de hoeveel weken"],
    "targeted": ["Dag van de week", "Om de hoeveel weken", "Richt de vraag op"],
    "after_sessions": ["Na elke hoeveel gesprekken"],
    "one_off": ["Datum"],
}
ALL = sorted({label for labels in KINDS.values() for label in labels})


def test_the_schedule_form_shows_the_questions_of_the_chosen_kind(
    app: Flask, live_server: str, phones: Phones
) -> None:
    org = factories.organisation()
    team = factories.team(org, "Team Noord")
    lead = factories.user(org, "lotte@example.org", team=team, team_role="lead")
    page = phones.open()
    sign_in(page, lead.email, factories.PASSWORD)
    page.goto("/reflection/schedules/new")
    page.wait_for_load_state()
    fits_the_screen(page)
    assert page.locator("script:not([src])").count() == 0

    radios = page.locator("input[name=kind]")
    sizes = {(round(box["width"]), round(box["height"]))
             for box in (radios.nth(i).bounding_box() for i in range(radios.count()))}
    assert len(sizes) == 1 and min(next(iter(sizes))) >= 20, f"uneven or small radio buttons: {sizes}"

    for label in ALL:
        assert not page.get_by_label(label, exact=True).is_visible(), f"{label} shows before a kind is chosen"
    for kind, shown in KINDS.items():
        radios.and_(page.locator(f"[value={kind}]")).check()
        for label in ALL:
            visible = page.get_by_label(label, exact=True).is_visible()
            assert visible == (label in shown), f"{kind}: {label} {'hidden' if label in shown else 'shown'}"
        fits_the_screen(page)
    assert re.search(r"/schedules/new$", page.url)
