"""Browser journey fixtures: Chromium through Playwright, a live server thread, a real SMTP server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.e2e.helpers import Phones
from tests.smtp import SMTPServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium; skipped when it is not installed, but a failure when CI=true."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is not installed (make chromium installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the browser journeys must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app: Flask, smtp_server: SMTPServer) -> Iterator[str]:
    """The test app served over HTTP on a free local port; mail goes to `smtp_server`."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def phones(browser: Browser, live_server: str) -> Iterator[Phones]:
    """Fresh phone-sized browser contexts on the live server; all closed afterwards."""
    opened = Phones(browser, live_server)
    yield opened
    opened.close()
