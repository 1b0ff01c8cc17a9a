"""Forgot password: the same answer for every address, mail only for real accounts, limits, links."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import AuthToken, User
from app.db import db, utcnow
from app.mail.models import OutboxEmail
from tests import factories
from tests.smtp import drain_outbox, link_in, path_of

NEW_PASSWORD = "de zon schijnt op het plein"
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')
OTHER_ADDRESS = {"REMOTE_ADDR": "10.0.0.2"}


def ask_reset(client, email: str, **kwargs):
    return client.submit("/forgot-password", {"email": email}, **kwargs)


def without_csrf_tokens(html: str) -> str:
    return CSRF_VALUE.sub(r"\1…\2", html)


def queued(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail.recipient).order_by(OutboxEmail.id)))


def reset_link(app, client, smtp_server, email: str) -> str:
    assert ask_reset(client, email).status_code == 200
    drain_outbox(app)
    return path_of(link_in(smtp_server.to(email)[-1]))


def test_known_and_unknown_addresses_get_the_same_answer(app, client, practitioner):
    known = ask_reset(client, practitioner.email)
    unknown = ask_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known.text) == without_csrf_tokens(unknown.text)
    assert queued(app) == [practitioner.email]


def test_deactivated_account_gets_no_reset_mail(app, client, org):
    factories.user(org, "gone@example.org", active=False)
    assert ask_reset(client, "gone@example.org").status_code == 200
    assert queued(app) == []


def test_reset_mail_arrives_with_a_link_to_the_reset_page(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    assert link.startswith("/reset/")
    assert app.test_client().get(link).status_code == 200


def test_one_address_gets_at_most_the_hourly_number_of_mails(app, client, practitioner):
    per_hour = app.config["RESET_REQUESTS_PER_HOUR"]
    answers = {ask_reset(client, practitioner.email).status_code for _ in range(per_hour + 2)}
    assert answers == {200}  # the limit is silent: the page looks the same
    assert queued(app) == [practitioner.email] * per_hour


def test_too_many_requests_from_one_address_are_refused(app, client, practitioner):
    app.config["RESET_REQUESTS_PER_HOUR"] = 2
    allowed = 2 * 5
    for n in range(allowed):
        assert ask_reset(client, f"someone{n}@example.org").status_code == 200
    assert ask_reset(client, practitioner.email).status_code == 429
    assert queued(app) == []
    assert ask_reset(client, practitioner.email, environ_base=OTHER_ADDRESS).status_code == 200
    assert queued(app) == [practitioner.email]


def test_reset_sets_the_new_password(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    response = app.test_client().submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    fresh = app.test_client()
    assert fresh.login(practitioner.email, factories.PASSWORD).status_code == 401
    assert fresh.login(practitioner.email, NEW_PASSWORD).status_code == 302


def test_weak_password_is_refused_and_the_old_one_kept(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    response = app.test_client().submit(link, {"password": "qwerty123456", "confirm": "qwerty123456"})
    assert response.status_code == 400
    assert app.test_client().login(practitioner.email).status_code == 302


def test_reset_link_works_once(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    user = app.test_client()
    assert user.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert user.get(link).status_code == 410
    other = "een ander lang wachtwoord"
    assert user.submit(link, {"password": other, "confirm": other}).status_code == 410


def test_expired_reset_link_is_refused(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    with app.app_context():
        token = db.session.scalars(select(AuthToken).where(AuthToken.purpose == "reset")).one()
        assert token.expires_at - token.created_at == timedelta(minutes=app.config["RESET_MINUTES"])
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    user = app.test_client()
    assert user.get(link).status_code == 410
    assert user.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410


def test_a_newer_reset_link_replaces_the_older(app, client, practitioner, smtp_server):
    first = reset_link(app, client, smtp_server, practitioner.email)
    second = reset_link(app, client, smtp_server, practitioner.email)
    user = app.test_client()
    assert user.get(first).status_code == 410
    assert user.get(second).status_code == 200


def test_invitation_link_is_no_reset_link(app, client, practitioner, smtp_server):
    link = reset_link(app, client, smtp_server, practitioner.email)
    assert app.test_client().get(link.replace("/reset/", "/invitation/")).status_code == 410


def test_reset_ends_every_existing_session(app, client, practitioner, smtp_server):
    laptop = app.test_client()
    laptop.login_as(practitioner)
    link = reset_link(app, client, smtp_server, practitioner.email)
    with app.app_context():
        token_before = db.session.scalar(select(User.session_token).where(User.id == practitioner.id))

    app.test_client().submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    response = laptop.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.scalar(select(User.session_token).where(User.id == practitioner.id)) != token_before
        assert (
            db.session.scalar(select(func.count()).select_from(AuthToken).where(AuthToken.used_at.is_(None)))
            == 0
        )
