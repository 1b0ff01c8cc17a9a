"""Signing in and out: one answer for every wrong credential, safe redirects, sessions that end."""

from __future__ import annotations

import re
import time
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from tests import factories

FORM_ERRORS = re.compile(r'<div class="form-errors" role="alert">.*?</div>', re.DOTALL)


def form_errors(html: str) -> str:
    match = FORM_ERRORS.search(html)
    assert match, "no form error shown"
    return match.group(0)


def is_sent_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def stays_on_this_site(location: str) -> bool:
    """Resolve `location` as a browser would (it drops tabs and newlines, reads \\ as /)."""
    for char in "\t\n\r":
        location = location.replace(char, "")
    resolved = urlsplit(urljoin("http://localhost/login", location.replace("\\", "/")))
    return resolved.scheme == "http" and resolved.netloc == "localhost"


def stored_user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user


def test_right_password_signs_in_and_goes_home(client, practitioner):
    response = client.login(practitioner.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_e_mail_address_is_matched_regardless_of_case_and_spaces(client, practitioner):
    assert client.login("  PRACTITIONER@Example.ORG ").status_code == 302


def test_wrong_password_and_unknown_address_get_the_same_answer(client, practitioner):
    wrong_password = client.login(practitioner.email, "not the right password")
    unknown = client.login("nobody@example.org", "not the right password")
    assert wrong_password.status_code == unknown.status_code == 401
    assert form_errors(wrong_password.text) == form_errors(unknown.text)


def test_deactivated_account_cannot_sign_in(client, org):
    user = factories.user(org, "gone@example.org", active=False)
    response = client.login(user.email)
    assert response.status_code == 401
    assert form_errors(response.text) == form_errors(client.login("x@example.org", "wrong").text)
    assert is_sent_to_login(client.get("/"))


def test_invited_account_without_password_cannot_sign_in(client, org):
    user = factories.user(org, "invited@example.org", password=None)
    assert client.login(user.email, "").status_code == 400
    assert client.login(user.email, factories.PASSWORD).status_code == 401
    assert is_sent_to_login(client.get("/"))


def test_empty_form_is_refused_without_checking(client):
    assert client.submit("/login", {}).status_code == 400


def test_page_asked_for_before_signing_in_is_shown_after(client, practitioner):
    first = client.get("/account")
    assert is_sent_to_login(first)
    response = client.submit(
        first.headers["Location"], {"email": practitioner.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_pointing_elsewhere_is_ignored(client, practitioner, target):
    response = client.submit(
        "/login", {"email": practitioner.email, "password": factories.PASSWORD}, query_string={"next": target}
    )
    assert response.status_code == 302
    assert stays_on_this_site(response.headers["Location"])


def test_signed_in_visitor_of_login_page_goes_home(client, practitioner):
    client.login_as(practitioner)
    assert client.get("/login").headers["Location"] == "/"


def test_sign_out_ends_the_session(client, practitioner):
    client.login_as(practitioner)
    response = client.submit("/logout")
    assert is_sent_to_login(response)
    assert is_sent_to_login(client.get("/"))


def test_replayed_cookie_after_sign_out_is_refused(app, client, practitioner):
    client.login_as(practitioner)
    stolen = client.get_cookie("werkzaam_session")
    assert stolen is not None
    client.submit("/logout")

    thief = app.test_client()
    thief.set_cookie("werkzaam_session", stolen.value)
    assert is_sent_to_login(thief.get("/"))


def test_cookie_copied_while_signed_in_works_until_sign_out(app, client, practitioner):
    client.login_as(practitioner)
    copy = app.test_client()
    copy.set_cookie("werkzaam_session", client.get_cookie("werkzaam_session").value)
    assert copy.get("/account").status_code == 200
    client.submit("/logout")
    assert is_sent_to_login(copy.get("/"))


def change_password(client, current: str, new: str):
    token = client.csrf_token()
    return client.post(
        "/account",
        data={
            "action": "password",
            "pw-csrf_token": token,
            "pw-current_password": current,
            "pw-password": new,
            "pw-confirm": new,
        },
    )


def test_password_change_ends_the_other_sessions_but_keeps_this_one(app, client, practitioner):
    laptop = app.test_client()
    laptop.login_as(practitioner)
    client.login_as(practitioner)

    response = change_password(client, factories.PASSWORD, "een nieuw en lang wachtwoord")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert is_sent_to_login(laptop.get("/"))
    assert client.submit("/logout").status_code == 302
    assert client.login(practitioner.email, "een nieuw en lang wachtwoord").status_code == 302


def test_password_change_needs_the_current_password(app, client, practitioner):
    client.login_as(practitioner)
    before = stored_user(app, practitioner.id)
    response = change_password(client, "not my password at all", "een nieuw en lang wachtwoord")
    assert response.status_code == 400
    after = stored_user(app, practitioner.id)
    assert (after.password_hash, after.session_token) == (before.password_hash, before.session_token)


def test_idle_session_ends(app, client, practitioner):
    app.config["SESSION_IDLE_MINUTES"] = 30
    client.login_as(practitioner)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 29 * 60
    assert client.get("/account").status_code == 200  # still in time, and this visit counts as activity
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    assert is_sent_to_login(client.get("/"))
    assert is_sent_to_login(client.get("/"))


def test_session_ends_after_its_absolute_lifetime_even_when_active(app, client, practitioner):
    app.config["SESSION_ABSOLUTE_HOURS"] = 12
    client.login_as(practitioner)
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 12 * 3600 - 60
        session["seen_at"] = time.time()
    assert is_sent_to_login(client.get("/"))
    assert is_sent_to_login(client.get("/"))


def test_sign_in_rehashes_the_password_when_the_parameters_change(app, client, practitioner):
    old_hash = stored_user(app, practitioner.id).password_hash
    assert "t=1," in old_hash
    app.config["ARGON2_TIME_COST"] = 2

    client.login_as(practitioner)

    new_hash = stored_user(app, practitioner.id).password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$") and "t=2," in new_hash
    client.submit("/logout")
    client.login_as(practitioner)
    assert stored_user(app, practitioner.id).password_hash == new_hash  # no rehash when current


def test_successful_sign_in_is_recorded(app, client, practitioner):
    client.login_as(practitioner)
    with app.app_context():
        last = db.session.scalar(select(User.last_login_at).where(User.id == practitioner.id))
    assert last is not None


def test_a_form_posted_after_the_session_expired_returns_to_that_form_after_sign_in(client, practitioner):
    client.login_as(practitioner)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.submit(
        "/account", {"action": "preferences", "prefs-display_name": "X", "prefs-language": "nl"},
        headers={"Referer": "http://localhost/account?tab=1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=/account?tab%3D1")
    # A referrer on another site is never a destination.
    client.login_as(practitioner)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.submit(
        "/account", {"action": "preferences"}, headers={"Referer": "https://evil.example/x"}
    )
    assert response.headers["Location"].endswith("/login")


def test_activity_renews_the_idle_clock_at_most_once_a_minute(app, client, practitioner):
    """A page visit keeps the session alive without a new session cookie on every request."""
    client.login_as(practitioner)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 10
    assert "Set-Cookie" not in client.get("/account").headers  # seen 10 s ago: nothing to renew
    with client.session_transaction() as session:
        session["seen_at"] = stale = time.time() - 61
    assert "Set-Cookie" in client.get("/account").headers
    with client.session_transaction() as session:
        assert session["seen_at"] > stale + 60
