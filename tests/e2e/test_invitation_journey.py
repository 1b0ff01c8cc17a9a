"""Browser journey on a phone: an admin invites a colleague, who sets a password and signs in.

Real Chromium, a real HTTP server thread, a real SMTP server, CSRF on. Elements are found by id
(the WTForms field names) and by link target, so the journey holds in Dutch and in English.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from app.mail.jobs import send_outbox
from app.scheduler import run_job
from tests import factories
from tests.e2e.helpers import Phones, fits_the_screen, sign_in, submit
from tests.smtp import body_of

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Fietsen langs de Amstel in het voorjaar"


def test_admin_invites_a_colleague_who_signs_in(
    app: Flask, live_server: str, smtp_server: Any, phones: Phones
) -> None:
    org = factories.organisation("Jeugdteam Demo")
    team = factories.team(org, "Team Noord")
    factories.user(org, "beheer@example.org", name="Anna Beheer", org_roles=["admin"])

    # The admin signs in, opens Administration and invites a colleague into a team.
    admin_page = phones.open()
    sign_in(admin_page, "beheer@example.org", factories.PASSWORD)
    assert "Anna Beheer" in admin_page.locator("h1").inner_text()
    fits_the_screen(admin_page)

    admin_page.locator("header nav a[href='/admin/users']").click()
    admin_page.wait_for_url(re.compile(r"/admin/users$"))
    fits_the_screen(admin_page)
    admin_page.locator("#main a[href='/admin/users/invite']").click()
    admin_page.wait_for_url(re.compile(r"/admin/users/invite$"))
    fits_the_screen(admin_page)
    admin_page.fill("#email", "sanne@example.org")
    admin_page.fill("#display_name", "Sanne de Vries")
    admin_page.select_option("#team_id", str(team.id))
    submit(admin_page, r"/admin/users/\d+$")
    assert "sanne@example.org" in admin_page.locator(".flashes").inner_text()
    fits_the_screen(admin_page)

    # The scheduler's outbox job delivers the invitation over SMTP.
    assert smtp_server.messages == []
    assert run_job(app, send_outbox) == {"sent": 1, "failed": 0}
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "sanne@example.org"
    body = body_of(message)
    links = re.findall(re.escape(live_server) + r"/invitation/\S+", body)
    assert len(links) == 1, body

    # The colleague opens the link on their own phone, chooses a password and signs in.
    page = phones.open()
    page.goto(links[0])
    fits_the_screen(page)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    submit(page, r"/login")
    fits_the_screen(page)
    page.fill("#email", "sanne@example.org")
    page.fill("#password", NEW_PASSWORD)
    submit(page, r"/$")
    assert "Sanne de Vries" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "nl"
    fits_the_screen(page)

    # The link worked once.
    response = page.goto(links[0])
    assert response is not None and response.status == 410
    assert page.locator("#confirm").count() == 0
    fits_the_screen(page)

    phones.assert_stayed_local()
