"""What every browser journey does on a phone: open a fresh phone, sign in, submit, check the layout.

The `phones` fixture (tests/e2e/conftest.py) hands out `Phones`; the checks below are shared by
the journeys so that each asserts the same things: the page fits a 375 px wide screen, and no
request leaves the machine.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from tests.factories import TOTP_SECRET, code_now

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

PHONE: ViewportSize = {"width": 375, "height": 812}
SUBMIT = "#main form[method=post] button[type=submit]"


class Phones:
    """Pages in fresh browser contexts (each a phone of its own, no shared cookies)."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.requests: list[str] = []  # every URL any page asked for
        self.console_errors: list[str] = []  # console errors and uncaught exceptions of any page

    def open(self) -> Page:
        context = self.browser.new_context(viewport=PHONE, locale="nl-NL", base_url=self.base_url)
        context.set_default_timeout(10_000)
        context.on("request", lambda req: self.requests.append(req.url))
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self.console_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def assert_no_console_errors(self) -> None:
        """No page logged an error (a CSP refusal, a failed request, a script error)."""
        assert self.console_errors == [], self.console_errors

    def assert_stayed_local(self) -> None:
        """Every request of every page went to the live server on 127.0.0.1 (no CDN, no fonts)."""
        hosts = {str(urlparse(url).hostname) for url in self.requests
                 if urlparse(url).scheme in ("http", "https")}
        assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(hosts)}"


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def submit(page: Page, url_pattern: str) -> None:
    """Press the main form's submit button and wait for the page it leads to."""
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_load_state()


# The key of each authenticator set up in a journey, by e-mail address (this test process only).
_KEYS: dict[str, str] = {}


def pass_second_factor(page: Page, email_address: str, key: str | None = None) -> None:
    """After the password, as the person would: type the current code of their authenticator (of
    `key`, of the one set up earlier in the journey, or the test factories' key); or, asked to set
    one up, scan it (read the key the page shows), type its code and go on from the recovery codes."""
    page.wait_for_load_state()
    path = urlparse(page.url).path
    if path == "/login/code":
        fits_the_screen(page)
        page.fill("#code", code_now(key or _KEYS.get(email_address) or TOTP_SECRET))
        page.locator(SUBMIT).click()
        page.wait_for_url(lambda url: "/login" not in url)
    elif path == "/account/second-factor/setup":
        fits_the_screen(page)
        _KEYS[email_address] = page.locator("#secret").inner_text().strip()
        page.fill("#code", code_now(_KEYS[email_address]))
        page.locator(SUBMIT).click()
        page.wait_for_selector("#recovery-codes")
        fits_the_screen(page)
        page.locator("#main a.button").click()
        page.wait_for_url(lambda url: "second-factor" not in url)
    page.wait_for_load_state()


def sign_in(page: Page, email_address: str, password: str, key: str | None = None) -> None:
    """From the front door: anonymous visitors land on the (Dutch) sign-in page, then home, past the
    second factor where the person has one or needs one."""
    page.goto("/")
    page.wait_for_url(re.compile(r"/login"))
    assert page.locator("html").get_attribute("lang") == "nl"
    fits_the_screen(page)
    page.fill("#email", email_address)
    page.fill("#password", password)
    page.locator(SUBMIT).click()
    page.wait_for_url(lambda url: urlparse(url).path != "/login")
    pass_second_factor(page, email_address, key)
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_load_state()


class Taps:
    """Clicks, checks and fills, counted: each is one interaction of the practitioner."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()

    def check(self, locator: Any) -> None:
        self.count += 1
        locator.check()
        assert locator.is_checked()

    def uncheck(self, locator: Any) -> None:
        self.count += 1
        locator.uncheck()
        assert not locator.is_checked()
