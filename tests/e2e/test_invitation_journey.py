"""Browser journey on a phone: an admin invites a colleague, who sets a password and signs in.

Real Chromium, a real HTTP server thread, a real SMTP server, CSRF on. Elements are found by id
(the WTForms field names) and by link target, so the journey holds in Dutch and in English.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from email import policy
from typing import Any
from urllib.parse import urlparse

import pytest
from flask import Flask

from app.mail.jobs import send_outbox
from app.scheduler import run_job
from tests import factories

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
NEW_PASSWORD = "Fietsen langs de Amstel in het voorjaar"
SUBMIT = "#main form[method=post] button[type=submit]"


class Phones:
    """Pages in fresh browser contexts (each a phone of its own, no shared cookies)."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[Any] = []
        self.requests: list[str] = []  # every URL any page asked for

    def open(self) -> Any:
        context = self.browser.new_context(viewport=PHONE, locale="nl-NL", base_url=self.base_url)
        context.set_default_timeout(10_000)
        context.on("request", lambda req: self.requests.append(req.url))
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def phones(browser: Any, live_server: str) -> Iterator[Phones]:
    opened = Phones(browser, live_server)
    yield opened
    opened.close()


def _fits_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def _submit(page: Any, url_pattern: str) -> None:
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_load_state()


def _sign_in(page: Any, email_address: str, password: str) -> None:
    page.goto("/")
    page.wait_for_url(re.compile(r"/login"))  # anonymous visitors land on the sign-in page
    assert page.locator("html").get_attribute("lang") == "nl"
    _fits_the_screen(page)
    page.fill("#email", email_address)
    page.fill("#password", password)
    _submit(page, r"/$")


def test_admin_invites_a_colleague_who_signs_in(
    app: Flask, live_server: str, smtp_server: Any, phones: Phones
) -> None:
    org = factories.organisation("Jeugdteam Demo")
    team = factories.team(org, "Team Noord")
    factories.user(org, "beheer@example.org", name="Anna Beheer", org_roles=["admin"])

    # The admin signs in, opens Administration and invites a colleague into a team.
    admin_page = phones.open()
    _sign_in(admin_page, "beheer@example.org", factories.PASSWORD)
    assert "Anna Beheer" in admin_page.locator("h1").inner_text()
    _fits_the_screen(admin_page)

    admin_page.locator("header nav a[href='/admin/users']").click()
    admin_page.wait_for_url(re.compile(r"/admin/users$"))
    _fits_the_screen(admin_page)
    admin_page.locator("#main a[href='/admin/users/invite']").click()
    admin_page.wait_for_url(re.compile(r"/admin/users/invite$"))
    _fits_the_screen(admin_page)
    admin_page.fill("#email", "sanne@example.org")
    admin_page.fill("#display_name", "Sanne de Vries")
    admin_page.select_option("#team_id", str(team.id))
    _submit(admin_page, r"/admin/users/\d+$")
    assert "sanne@example.org" in admin_page.locator(".flashes").inner_text()
    _fits_the_screen(admin_page)

    # The scheduler's outbox job delivers the invitation over SMTP.
    assert smtp_server.messages == []
    assert run_job(app, send_outbox) == {"sent": 1, "failed": 0}
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["sanne@example.org"]
    part = email.message_from_bytes(envelope.content, policy=policy.default).get_body()
    assert part is not None
    body = part.get_content()
    links = re.findall(re.escape(live_server) + r"/invitation/\S+", body)
    assert len(links) == 1, body

    # The colleague opens the link on their own phone, chooses a password and signs in.
    page = phones.open()
    page.goto(links[0])
    _fits_the_screen(page)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    _submit(page, r"/login")
    _fits_the_screen(page)
    page.fill("#email", "sanne@example.org")
    page.fill("#password", NEW_PASSWORD)
    _submit(page, r"/$")
    assert "Sanne de Vries" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "nl"
    _fits_the_screen(page)

    # The link worked once.
    response = page.goto(links[0])
    assert response is not None and response.status == 410
    assert page.locator("#confirm").count() == 0
    _fits_the_screen(page)

    hosts = {str(urlparse(url).hostname) for url in phones.requests
             if urlparse(url).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(hosts)}"
