"""Prompt e-mail: a link and nothing else, in the user's language; weekly digest; SMTP outages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.db import db
from app.mail.jobs import send_outbox
from app.mail.models import OutboxEmail
from app.prompts.jobs import materialise_prompts, send_prompt_digests
from app.prompts.models import Prompt
from app.scheduler import run_job
from tests import factories
from tests.reflection.conftest import NOW, count
from tests.smtp import body_of, link_in, path_of

THEME = "Wanneer lukte samen beslissen niet?"


def _mails(app):
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_instant_mail_holds_only_a_link_in_the_users_language(app, client, team, colleagues):
    nl_user, en_user, none_user = colleagues
    factories.preference(none_user, "none")
    factories.schedule(team=team, since=NOW - timedelta(days=10), theme=THEME)
    assert run_job(app, materialise_prompts, NOW)["mails"] == 2
    mails = {m.recipient: m for m in _mails(app)}
    assert set(mails) == {nl_user.email, en_user.email}
    assert mails[nl_user.email].subject == "Er staat een reflectievraag voor je klaar"
    assert mails[en_user.email].subject == "A reflection prompt is waiting for you"
    for mail in mails.values():
        assert THEME not in mail.body
    with app.app_context():
        prompt_id = db.session.scalar(select(Prompt.id).where(Prompt.user_id == en_user.id))
    assert f"http://localhost/reflection/prompts/{prompt_id}\n" in mails[en_user.email].body
    assert "Hello P2," in mails[en_user.email].body
    client.login_as(en_user)
    assert client.get(f"/reflection/prompts/{prompt_id}").status_code == 200  # the link opens the prompt


def test_digest_readers_get_no_instant_mail_but_one_digest_per_week(app, team, colleagues):
    reader = colleagues[0]
    factories.preference(reader, "digest")
    factories.preference(colleagues[1], "none")
    factories.preference(colleagues[2], "none")
    factories.schedule(team=team, since=NOW - timedelta(days=10))
    run_job(app, materialise_prompts, NOW)  # Friday 20 March
    assert count(app, OutboxEmail) == 0
    monday_early = datetime(2026, 3, 23, 6, 30, tzinfo=UTC)  # 07:30 in Amsterdam
    monday = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    assert run_job(app, send_prompt_digests, monday_early) == 0
    assert run_job(app, send_prompt_digests, monday) == 1
    assert run_job(app, send_prompt_digests, monday + timedelta(hours=1)) == 0
    assert run_job(app, send_prompt_digests, monday + timedelta(days=3)) == 0
    (mail,) = _mails(app)
    assert mail.recipient == reader.email and mail.body.count("http") == 1
    assert "http://localhost/reflection/inbox" in mail.body
    # The next week, with a new prompt waiting, there is a new digest.
    run_job(app, materialise_prompts, NOW + timedelta(days=7))
    assert run_job(app, send_prompt_digests, monday + timedelta(days=7)) == 1


def test_no_digest_without_a_waiting_prompt(app, team, colleagues):
    factories.preference(colleagues[0], "digest")
    assert run_job(app, send_prompt_digests, datetime(2026, 3, 23, 8, 0, tzinfo=UTC)) == 0


def test_smtp_down_keeps_the_prompt_and_retries_the_mail_until_sent_once(app, smtp_server, practitioner,
                                                                           team):
    factories.schedule(team=team, since=NOW - timedelta(days=10))
    smtp_server.stop()
    assert run_job(app, materialise_prompts, NOW) == {"schedules": 1, "prompts": 1, "mails": 1}
    assert count(app, Prompt) == 1  # the in-app prompt is there, whatever the mail server does
    attempts = []
    for minutes in (0, 1, 3, 7):
        run_job(app, send_outbox, NOW + timedelta(minutes=minutes))
        (mail,) = _mails(app)
        attempts.append(mail.attempts)
        assert mail.sent_at is None and mail.failed_at is None
    assert attempts == [1, 2, 3, 4]
    smtp_server.start()
    run_job(app, send_outbox, NOW + timedelta(minutes=30))
    run_job(app, send_outbox, NOW + timedelta(minutes=90))
    (mail,) = _mails(app)
    assert mail.sent_at is not None and mail.attempts == 5
    (message,) = smtp_server.to(practitioner.email)
    assert path_of(link_in(message)).startswith("/reflection/prompts/")
    assert "reflectievraag" in body_of(message)
