"""Browser journey on two phones: a team prompt, an ALACT reflection, a share, a withdrawal.

The team has a weekly reflection rhythm that fell due an hour ago; the scheduler's job turns it
into a prompt for the practitioner. On her phone she sees the badge in the header, opens the
inbox and the prompt, answers it with the five ALACT steps and shares the reflection with her
coach. On his own phone the coach finds it under "Met mij gedeeld" and reads it. When she
withdraws the share, the same address gives him the 404 page.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.clock import AMSTERDAM
from app.db import utcnow
from app.prompts.jobs import materialise_prompts
from app.reflection.catalogue import ALACT
from app.scheduler import run_job
from tests import factories
from tests.e2e.helpers import Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

ANSWERS = {
    "action": "Het moment waarop de jongere dichtklapte toen het over school ging.",
    "looking_back": "Ik wilde snel een oplossing; hij voelde zich niet gehoord en werd stil.",
    "awareness": "Ik ging te snel naar oplossingen, voordat de emotie erkend was.",
    "alternatives": "Eerst benoemen wat ik zie, dan vragen wat hij nodig heeft. Dat kies ik.",
    "trial": "Volgende keer eerst het gevoel erkennen en pas daarna samen naar stappen kijken.",
}


def _go(page: Any, link: Any, url_pattern: str) -> None:
    link.click()
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_load_state()
    fits_the_screen(page)


def test_practitioner_answers_a_prompt_and_shares_it_with_the_coach(
    app: Flask, live_server: str, phones: Phones, team: Any, practitioner: Any, coach: Any
) -> None:
    # A weekly team rhythm, at this weekday and hour (Amsterdam time) an hour ago: just due.
    now = utcnow()
    due = (now - timedelta(hours=1)).astimezone(AMSTERDAM)
    factories.schedule(team=team, since=now - timedelta(days=10), weekday=due.weekday(),
                       at=due.time().replace(second=0, microsecond=0))
    result = run_job(app, materialise_prompts, now)
    assert result["schedules"] == 1 and result["prompts"] == 1, result

    # The practitioner sees the waiting prompt as a badge on "Reflectie" in the header.
    page = phones.open()
    sign_in(page, practitioner.email, factories.PASSWORD)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    reflection_link = menu.get_by_role("link", name=re.compile(r"^Reflectie"))
    assert reflection_link.locator(".badge").inner_text().split()[0] == "1"
    assert "reflectievragen klaar" in reflection_link.inner_text()
    fits_the_screen(page)

    # The badge leads to the inbox; the prompt names the team's rhythm.
    _go(page, reflection_link, r"/reflection/inbox$")
    assert page.get_by_role("heading", level=1).inner_text() == "Reflectievragen"
    prompt = page.locator("article.prompt")
    assert prompt.count() == 1
    assert prompt.get_by_role("heading").inner_text() == "Tijd voor een reflectie"
    assert f"Uit het ritme van {team.name}." in prompt.inner_text()

    # Reflect now: the schedule leaves the model to the practitioner, who picks ALACT.
    _go(page, prompt.get_by_role("link", name="Nu reflecteren"), r"/reflection/prompts/\d+$")
    _go(page, page.get_by_role("link", name=ALACT.name_nl), r"/reflection/prompts/\d+\?template=alact$")
    assert page.get_by_role("heading", level=1).inner_text() == ALACT.name_nl
    for step in ALACT.steps:
        page.get_by_label(step.nl, exact=True).fill(ANSWERS[step.key])
    fits_the_screen(page)
    _go(page, page.get_by_role("button", name="Reflectie opslaan"), r"/reflection/\d+$")
    reflection_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert "Je reflectie is opgeslagen." in page.locator(".flashes").inner_text()
    for step in ALACT.steps:
        answer = page.locator("section.answer", has=page.get_by_role("heading", name=step.nl, exact=True))
        assert answer.locator(".note").inner_text() == ANSWERS[step.key]
    assert menu.locator(".badge").count() == 0  # the prompt is answered

    # Share it with the coach (the only coach, so already chosen).
    sharing = page.get_by_role("region", name="Delen")
    assert "Alleen jij kunt deze reflectie lezen." in sharing.inner_text()
    share_with = sharing.get_by_label("Delen met", exact=True)
    assert share_with.locator("option:checked").inner_text() == coach.display_name
    _go(page, sharing.get_by_role("button", name="Delen met mijn coach"), r"/reflection/\d+$")
    assert f"{coach.display_name} kan deze reflectie nu lezen." in page.locator(".flashes").inner_text()
    assert f"Gedeeld met {coach.display_name} sinds" in sharing.inner_text()

    # The coach, on his own phone, finds it under "Met mij gedeeld" and reads it.
    coach_page = phones.open()
    sign_in(coach_page, coach.email, factories.PASSWORD)
    coach_menu = coach_page.get_by_role("navigation", name="Hoofdmenu")
    _go(coach_page, coach_menu.get_by_role("link", name="Reflectie", exact=True), r"/reflection/$")
    _go(coach_page, coach_page.get_by_role("navigation", name="Reflectie")
        .get_by_role("link", name="Met mij gedeeld"), r"/reflection/shared$")
    shared = coach_page.locator("#main .log-list a.log-link")
    assert shared.count() == 1
    assert shared.inner_text().startswith(f"{practitioner.display_name} · ")
    _go(coach_page, shared, re.escape(reflection_path) + "$")
    assert (f"{practitioner.display_name} heeft deze reflectie met je gedeeld."
            in coach_page.locator("#main .notice").inner_text())
    text = coach_page.locator("#main").inner_text()
    for answer in ANSWERS.values():
        assert answer in text
    assert coach_page.get_by_role("button", name="Delen met mijn coach").count() == 0

    # She withdraws the share; the same address is now a 404 for the coach.
    _go(page, sharing.get_by_role("button", name="Intrekken"), re.escape(reflection_path) + "$")
    assert "De reflectie wordt niet meer gedeeld." in page.locator(".flashes").inner_text()
    assert "Alleen jij kunt deze reflectie lezen." in sharing.inner_text()

    response = coach_page.goto(reflection_path)
    assert response is not None and response.status == 404
    assert coach_page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    for answer in ANSWERS.values():
        assert answer not in coach_page.content()
    fits_the_screen(coach_page)
    coach_page.goto("/reflection/shared")  # and it has left his list
    assert "Er is op dit moment niets met je gedeeld." in coach_page.locator("#main").inner_text()
    fits_the_screen(coach_page)

    phones.assert_stayed_local()
