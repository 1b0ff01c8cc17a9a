"""An admin invites someone; the mailed link sets the first password once, and only in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import AuthToken, User
from app.db import db, utcnow
from app.mail.models import OutboxEmail
from tests.smtp import drain_outbox, link_in, path_of

NEW_PASSWORD = "paarse olifant danst op het dak"


def invite(client, admin, email: str = "nieuw@example.org"):
    client.login_as(admin)
    return client.submit(
        "/admin/users/invite",
        {
            "email": email,
            "display_name": "Nieuwe Collega",
            "language": "nl",
            "team_id": "0",
            "role": "practitioner",
        },
    )


def invited_user(app, email: str = "nieuw@example.org") -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email_normalized == email))


@pytest.fixture
def invitation_link(app, client, admin, smtp_server) -> str:
    """The path of the link in the invitation mail, as delivered over SMTP."""
    assert invite(client, admin).status_code == 302
    assert drain_outbox(app) == {"sent": 1, "failed": 0}
    [mail] = smtp_server.to("nieuw@example.org")
    return path_of(link_in(mail))


def test_invitation_creates_an_account_without_password_and_queues_one_mail(app, client, admin):
    response = invite(client, admin)

    user = invited_user(app)
    assert user is not None and user.password_hash is None and user.active
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    with app.app_context():
        mails = db.session.scalars(select(OutboxEmail)).all()
    assert [(m.recipient, m.sent_at) for m in mails] == [("nieuw@example.org", None)]


def test_invitation_mail_holds_a_link_and_nothing_secret(app, client, admin, smtp_server):
    invite(client, admin)
    drain_outbox(app)
    [mail] = smtp_server.messages
    assert mail["To"] == "nieuw@example.org"
    assert link_in(mail).startswith("http://localhost/invitation/")
    with app.app_context():
        token = db.session.scalars(select(AuthToken)).one()
    assert token.token_hash not in mail.as_string()  # only the hash is stored, never mailed


def test_invitation_link_opens_the_form(app, invitation_link):
    assert app.test_client().get(invitation_link).status_code == 200


@pytest.mark.parametrize("weak", ["short", "qwerty123456", "passwordpassword", "wachtwoord2024"])
def test_weak_password_is_refused_and_nothing_is_saved(app, invitation_link, weak):
    invitee = app.test_client()
    response = invitee.submit(invitation_link, {"password": weak, "confirm": weak})
    assert response.status_code == 400
    assert 'id="password-error"' in response.text
    assert invited_user(app).password_hash is None
    assert invitee.get(invitation_link).status_code == 200  # the link still works


def test_different_confirmation_is_refused(app, invitation_link):
    response = app.test_client().submit(
        invitation_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"}
    )
    assert response.status_code == 400
    assert invited_user(app).password_hash is None


def test_good_password_is_saved_and_signs_in(app, invitation_link):
    invitee = app.test_client()
    response = invitee.submit(invitation_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert invitee.login("nieuw@example.org", NEW_PASSWORD).status_code == 302


def test_invitation_link_works_once(app, invitation_link):
    invitee = app.test_client()
    invitee.submit(invitation_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert invitee.get(invitation_link).status_code == 410
    again = invitee.submit(
        invitation_link, {"password": "een heel ander wachtwoord", "confirm": "een heel ander wachtwoord"}
    )
    assert again.status_code == 410
    assert invitee.login("nieuw@example.org", NEW_PASSWORD).status_code == 302


def test_expired_invitation_link_is_refused(app, invitation_link):
    with app.app_context():
        token = db.session.scalars(select(AuthToken)).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    invitee = app.test_client()
    assert invitee.get(invitation_link).status_code == 410
    response = invitee.submit(invitation_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert invited_user(app).password_hash is None


def test_made_up_invitation_link_is_refused(app):
    assert app.test_client().get("/invitation/not-a-real-token").status_code == 410


def test_resending_replaces_the_old_link(app, client, admin, invitation_link, smtp_server):
    user = invited_user(app)
    assert client.submit(f"/admin/users/{user.id}/resend").status_code == 302
    drain_outbox(app)
    new_link = path_of(link_in(smtp_server.to("nieuw@example.org")[-1]))

    invitee = app.test_client()
    assert new_link != invitation_link
    assert invitee.get(invitation_link).status_code == 410
    assert invitee.get(new_link).status_code == 200


def test_deactivated_invitee_cannot_use_the_link(app, client, admin, invitation_link):
    user = invited_user(app)
    assert client.submit(f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    invitee = app.test_client()
    assert invitee.get(invitation_link).status_code == 410
    response = invitee.submit(invitation_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert invited_user(app).password_hash is None


def test_a_deactivated_invitee_gets_no_new_link(app, client, admin, invitation_link):
    """The resend button is hidden for a deactivated account, and a crafted POST mails nothing."""
    from sqlalchemy import func, select

    from app.mail.models import OutboxEmail

    user = invited_user(app)
    client.submit(f"/admin/users/{user.id}/active", {"active": "0"})
    assert f"/admin/users/{user.id}/resend" not in client.get(f"/admin/users/{user.id}").text
    with app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(OutboxEmail))
    response = client.submit(f"/admin/users/{user.id}/resend")
    assert response.status_code == 302
    assert "Het account is uitgezet." in client.get(response.headers["Location"]).text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == queued
