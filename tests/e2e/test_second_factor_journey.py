"""Browser journeys of the second factor on a phone (375 px): a new coach sets it up (QR code drawn by
the app) and signs in with it; the demo's privacy officer finds the demo coach's read of a log."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.auth.second_factor import code_at, step_of
from app.db import db, utcnow
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.practice.models import PracticeLog
from tests import factories
from tests.e2e.helpers import SUBMIT, Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_a_new_coach_sets_up_the_second_factor_and_signs_in_with_it(
    app: Flask, live_server: str, phones: Phones
) -> None:
    org = factories.organisation("Jeugdteam Demo")
    team = factories.team(org, "Team Noord")
    coachee = factories.user(org, "sanne@example.org", team=team)
    coach = factories.user(org, "karim@example.org", name="Karim Coach")
    factories.coach_assignment(coach, coachee)

    page = phones.open()
    problems = _watch(page)
    page.goto("/login")
    page.fill("#email", coach.email)
    page.fill("#password", factories.PASSWORD)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/account/second-factor/setup"))
    fits_the_screen(page)
    qr = page.locator(".qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] <= 375
    key = page.locator("#secret").inner_text().strip()
    page.fill("#code", "000000")  # a typo first
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    assert page.locator("#code-error").is_visible()
    assert problems == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
    problems.clear()  # the refused form's own answer; nothing else may go wrong
    page.fill("#code", factories.code_now(key))
    page.locator(SUBMIT).click()
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    fits_the_screen(page)
    page.locator("#main a.button").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "Karim Coach" in page.locator("h1").inner_text()

    # Signed out, they sign in again: password, then the next code of the app.
    page.locator("header nav button[type=submit]").click()
    page.wait_for_url(re.compile(r"/login"))
    page.fill("#email", coach.email)
    page.fill("#password", factories.PASSWORD)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/login/code"))
    fits_the_screen(page)
    page.fill("#code", code_at(key, step_of(utcnow()) + 1))  # the one set-up used cannot come again
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/$"))
    assert problems == []
    phones.assert_stayed_local()


def test_the_demo_privacy_officer_finds_the_demo_coachs_read_of_a_log(
    app: Flask, live_server: str, phones: Phones
) -> None:
    with app.app_context():
        seed_demo(utcnow() - timedelta(minutes=1))
        db.session.commit()
    coach = phones.open()
    sign_in(coach, f"coach@{DEMO_DOMAIN}", DEMO_PASSWORD, DEMO_TOTP_SECRET)
    # The coach opens the logs of a coachee, the demo practitioner, from the coachee's page.
    with app.app_context():
        sanne = db.session.scalar(select(User.id).where(User.email == f"jeugdprofessional@{DEMO_DOMAIN}"))
    coach.goto(f"/coaching/{sanne}")
    coach.locator("#main a[href$='/logs']").first.click()
    coach.wait_for_url(re.compile(r"/coaching/\d+/logs"))
    coach.locator("#main a[href^='/logs/']").first.click()
    coach.wait_for_url(re.compile(r"/logs/\d+$"))
    log_id = int(coach.url.rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.scalar(select(PracticeLog.id).where(PracticeLog.id == log_id)) == log_id

    officer = phones.open()
    problems = _watch(officer)
    sign_in(officer, f"privacy@{DEMO_DOMAIN}", DEMO_PASSWORD, DEMO_TOTP_SECRET)
    officer.locator("header nav a[href='/privacy/access-log']").click()
    officer.wait_for_url(re.compile(r"/privacy/access-log"))
    fits_the_screen(officer)
    officer.fill("#person", "Karim")
    officer.select_option("#action", "read")
    officer.locator("#main form button[type=submit]").click()
    officer.wait_for_url(re.compile(r"person=Karim"))
    fits_the_screen(officer)
    table = officer.locator("#main table").inner_text()
    assert f"#{log_id}" in table and "Karim Coach" in table
    assert problems == []
    phones.assert_stayed_local()
