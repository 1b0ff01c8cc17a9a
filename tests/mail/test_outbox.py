"""The outbox job: retries with growing waits while SMTP is down, each mail sent exactly once."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from app.db import db, utcnow
from app.mail.jobs import backoff, send_outbox
from app.mail.models import OutboxEmail
from app.mail.services import external_url, queue_email

pytestmark = pytest.mark.usefixtures("ctx")


def queued_mail(recipient: str = "iemand@example.org") -> OutboxEmail:
    mail = queue_email(recipient, "Onderwerp", "Hallo,\n\nhttp://localhost/reset/abc\n")
    db.session.commit()
    return mail


def reloaded(mail: OutboxEmail) -> OutboxEmail:
    db.session.expire_all()
    fresh = db.session.get(OutboxEmail, mail.id)
    assert fresh is not None
    return fresh


def test_mail_is_delivered_over_smtp(smtp_server):
    mail = queued_mail()
    assert send_outbox(utcnow()) == {"sent": 1, "failed": 0}
    [received] = smtp_server.messages
    assert (received["To"], received["Subject"]) == ("iemand@example.org", "Onderwerp")
    assert "http://localhost/reset/abc" in received.get_content()
    assert reloaded(mail).sent_at is not None and reloaded(mail).attempts == 1


def test_while_smtp_is_down_mail_waits_longer_after_every_attempt(smtp_server):
    smtp_server.stop()
    mail = queued_mail()
    now = utcnow()
    waits = []
    for attempt in range(1, 5):
        assert send_outbox(now) == {"sent": 0, "failed": 1}
        mail = reloaded(mail)
        assert (mail.attempts, mail.sent_at, mail.failed_at) == (attempt, None, None)
        assert mail.last_error
        waits.append(mail.next_attempt_at - now)
        assert send_outbox(now) == {"sent": 0, "failed": 0}  # not due yet: no attempt
        assert reloaded(mail).attempts == attempt
        now = mail.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_after_smtp_comes_back_the_mail_is_sent_exactly_once(smtp_server):
    smtp_server.stop()
    mail = queued_mail()
    now = utcnow()
    send_outbox(now)
    smtp_server.start()

    later = reloaded(mail).next_attempt_at
    assert send_outbox(later) == {"sent": 1, "failed": 0}
    assert send_outbox(later + timedelta(hours=1)) == {"sent": 0, "failed": 0}
    assert len(smtp_server.messages) == 1
    assert (reloaded(mail).attempts, reloaded(mail).sent_at) == (2, later)


def test_mail_is_given_up_after_the_last_attempt(app, smtp_server):
    smtp_server.stop()
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    mail = queued_mail()
    now = utcnow()
    for _ in range(3):
        send_outbox(now)
        now = reloaded(mail).next_attempt_at
    assert reloaded(mail).failed_at is not None
    smtp_server.start()
    assert send_outbox(now + timedelta(days=1)) == {"sent": 0, "failed": 0}
    assert smtp_server.messages == []


def test_one_failing_mail_does_not_hold_up_the_others(smtp_server, monkeypatch):
    from app.mail import jobs

    first, second = queued_mail("a@example.org"), queued_mail("b@example.org")
    real = jobs.deliver

    def flaky(mail: OutboxEmail) -> None:
        if mail.id == first.id:
            raise OSError("mailbox on fire")
        real(mail)

    monkeypatch.setattr(jobs, "deliver", flaky)
    assert send_outbox(utcnow()) == {"sent": 1, "failed": 1}
    assert [m["To"] for m in smtp_server.messages] == ["b@example.org"]
    assert reloaded(first).sent_at is None and reloaded(second).sent_at is not None


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == timedelta(hours=6)


def test_file_backend_writes_an_eml_file(app):
    app.config["MAIL_BACKEND"] = "file"
    mail = queued_mail()
    assert send_outbox(utcnow()) == {"sent": 1, "failed": 0}
    path = Path(app.config["MAIL_DIR"]) / f"{mail.id:06d}.eml"
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert (message["To"], message["Subject"]) == ("iemand@example.org", "Onderwerp")
    assert "http://localhost/reset/abc" in message.get_content()


def test_queueing_never_sends(smtp_server):
    queued_mail()
    assert smtp_server.messages == []


def test_links_in_mail_use_the_configured_address(app):
    app.config["BASE_URL"] = "https://werkzaam.example.nl/"
    assert external_url("auth.reset_password", token="abc") == "https://werkzaam.example.nl/reset/abc"
