"""The outbox job claims mail in a short transaction and talks SMTP outside any, so the app keeps writing."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select, update

from app.db import db
from app.mail import jobs
from app.mail.jobs import CLAIM_LEASE, send_outbox
from app.mail.models import OutboxEmail
from app.mail.services import queue_email
from app.scheduler import run_job
from tests.practice.helpers import count_logs, log_form

NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
NOTHING = {"sent": 0, "failed": 0}


def queued_mail(recipient: str = "iemand@example.org", due: datetime | None = None) -> OutboxEmail:
    mail = queue_email(recipient, "Onderwerp", "Hallo,\n\nhttp://localhost/reset/abc\n")
    if due is not None:
        mail.next_attempt_at = due
    db.session.commit()
    return mail


def reloaded(mail_id: int) -> OutboxEmail:
    db.session.expire_all()
    fresh = db.session.get(OutboxEmail, mail_id)
    assert fresh is not None
    db.session.commit()
    return fresh


def committed_claims() -> list[tuple[int, datetime | None, str | None]]:
    """The claims as another connection sees them: committed ones only."""
    query = select(OutboxEmail.id, OutboxEmail.claimed_at, OutboxEmail.claim_token).order_by(OutboxEmail.id)
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def test_a_post_is_saved_at_once_while_the_job_waits_on_a_slow_smtp_server(
    app, client, practitioner, smtp_server, monkeypatch
):
    smtp_server.delay = 3.0
    with app.app_context():
        mail_id = queued_mail().id
    client.login_as(practitioner)

    during_smtp: list[bool] = []
    real = jobs.deliver

    def watched(mail: OutboxEmail) -> None:
        during_smtp.append(db.session.in_transaction())  # the job's own session, in its thread
        real(mail)

    monkeypatch.setattr(jobs, "deliver", watched)
    outcome: dict[str, Any] = {}

    def scheduler() -> None:  # as the scheduler process runs it: own thread, own app context
        try:
            outcome["counts"] = run_job(app, send_outbox)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            outcome["error"] = exc

    job = threading.Thread(target=scheduler)
    job.start()
    try:
        assert smtp_server.receiving.wait(10), "the job never reached the SMTP server"
        started = time.monotonic()
        response = client.submit("/logs/new", log_form())
        took = time.monotonic() - started
        still_in_smtp = job.is_alive() and not smtp_server.messages
    finally:
        job.join(30)

    assert response.status_code == 302
    assert still_in_smtp, "the POST finished only after the SMTP server had answered"
    assert took < 1.5, f"the POST waited {took:.1f}s on the outbox job"
    assert count_logs(app, practitioner.id) == 1
    assert "error" not in outcome, outcome.get("error")
    assert outcome["counts"] == {"sent": 1, "failed": 0}
    assert during_smtp == [False]
    assert len(smtp_server.messages) == 1
    with app.app_context():
        mail = reloaded(mail_id)
        assert (mail.attempts, mail.claimed_at, mail.claim_token) == (1, None, None)
        assert mail.sent_at is not None


def test_the_claim_is_committed_before_smtp_and_no_query_runs_while_it_talks(
    app, ctx, smtp_server, monkeypatch
):
    first, second = queued_mail("a@example.org", NOW), queued_mail("b@example.org", NOW)
    seen: list[tuple[int, bool, list[Any], list[str]]] = []
    real = jobs.deliver

    def watched(mail: OutboxEmail) -> None:
        claims = committed_claims()
        statements: list[str] = []

        def remember(*args: Any) -> None:
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            real(mail)
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        seen.append((mail.id, db.session.in_transaction(), claims, statements))

    monkeypatch.setattr(jobs, "deliver", watched)
    assert send_outbox(NOW) == {"sent": 2, "failed": 0}

    (id1, open1, claims1, sql1), (id2, open2, claims2, sql2) = seen
    assert (id1, id2) == (first.id, second.id)
    assert (open1, open2, sql1, sql2) == (False, False, [], [])
    token = claims1[0][2]
    assert token and claims1 == [(first.id, NOW, token), (second.id, NOW, token)]
    # The first outcome was committed before the second mail went out.
    assert claims2 == [(first.id, None, None), (second.id, NOW, token)]
    assert committed_claims() == [(first.id, None, None), (second.id, None, None)]
    assert [reloaded(m.id).sent_at for m in (first, second)] == [NOW, NOW]


def test_a_claim_older_than_the_lease_is_taken_over_by_the_next_run(ctx, smtp_server):
    crashed_at = NOW - timedelta(minutes=5)
    mail = queued_mail(due=crashed_at)
    # A run claimed the mail and then died (before sending it, or after but before recording it).
    mail.claimed_at, mail.claim_token = crashed_at, "f" * 32
    db.session.commit()

    assert send_outbox(crashed_at + timedelta(minutes=1)) == NOTHING
    assert send_outbox(crashed_at + CLAIM_LEASE) == NOTHING  # not older than the lease yet
    assert smtp_server.messages == []
    assert (reloaded(mail.id).claimed_at, reloaded(mail.id).claim_token) == (crashed_at, "f" * 32)

    later = crashed_at + CLAIM_LEASE + timedelta(seconds=1)
    assert send_outbox(later) == {"sent": 1, "failed": 0}
    assert [m["To"] for m in smtp_server.messages] == ["iemand@example.org"]
    mail = reloaded(mail.id)
    assert (mail.sent_at, mail.attempts, mail.claimed_at, mail.claim_token) == (later, 1, None, None)
    assert send_outbox(later + CLAIM_LEASE * 2) == NOTHING
    assert len(smtp_server.messages) == 1


def test_an_abandoned_claim_taken_over_while_smtp_is_down_counts_the_attempt(ctx, smtp_server):
    smtp_server.stop()
    mail = queued_mail(due=NOW - CLAIM_LEASE * 2)
    mail.claimed_at, mail.claim_token = NOW - CLAIM_LEASE * 2, "f" * 32
    db.session.commit()
    assert send_outbox(NOW) == {"sent": 0, "failed": 1}
    mail = reloaded(mail.id)
    assert (mail.attempts, mail.next_attempt_at, mail.claimed_at, mail.claim_token) == (
        1, NOW + timedelta(minutes=1), None, None)


def test_a_run_near_the_end_of_its_lease_gives_its_claims_back_unsent(ctx, smtp_server, monkeypatch):
    mail = queued_mail(due=NOW)
    monkeypatch.setattr(jobs, "SEND_MARGIN", CLAIM_LEASE + timedelta(minutes=1))  # no time left
    assert send_outbox(NOW) == NOTHING
    assert smtp_server.messages == []
    assert committed_claims() == [(mail.id, None, None)]
    monkeypatch.undo()
    assert send_outbox(NOW) == {"sent": 1, "failed": 0}


def test_a_run_that_lost_its_claim_records_a_send_but_not_a_failure(ctx, smtp_server, monkeypatch):
    """A run whose claim was taken over (it overran the lease) leaves the attempts to the new owner."""
    sent, failed = queued_mail("a@example.org", NOW), queued_mail("b@example.org", NOW)
    real = jobs.deliver

    def overran(mail: OutboxEmail) -> None:
        with db.engine.begin() as conn:  # meanwhile another run claims the mail as abandoned
            conn.execute(update(OutboxEmail).where(OutboxEmail.id == mail.id).values(claim_token="e" * 32))
        if mail.id == failed.id:
            raise OSError("connection reset")
        real(mail)

    monkeypatch.setattr(jobs, "deliver", overran)
    assert send_outbox(NOW) == {"sent": 1, "failed": 1}
    one, other = reloaded(sent.id), reloaded(failed.id)
    assert (one.sent_at, one.attempts, one.claim_token) == (NOW, 1, "e" * 32)
    assert (other.sent_at, other.attempts, other.last_error, other.claim_token) == (None, 0, None, "e" * 32)

