"""Browser journey on a phone: the demo team lead opens her team's dashboard.

Lotte signs in, goes to Dashboards and opens Team Noord's: every chart is drawn in Chromium (from
the figure JSON in the page, with plotly.js served by the app), no console error, no request
leaves 127.0.0.1. Choosing one element redraws the charts with that element only, and the CSV
export downloads with its stable columns.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.db import db, utcnow
from app.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from tests.e2e.helpers import Phones, fits_the_screen, sign_in

pytestmark = pytest.mark.e2e

LEAD = "teamleider@demo.werkzaam.nl"


def test_lead_reads_the_team_dashboard_and_downloads_its_numbers(
    app: Flask, live_server: str, phones: Phones
) -> None:
    with app.app_context():
        seed_demo(utcnow())
        db.session.commit()
    page = phones.open()
    problems: list[str] = []
    # The browser asks for /favicon.ico by itself, and this app has none yet: that one 404 aside,
    # nothing may fail.
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and not str(msg.location.get("url", "")).endswith("/favicon.ico") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, LEAD, DEMO_PASSWORD, DEMO_TOTP_SECRET)

    page.get_by_role("link", name="Dashboards").click()
    page.get_by_role("link", name="Dashboard Team Noord").click()
    page.wait_for_url(re.compile(r"/dashboards/teams/\d+$"))
    assert "Voor leren, niet voor beoordelen." in page.locator("main").inner_text()
    charts = page.locator(".chart")
    count = charts.count()
    # sessions, reach, coverage, ratings, 3 × techniques, reflection, feedback, intervisie, sustained
    assert count >= 10
    page.wait_for_function(f"document.querySelectorAll('.chart[data-drawn]').length === {count}")
    assert page.locator(".chart .main-svg").count() >= count
    assert page.locator(".modebar .plotlyjsicon").count() == 0  # no Plotly logo, no cloud button
    traces = page.evaluate("document.getElementById('chart-sessions').data.length")
    assert traces == 4  # three elements and all sessions
    # The clients' rating beside the self-rating, and the feedback chart, drawn with most weeks shown.
    shown = "document.getElementById('{}').data[{}].y.filter(v => v !== null).length"
    assert page.evaluate(shown.format("chart-ratings", 3)) >= 8  # of the 12 weeks
    assert page.evaluate(shown.format("chart-feedback", 0)) >= 8
    assert page.evaluate(shown.format("chart-feedback", 1)) >= 8
    fits_the_screen(page)

    page.locator(".filter-box summary").click()
    page.select_option("#element", label="Emoties leren reguleren")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"element=emotion_regulation"))
    count = page.locator(".chart").count()
    page.wait_for_function(f"document.querySelectorAll('.chart[data-drawn]').length === {count}")
    assert page.evaluate("document.getElementById('chart-sessions').data.length") == 2
    assert page.locator("#chart-techniques-shared_decision_making").count() == 0
    assert page.locator("#chart-techniques-emotion_regulation").count() == 1

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    with open(download.path(), encoding="utf-8") as fh:
        header = fh.readline().strip()
        body = fh.read()
    assert header.startswith("metric,element,period_start,period_end,value,suppressed")
    assert "emotion_regulation" in body and "shared_decision_making" not in body
    for metric in ("client_sdm_mean", "client_sdm_top", "feedback_rate", "feedback_latency"):
        assert re.search(rf"^{metric},,\d{{4}}-\d\d-\d\d,\d{{4}}-\d\d-\d\d,\d", body, re.M), metric
    assert not problems, problems
    phones.assert_stayed_local()
