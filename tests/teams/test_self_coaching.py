"""Nobody appoints themselves a coach: a coach reads the coachee's logs, so an admin could not
otherwise be kept from them. Refused in the service and on the screen, with nothing saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.db import db, utcnow
from app.services import ServiceError
from app.teams import services
from app.teams.models import CoachAssignment
from tests import factories


def assignments(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(CoachAssignment.coach_id, CoachAssignment.coachee_id).order_by(CoachAssignment.id))]


def test_the_service_refuses_an_admin_as_their_own_appointees_coach(app, admin, practitioner):
    with app.app_context():
        actor = db.session.get(User, admin.id)
        with pytest.raises(ServiceError) as refused:
            services.assign_coach(actor, actor, db.session.get(User, practitioner.id), utcnow())
        db.session.rollback()
    assert refused.value.field == "coach"
    assert "Je kunt jezelf niet als coach koppelen" in refused.value.message
    assert assignments(app) == []


def test_the_screen_refuses_it_too_and_saves_nothing(app, client, admin, practitioner):
    client.login_as(admin)
    token = client.csrf_token()
    response = client.post(f"/admin/users/{admin.id}/coachees", data={
        "csrf_token": token, "coachee-csrf_token": token, "coachee-coachee_id": practitioner.id})
    assert response.status_code == 400
    assert "Je kunt jezelf niet als coach koppelen" in response.text
    assert assignments(app) == []
    # and the practice logs stay closed to the admin
    log = factories.practice_log(practitioner)
    assert client.get(f"/logs/{log.id}").status_code == 404


def test_the_admins_own_page_offers_no_coachee_form(client, org, admin, practitioner):
    client.login_as(admin)
    own = client.get(f"/admin/users/{admin.id}")
    assert own.status_code == 200
    assert f'action="/admin/users/{admin.id}/coachees"' not in own.text
    assert "Een andere beheerder kan dit wel doen" in own.text
    other = client.get(f"/admin/users/{practitioner.id}")
    assert f'action="/admin/users/{practitioner.id}/coachees"' in other.text


def test_another_admin_may_make_an_admin_a_coach(app, client, org, admin, practitioner):
    second = factories.user(org, "admin2@example.org", org_roles=["admin"])
    client.login_as(second)
    token = client.csrf_token()
    response = client.post(f"/admin/users/{admin.id}/coachees", data={
        "csrf_token": token, "coachee-csrf_token": token, "coachee-coachee_id": practitioner.id})
    assert response.status_code == 302
    assert assignments(app) == [(admin.id, practitioner.id)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CoachAssignment)) == 1
