"""Memberships start and end on the Amsterdam day, also just after midnight when UTC is a day behind."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.clock import local_today
from app.db import db, utcnow
from app.teams.models import Membership

# 00:30 in Amsterdam, while it is still the day before in UTC: winter (UTC+1) and summer (UTC+2).
JUST_AFTER_MIDNIGHT = [
    pytest.param(datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 16), id="winter"),
    pytest.param(datetime(2026, 7, 15, 22, 30, tzinfo=UTC), date(2026, 7, 16), id="summer"),
]


@pytest.fixture
def admin_client(client, admin):
    client.login_as(admin)
    return client


def post(client, url: str, data: dict | None = None, prefix: str | None = None):
    token = client.csrf_token()
    fields = {"csrf_token": token, **(data or {})}
    if prefix:
        fields[f"{prefix}-csrf_token"] = token
    return client.post(url, data=fields)


def _membership(app, user_id: int, role: str) -> Membership:
    with app.app_context():
        return db.session.scalars(
            select(Membership).where(Membership.user_id == user_id, Membership.role == role)
        ).one()


@pytest.mark.parametrize(("instant", "amsterdam_day"), JUST_AFTER_MIDNIGHT)
def test_the_frozen_clock_is_a_day_ahead_in_amsterdam(freeze_clock, instant, amsterdam_day):
    freeze_clock(instant)
    assert utcnow() == instant
    assert local_today() == amsterdam_day != utcnow().date()


@pytest.mark.parametrize(("instant", "amsterdam_day"), JUST_AFTER_MIDNIGHT)
def test_a_membership_added_and_ended_after_midnight_has_the_amsterdam_date(
    app, admin_client, practitioner, team, freeze_clock, instant, amsterdam_day
):
    freeze_clock(instant)
    url = f"/admin/users/{practitioner.id}/memberships"
    added = post(admin_client, url, {"member-team_id": team.id, "member-role": "lead"}, "member")
    assert added.status_code == 302
    lead = _membership(app, practitioner.id, "lead")
    assert lead.started_on == amsterdam_day

    assert post(admin_client, f"/admin/memberships/{lead.id}/end").status_code == 302
    assert _membership(app, practitioner.id, "lead").ended_on == amsterdam_day


@pytest.mark.parametrize(("instant", "amsterdam_day"), JUST_AFTER_MIDNIGHT)
def test_an_invitation_after_midnight_starts_the_team_role_on_the_amsterdam_date(
    app, admin_client, team, freeze_clock, instant, amsterdam_day
):
    freeze_clock(instant)
    response = post(admin_client, "/admin/users/invite", {
        "email": "nieuw@example.org", "display_name": "Nieuwe Collega", "language": "nl",
        "team_id": str(team.id), "role": "practitioner",
    })
    assert response.status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "nieuw@example.org"))
    assert _membership(app, user_id, "practitioner").started_on == amsterdam_day
