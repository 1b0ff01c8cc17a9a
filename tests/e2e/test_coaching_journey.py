"""Browser journey on two phones: feedback asked, given, seen, and turned into a learning goal.

Sanne asks her coach for feedback on a session she logged. On his phone Karim finds it at the top
of the queue on his home page ("wacht op je feedback"), opens it and gives structured feedback:
what to keep doing, what to work on, a next step. Sanne sees the badge on "Mijn begeleiding",
opens the message and answers "Ik ga dit proberen": the next step becomes a learning goal, whose
page draws her weekly progress as a chart. No page logs a console error, and no request leaves
127.0.0.1 (plotly.js comes from the app itself).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.clock import local_today
from tests import factories
from tests.coaching import helpers
from tests.e2e.helpers import Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

KEEP_DOING = "Je vroeg de ouders eerst naar hun eigen doelen."
WORK_ON = "Je gaf daarna snel je eigen advies."
NEXT_STEP = "Vraag na je advies wat zij ervan vinden, en wacht het antwoord af."


def _go(page: Any, link: Any, url_pattern: str) -> None:
    link.click()
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_load_state()
    fits_the_screen(page)


def test_feedback_from_the_queue_becomes_a_learning_goal(
    app: Flask, live_server: str, phones: Phones, org: Any, team: Any
) -> None:
    sanne = factories.user(org, "sanne@example.org", name="Sanne de Vries", team=team)
    karim = factories.user(org, "karim@example.org", name="Karim Coach")
    daan = factories.user(org, "daan@example.org", name="Daan Jansen", team=team)
    for coachee in (sanne, daan):
        factories.coach_assignment(karim, coachee, started_at=factories.utcnow() - timedelta(days=30))
    today = local_today()
    for days in (9, 5, 2):  # her earlier sessions, for the progress chart
        factories.practice_log(
            sanne, session_date=today - timedelta(days=days), ratings={"shared_decision_making": 3}
        )
    log = factories.practice_log(
        sanne,
        session_date=today - timedelta(days=1),
        ratings={"shared_decision_making": 4},
        techniques=("sdm_goals_asked", "sdm_options_discussed"),
    )

    # Sanne asks for feedback on her log, in one tap.
    page = phones.open()
    sign_in(page, sanne.email, factories.PASSWORD)
    page.goto(f"/logs/{log.id}")
    fits_the_screen(page)
    feedback_card = page.get_by_role("region", name="Feedback van je coach")
    _go(page, feedback_card.get_by_role("button", name="Vraag Karim Coach om feedback"), rf"/logs/{log.id}$")
    assert "Je hebt Karim Coach om feedback op dit gesprek gevraagd." in page.locator(".flashes").inner_text()
    # Daan asks too, later: his item comes second.
    helpers.ask(factories.practice_log(daan), daan, karim)

    # Karim signs in and lands on the queue: Sanne's session first.
    coach_page = phones.open()
    sign_in(coach_page, karim.email, factories.PASSWORD)
    menu = coach_page.get_by_role("navigation", name="Hoofdmenu")
    assert (
        menu.get_by_role("link", name=re.compile(r"^Begeleiding")).locator(".badge").inner_text().split()[0]
        == "2"
    )
    queue = coach_page.get_by_role("region", name="Wacht op je feedback").locator("li.queue-item")
    assert queue.count() == 2
    assert queue.nth(0).inner_text().startswith("Sanne de Vries · gesprek van")
    assert queue.nth(1).inner_text().startswith("Daan Jansen · gesprek van")
    assert "wacht nog geen uur" in queue.nth(0).inner_text()
    fits_the_screen(coach_page)
    _go(coach_page, queue.nth(0).get_by_role("link"), rf"/coaching/logs/{log.id}/feedback$")
    assert coach_page.get_by_role("heading", level=1).inner_text() == "Feedback geven aan Sanne de Vries"
    coach_page.get_by_label("Blijf doen", exact=True).fill(KEEP_DOING)
    coach_page.get_by_label("Werk aan", exact=True).fill(WORK_ON)
    coach_page.get_by_label("Volgende stap", exact=True).fill(NEXT_STEP)
    element = coach_page.get_by_label("Kernelement van de volgende stap")
    assert element.locator("option:checked").inner_text() == "Samenwerken en samen beslissen"
    _go(coach_page, coach_page.get_by_role("button", name="Feedback versturen"), r"/coaching/feedback/\d+$")
    assert "Je feedback is naar Sanne de Vries gestuurd." in coach_page.locator(".flashes").inner_text()
    thread = coach_page.url
    coach_page.goto("/")
    queue = coach_page.get_by_role("region", name="Wacht op je feedback").locator("li.queue-item")
    assert queue.count() == 1 and queue.nth(0).inner_text().startswith("Daan Jansen")

    # Sanne sees the badge, reads the feedback and says she will try the next step.
    page.goto("/")
    mine = page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=re.compile(r"^Mijn begeleiding")
    )
    assert mine.locator(".badge").inner_text().split()[0] == "1"
    _go(page, mine, r"/notifications/$")
    _go(
        page,
        page.get_by_role("link", name="Karim Coach heeft je feedback gegeven."),
        r"/coaching/feedback/\d+$",
    )
    text = page.locator("#main").inner_text()
    for part in (KEEP_DOING, WORK_ON, NEXT_STEP):
        assert part in text
    assert page.get_by_role("navigation", name="Hoofdmenu").locator(".badge").count() == 0
    _go(page, page.get_by_role("button", name="Ik ga dit proberen"), r"/goals/\d+$")
    assert "Je volgende stap is nu een leerdoel." in page.locator(".flashes").inner_text()
    assert page.locator(".goal-text").inner_text() == NEXT_STEP
    chart = page.locator("#goal-chart svg.main-svg").first
    chart.wait_for()
    assert page.locator("#goal-chart .bars .point").count() >= 1  # her weekly sessions, drawn
    fits_the_screen(page)

    # Karim sees her answer on his feedback.
    coach_page.goto(thread)
    answer = coach_page.get_by_role("region", name="Antwoord van Sanne de Vries").inner_text()
    assert "De volgende stap is een leerdoel geworden:" in answer and NEXT_STEP in answer
    fits_the_screen(coach_page)
    phones.assert_no_console_errors()
    phones.assert_stayed_local()
