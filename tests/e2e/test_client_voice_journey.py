"""Browser journeys on a phone: the young person rates the session, by hand-over and by link.

Hand-over: Sanne opens her log, hands her phone over and steps away; the young person answers
the three questions on large choices and lets Sanne see the answers; the thank-you page and the
back button lead nowhere into the app; Sanne types her password and sees her own rating of
deciding together beside the young person's. Link: a parent opens the one-time link on their own
phone, answers and keeps the answers to themselves; Sanne's log shows no answer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests import factories
from tests.e2e.helpers import Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e


def _watch_console(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _choose(page: Any, group: str, label: str) -> None:
    option = page.get_by_role("group", name=group).get_by_label(label, exact=True)
    page.get_by_role("group", name=group).locator("label", has_text=label).click()
    assert option.is_checked()


def _large(page: Any, group: str) -> None:
    labels = page.get_by_role("group", name=group).locator("label").all()
    for box in (label.bounding_box() for label in labels):
        assert box is not None and box["height"] >= 44, f"a choice of {group!r} is a small target"


def _sanne(app: Flask) -> Any:
    org = factories.organisation("Jeugdhulp Demo")
    team = factories.team(org, "Team Noord")
    sanne = factories.user(org, "sanne@example.org", name="Sanne de Vries", team=team)
    return factories.practice_log(sanne, ratings={"shared_decision_making": 4})


def test_hand_over_the_client_shares_and_the_practitioner_sees_both_ratings(
    app: Flask, live_server: str, phones: Phones,
) -> None:
    log = _sanne(app)
    page = phones.open()
    errors = _watch_console(page)
    sign_in(page, "sanne@example.org", factories.PASSWORD)
    page.goto(f"/logs/{log.id}")
    voice = page.get_by_role("region", name="Hoe de jongere of ouder het zag")
    assert "Nog geen antwoord gedeeld." in voice.inner_text()
    assert "Eerlijker als je er niet bij bent" in voice.inner_text()
    fits_the_screen(page)

    voice.get_by_role("link", name="Geef je telefoon").click()
    page.wait_for_url(re.compile(r"/feedback/handover$"))
    assert "loop even weg" in page.locator("#main").inner_text()
    page.get_by_role("button", name="Geef nu je telefoon").click()
    page.wait_for_url(re.compile(r"/feedback/handover$"))
    page.wait_for_load_state()

    # The young person's page: no menu, large choices with words, "nee" chosen until they change it.
    assert page.locator("nav").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Hoe ging het gesprek met Sanne?"
    fits_the_screen(page)
    _choose(page, "Wie vult dit in?", "Ik ben de jongere")
    questions = ["Hoeveel moeite is er gedaan om je te helpen begrijpen wat er speelt?",
                 "Hoeveel moeite is er gedaan om te luisteren naar wat voor jou het belangrijkst is?",
                 "Hoeveel moeite is er gedaan om dat mee te nemen bij het kiezen van de volgende stap?"]
    for question, answer in zip(questions, ("4 · alle moeite", "3 · veel moeite", "4 · alle moeite"),
                                strict=True):
        _large(page, question)
        _choose(page, question, answer)
    share = "Mag Sanne jouw antwoorden zien?"
    assert page.get_by_role("group", name=share).get_by_label("Nee", exact=True).is_checked()
    _choose(page, share, "Ja")
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    page.wait_for_url(re.compile(r"/feedback/handover/thanks$"))
    thanks = page.locator("#main").inner_text()
    assert "Bedankt voor je tijd!" in thanks and "Geef de telefoon nu terug aan Sanne." in thanks
    for answer_or_choice in ("moeite", "Ja", "Nee", "jongere"):
        assert answer_or_choice not in thanks
    assert page.locator("nav").count() == 0
    fits_the_screen(page)

    # The back button and typed addresses lead to the password page, never into the app.
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state()
        assert page.locator("nav").count() == 0, page.url
        assert "Sessie van" not in page.content() and "Gesprek van" not in page.locator("h1").inner_text()
    page.goto("/logs")
    assert page.url.endswith("/feedback/unlock")
    assert page.get_by_role("heading", level=1).inner_text() == "Werkzaam is op slot"
    fits_the_screen(page)

    # Sanne gets her phone back: her password, then the log with both ratings side by side.
    page.get_by_label("Je wachtwoord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Ontgrendel").click()
    page.wait_for_url(re.compile(rf"/logs/{log.id}$"))
    voice = page.get_by_role("region", name="Hoe de jongere of ouder het zag")
    text = voice.inner_text()
    assert "Jouw eigen oordeel" in text and "4 · goed" in text
    assert "Ingevuld door de jongere" in text and "92 van 100" in text  # (4 + 3 + 4) / 12 × 100
    fits_the_screen(page)

    assert errors == [], errors
    phones.assert_stayed_local()


def test_link_the_parent_answers_on_their_own_phone_and_keeps_the_answers(
    app: Flask, live_server: str, phones: Phones,
) -> None:
    log = _sanne(app)
    page = phones.open()
    errors = _watch_console(page)
    sign_in(page, "sanne@example.org", factories.PASSWORD)
    page.goto(f"/logs/{log.id}")
    page.get_by_role("button", name="Stuur een link").click()
    page.wait_for_url(re.compile(rf"/logs/{log.id}/feedback/link/\d+$"))
    qr = page.get_by_role("img", name="QR-code van de link")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR code was drawn
    link = page.get_by_label("De link").input_value()
    assert link.startswith(live_server + "/f/")
    fits_the_screen(page)

    parent = phones.open()
    parent_errors = _watch_console(parent)
    parent.goto(link)
    assert parent.get_by_role("heading", level=1).inner_text() == "Hoe ging het gesprek met Sanne?"
    assert "de Vries" not in parent.content()
    fits_the_screen(parent)
    _choose(parent, "Wie vult dit in?", "Ik ben ouder of opvoeder")
    for question in ("Hoeveel moeite is er gedaan om je te helpen begrijpen wat er speelt?",
                     "Hoeveel moeite is er gedaan om te luisteren naar wat voor jou het belangrijkst is?",
                     "Hoeveel moeite is er gedaan om dat mee te nemen bij het kiezen van de volgende stap?"):
        _choose(parent, question, "1 · een beetje moeite")
    parent.get_by_role("button", name="Verstuur mijn antwoorden").click()  # "nee" stays chosen
    parent.wait_for_url(re.compile(r"/f/thanks$"))
    assert "Bedankt voor je tijd!" in parent.locator("#main").inner_text()
    assert parent_errors == [], parent_errors
    parent.goto(link)  # used now: the browser reports its 410 status, as it should
    assert parent.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet"

    page.goto(f"/logs/{log.id}")
    voice = page.get_by_role("region", name="Hoe de jongere of ouder het zag")
    assert "Nog geen antwoord gedeeld." in voice.inner_text()
    assert errors == [], errors
    phones.assert_stayed_local()
