"""The second factor: set-up with a QR code drawn here, wrong and reused codes refused, recovery codes
that work once, no way around it by a password reset, and no way around it for privileged roles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import tokens
from app.auth.models import RecoveryCode, SecondFactor, User
from app.auth.second_factor import code_at, step_of
from app.db import db, utcnow
from app.organisations.models import Organisation
from app.privacy.models import AccessLog
from app.teams.models import OrganisationRole
from tests import factories


def _factor(app, user: User) -> SecondFactor | None:
    with app.app_context():
        return db.session.get(SecondFactor, user.id)


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _to_code_page(client, user: User) -> None:
    response = client.login(user.email)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/code")


def test_set_up_draws_the_qr_code_itself_and_keeps_the_secret_only_when_confirmed(app, client, practitioner):
    client.login_as(practitioner)
    page = client.get("/account/second-factor/setup")
    assert page.status_code == 200
    assert "<svg" in page.text and "<path" in page.text  # drawn here: no image from elsewhere
    assert not re.search(r'<img[^>]+src="(?:https?:)?//', page.text)
    secret = re.search(r'<code id="secret" class="secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert _factor(app, practitioner) is None
    wrong = client.submit("/account/second-factor/setup", {"code": "123456"})
    assert wrong.status_code == 400 and _factor(app, practitioner) is None
    done = client.submit("/account/second-factor/setup", {"code": factories.code_now(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    factor = _factor(app, practitioner)
    assert factor is not None and factor.secret == secret
    with app.app_context():  # only hashes are kept
        hashes = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == practitioner.id))
        assert not set(hashes) & {c.replace("-", "") for c in codes}


def test_a_wrong_code_is_refused_and_counted(app, client, practitioner):
    factories.second_factor(practitioner)
    _to_code_page(client, practitioner)
    response = client.submit("/login/code", {"code": "000000"})
    assert response.status_code == 401 and not _signed_in(client)
    with app.app_context():
        [row] = db.session.scalars(select(AccessLog).where(AccessLog.action == "sign_in_failed"))
        assert (row.actor_id, row.detail) == (practitioner.id, "second factor")


def test_a_code_works_once(app, client, practitioner):
    secret = factories.second_factor(practitioner)
    code = factories.code_now(secret)
    _to_code_page(client, practitioner)
    assert client.submit("/login/code", {"code": code}).status_code == 302 and _signed_in(client)
    other = app.test_client()
    _to_code_page(other, practitioner)
    assert other.submit("/login/code", {"code": code}).status_code == 401  # overheard, typed again
    assert not _signed_in(other)


def test_an_earlier_code_is_refused_once_a_later_one_was_used(app, client, practitioner):
    secret = factories.second_factor(practitioner)
    now = step_of(utcnow())
    _to_code_page(client, practitioner)
    assert client.submit("/login/code", {"code": code_at(secret, now)}).status_code == 302
    other = app.test_client()
    _to_code_page(other, practitioner)
    assert other.submit("/login/code", {"code": code_at(secret, now - 1)}).status_code == 401


def test_recovery_codes_work_once_each(app, client, practitioner):
    client.login_as(practitioner)
    codes = client.set_up_second_factor()
    client.submit("/logout")
    _to_code_page(client, practitioner)
    assert client.submit("/login/code", {"code": codes[0].upper()}).status_code == 302 and _signed_in(client)
    client.submit("/logout")
    _to_code_page(client, practitioner)
    assert client.submit("/login/code", {"code": codes[0]}).status_code == 401
    assert client.submit("/login/code", {"code": codes[1]}).status_code == 302
    with app.app_context():
        used = db.session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
        assert len(used) == 2


def test_new_recovery_codes_replace_the_old_ones(app, client, practitioner):
    client.login_as(practitioner)
    old = client.set_up_second_factor()
    code = factories.current_code(practitioner)
    page = client.submit("/account/second-factor/recovery-codes", {"code": code})
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    client.submit("/logout")
    _to_code_page(client, practitioner)
    assert client.submit("/login/code", {"code": old[0]}).status_code == 401
    assert client.submit("/login/code", {"code": new[0]}).status_code == 302


def test_a_password_reset_does_not_skip_the_second_factor(app, client, coach):
    factories.second_factor(coach)
    with app.app_context():
        raw = tokens.issue(db.session.get(User, coach.id), "reset", timedelta(hours=1), utcnow())
        db.session.commit()
    new = "een heel nieuw wachtwoord"
    done = client.submit(f"/reset/{raw}", {"password": new, "confirm": new})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert not _signed_in(client)
    response = client.login(coach.email, new)
    assert response.headers["Location"].startswith("/login/code")  # the code, as ever
    assert client.get("/").status_code == 302 and not _signed_in(client)
    assert _factor(app, coach) is not None  # the reset left the second factor as it was


@pytest.mark.parametrize("who", ["coach", "lead", "admin", "privacy_officer"])
def test_privileged_roles_cannot_skip_it(request, app, client, who):
    user = request.getfixturevalue(who)
    response = client.login(user.email)
    assert response.status_code == 302
    setup = "/account/second-factor/setup"
    assert response.headers["Location"].startswith(setup)
    for page in ("/", "/logs", "/account", "/admin/users", "/privacy/access-log", "/account/my-data"):
        answer = client.get(page)
        assert answer.status_code == 302 and answer.headers["Location"].startswith(setup), page
    assert client.get(setup).status_code == 200
    client.set_up_second_factor()  # nor can they switch it off once it is set up
    off = client.submit("/account/second-factor/off", {"code": factories.current_code(user)})
    assert off.status_code == 400 and _factor(app, user) is not None


def test_someone_who_becomes_a_coach_sets_it_up_before_going_on(app, client, practitioner, org):
    client.login_as(practitioner)
    assert client.get("/logs").status_code == 200
    factories.coach_assignment(practitioner, factories.user(org, "coachee@example.org"))
    assert client.get("/logs").headers["Location"].startswith("/account/second-factor/setup")


def test_someone_who_becomes_a_lead_or_gets_an_organisation_role_sets_it_up_before_going_on(
        app, client, practitioner, org, team):
    client.login_as(practitioner)
    assert client.get("/logs").status_code == 200
    membership = factories.membership(practitioner, team, role="lead")
    assert client.get("/logs").headers["Location"].startswith("/account/second-factor/setup")
    with factories.committed() as s:
        s.delete(s.merge(membership))
    assert client.get("/logs").status_code == 200
    with factories.committed() as s:
        s.add(OrganisationRole(user_id=practitioner.id, role="privacy_officer"))
    assert client.get("/logs").headers["Location"].startswith("/account/second-factor/setup")


def test_an_organisation_that_asks_it_of_everyone_stops_those_signed_in_without(app, client, practitioner,
                                                                                 org):
    client.login_as(practitioner)
    assert client.get("/logs").status_code == 200
    with factories.committed() as s:
        s.get(Organisation, org.id).second_factor_for_all = True
    assert client.get("/logs").headers["Location"].startswith("/account/second-factor/setup")


def test_an_organisation_can_ask_it_of_everyone(app, client, practitioner, org):
    with factories.committed() as s:
        s.get(Organisation, org.id).second_factor_for_all = True
    assert client.login(practitioner.email).headers["Location"].startswith("/account/second-factor/setup")


def test_it_is_offered_to_everyone_and_can_be_switched_off_where_not_required(app, client, practitioner):
    client.login_as(practitioner)
    assert "/account/second-factor/setup" in client.get("/account/second-factor").text
    client.set_up_second_factor()
    off = client.submit("/account/second-factor/off", {"code": factories.current_code(practitioner)})
    assert off.status_code == 302 and _factor(app, practitioner) is None


def test_an_admin_resets_someones_second_factor_and_it_is_logged(app, client, admin, coach):
    factories.second_factor(coach)
    session = app.test_client()
    session.login_as(coach)
    client.login_as(admin)
    response = client.submit(f"/admin/users/{coach.id}/second-factor/reset")
    assert response.status_code == 302 and _factor(app, coach) is None
    assert session.get("/account").status_code == 302  # signed out everywhere
    with app.app_context():
        [row] = db.session.scalars(select(AccessLog).where(AccessLog.action == "second_factor_reset"))
        assert (row.actor_id, row.actor_role, row.subject_id) == (admin.id, "admin", coach.id)
    assert client.login(coach.email) is not None  # their next sign-in asks for a new one
    fresh = app.test_client()
    assert fresh.login(coach.email).headers["Location"].startswith("/account/second-factor/setup")


def test_an_admin_cannot_reset_their_own(app, client, admin):
    client.login_as(admin)
    assert client.submit(f"/admin/users/{admin.id}/second-factor/reset").status_code == 403
    assert _factor(app, admin) is not None


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(client):
    page = client.get("/login/code")
    assert page.status_code == 410 and 'href="/login"' in page.text
    assert client.submit("/login/code", {"code": "123456"}).status_code == 410
