"""A real SMTP server for tests (aiosmtpd on 127.0.0.1), and helpers to read what it received."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from app.db import utcnow
from app.mail.jobs import send_outbox

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Collector:
    """aiosmtpd handler: keeps every accepted message, parsed, after the server's delay."""

    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.server.receiving.set()
        if self.server.delay:
            await asyncio.sleep(self.server.delay)  # a slow server: the sender waits for the reply
        raw = envelope.original_content or envelope.content
        self.server.messages.append(message_from_bytes(raw, policy=policy.default))
        return "250 Message accepted for delivery"


class SMTPServer:
    """An SMTP server on a fixed free port that can be stopped and started again (same port).

    Set `delay` (seconds) to make it wait that long before it accepts a message; `receiving` is set
    as soon as a message's data has arrived (the sender is then waiting for the reply).
    """

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.delay = 0.0
        self.receiving = threading.Event()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(_Collector(self), hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for `address`."""
        return [m for m in self.messages if m["To"] == address]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "mail without a text body"
    return str(part.get_content())


def link_in(message: EmailMessage) -> str:
    """The one link in a mail (our mails hold a link, never content)."""
    links = LINK.findall(body_of(message))
    assert len(links) == 1, f"expected one link, found {links}"
    return str(links[0])


def path_of(link: str) -> str:
    """The path of an absolute link, for the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def drain_outbox(app: Flask) -> dict[str, int]:
    """Run the outbox job once, as the scheduler would (it commits per mail)."""
    with app.app_context():
        return send_outbox(utcnow())


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SMTPServer]:
    """A running SMTP server; the app sends its mail there. Call stop()/start() to take it down."""
    server = SMTPServer()
    server.start()
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USERNAME=None,
        MAIL_USE_TLS=False,
    )
    try:
        yield server
    finally:
        server.stop()
