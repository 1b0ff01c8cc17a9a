"""A sent mail's body (with its live invitation or reset link) is emptied in the transaction that
records "sent"; a failed attempt keeps it for the retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.auth import services as auth_services
from app.db import db, utcnow
from app.mail.jobs import send_outbox
from app.mail.models import OutboxEmail
from tests.smtp import link_in, path_of

pytestmark = pytest.mark.usefixtures("ctx")


def request_reset(user) -> OutboxEmail:
    assert auth_services.request_password_reset(user.email, "127.0.0.1", utcnow())
    db.session.commit()
    return db.session.scalars(select(OutboxEmail)).one()


def reloaded(mail_id: int) -> OutboxEmail:
    db.session.expire_all()
    mail = db.session.get(OutboxEmail, mail_id)
    assert mail is not None
    return mail


def test_after_sending_the_body_no_longer_holds_the_link(practitioner, smtp_server):
    mail = request_reset(practitioner)
    assert "/reset/" in mail.body
    assert send_outbox(utcnow()) == {"sent": 1, "failed": 0}

    [delivered] = smtp_server.messages
    token_path = path_of(link_in(delivered))
    assert token_path.startswith("/reset/")  # the person got the link …
    sent = reloaded(mail.id)
    assert sent.body == "" and token_path not in sent.body  # … the database no longer has it
    assert (sent.recipient, sent.subject, sent.attempts) == (practitioner.email, delivered["Subject"], 1)
    assert sent.sent_at is not None and sent.failed_at is None and sent.last_error is None


def test_a_failed_attempt_keeps_the_body_for_the_retry(practitioner, smtp_server):
    smtp_server.stop()
    mail = request_reset(practitioner)
    body = mail.body
    now = utcnow()
    assert send_outbox(now) == {"sent": 0, "failed": 1}
    assert reloaded(mail.id).body == body

    smtp_server.start()
    assert send_outbox(reloaded(mail.id).next_attempt_at) == {"sent": 1, "failed": 0}
    assert path_of(link_in(smtp_server.messages[0])) in body  # the retry sent the kept link
    assert reloaded(mail.id).body == ""


def test_a_mail_given_up_is_emptied_too(app, practitioner, smtp_server):
    smtp_server.stop()
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    mail = request_reset(practitioner)
    now = utcnow()
    send_outbox(now)
    assert reloaded(mail.id).body
    send_outbox(now + timedelta(hours=1))
    given_up = reloaded(mail.id)
    assert given_up.failed_at is not None and given_up.body == ""


def test_the_body_is_emptied_by_the_statement_that_records_sent(app, practitioner, smtp_server):
    mail = request_reset(practitioner)
    updates: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        set_part = statement.upper().split(" WHERE ", 1)[0]
        if set_part.lstrip().startswith("UPDATE OUTBOX_EMAILS") and "SENT_AT" in set_part:
            updates.append((set_part, parameters))

    engine = app.extensions["db"]["engine"]
    event.listen(engine, "before_cursor_execute", remember)
    try:
        send_outbox(utcnow())
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    [(statement, _parameters)] = updates
    assert "BODY" in statement  # one UPDATE, one short transaction: sent and emptied together
    assert reloaded(mail.id).body == ""
