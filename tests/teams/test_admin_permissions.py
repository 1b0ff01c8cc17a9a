"""Who may use the administration: a truth table over roles × every admin page and action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app.db import db
from app.teams.models import CoachAssignment, Membership
from tests import factories

ROLES = ("practitioner", "coach", "lead", "admin", "privacy_officer", "other_admin", "anonymous")
PREFIXES = ("roles", "member", "coachee")


@dataclass(frozen=True)
class World:
    team: Any
    practitioner: Any
    coach: Any
    lead: Any
    invited: Any
    membership_id: int
    assignment_id: int


@pytest.fixture
def world(app, org, team, practitioner, coach, lead, admin, privacy_officer, other_admin) -> World:
    """One organisation with every role, an open invitation, and another organisation's admin."""
    invited = factories.user(org, "invited@example.org", password=None)
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == practitioner.id))
        assignment_id = db.session.scalar(
            select(CoachAssignment.id).where(CoachAssignment.coach_id == coach.id)
        )
    return World(team, practitioner, coach, lead, invited, membership_id, assignment_id)


@dataclass(frozen=True)
class Action:
    method: str
    url: str  # formatted with the World's fields
    data: dict[str, Any] | None = None
    on_object: bool = False  # names one of this organisation's objects (another org: 404)

    def path(self, w: World) -> str:
        return self.url.format(w=w)


ACTIONS = {
    "index": Action("GET", "/admin/"),
    "users": Action("GET", "/admin/users"),
    "teams": Action("GET", "/admin/teams"),
    "user": Action("GET", "/admin/users/{w.practitioner.id}", on_object=True),
    "team": Action("GET", "/admin/teams/{w.team.id}", on_object=True),
    "invite_page": Action("GET", "/admin/users/invite"),
    "create_team": Action("POST", "/admin/teams", {"name": "Team West"}),
    "rename_team": Action("POST", "/admin/teams/{w.team.id}", {"name": "Team Noord"}, on_object=True),
    "invite": Action(
        "POST",
        "/admin/users/invite",
        {
            "email": "new@example.org",
            "display_name": "New",
            "language": "nl",
            "team_id": "0",
            "role": "practitioner",
        },
    ),
    "roles": Action(
        "POST", "/admin/users/{w.practitioner.id}/roles", {"roles-roles": "privacy_officer"}, on_object=True
    ),
    "add_membership": Action(
        "POST",
        "/admin/users/{w.practitioner.id}/memberships",
        {"member-team_id": "{w.team.id}", "member-role": "lead"},
        on_object=True,
    ),
    "end_membership": Action("POST", "/admin/memberships/{w.membership_id}/end", on_object=True),
    "add_coachee": Action(
        "POST", "/admin/users/{w.coach.id}/coachees", {"coachee-coachee_id": "{w.lead.id}"}, on_object=True
    ),
    "end_coaching": Action("POST", "/admin/coaching/{w.assignment_id}/end", on_object=True),
    "deactivate": Action("POST", "/admin/users/{w.practitioner.id}/active", {"active": "0"}, on_object=True),
    "resend": Action("POST", "/admin/users/{w.invited.id}/resend", on_object=True),
}


def expected(role: str, name: str, action: Action) -> int:
    if role == "anonymous":
        return 302
    if role == "admin":
        return 200 if action.method == "GET" and name != "index" else 302
    if role == "other_admin":
        if action.on_object:
            return 404  # another organisation's object: do not reveal it exists
        return 200 if action.method == "GET" and name != "index" else 302
    return 403


def perform(client, action: Action, w: World):
    if action.method == "GET":
        return client.get(action.path(w))
    token = client.csrf_token()
    data = {k: v.format(w=w) for k, v in (action.data or {}).items()}
    data.update({"csrf_token": token, **{f"{p}-csrf_token": token for p in PREFIXES}})
    return client.post(action.path(w), data=data)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_and_actions_by_role(request, client, world, role, name):
    action = ACTIONS[name]
    if role != "anonymous":
        client.login_as(request.getfixturevalue(role))

    response = perform(client, action, world)

    assert response.status_code == expected(role, name, action), response.text[:500]
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login")
