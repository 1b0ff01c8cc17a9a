"""What the administration screens do: teams, invitations, roles, memberships, coaching, paging."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.clock import local_today
from app.db import db
from app.mail.models import OutboxEmail
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team
from tests import factories


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


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def load(app, model, id_: int):
    with app.app_context():
        return db.session.get(model, id_)


# --- teams -----------------------------------------------------------------------------------


def test_admin_creates_a_team(app, admin_client, org):
    response = post(admin_client, "/admin/teams", {"name": "  Team West "})
    assert response.status_code == 302
    assert count(app, Team, Team.organisation_id == org.id, Team.name == "Team West") == 1
    assert "Team West" in admin_client.get("/admin/teams").text


def test_duplicate_team_name_is_refused_and_the_input_kept(app, admin_client, team):
    response = post(admin_client, "/admin/teams", {"name": " Team Oost "})
    assert response.status_code == 400
    assert 'id="name-error"' in response.text
    assert 'value=" Team Oost "' in response.text
    assert count(app, Team) == 1


def test_another_organisation_may_use_the_same_team_name(app, client, team, other_admin):
    client.login_as(other_admin)
    assert post(client, "/admin/teams", {"name": team.name}).status_code == 302
    assert count(app, Team, Team.name == team.name) == 2


def test_admin_renames_a_team(app, admin_client, team):
    response = post(admin_client, f"/admin/teams/{team.id}", {"name": "Team Noord"})
    assert response.headers["Location"] == f"/admin/teams/{team.id}"
    assert load(app, Team, team.id).name == "Team Noord"


def test_renaming_to_another_teams_name_is_refused(app, admin_client, org, team):
    west = factories.team(org, "Team West")
    response = post(admin_client, f"/admin/teams/{west.id}", {"name": "Team Oost"})
    assert response.status_code == 400
    assert 'id="name-error"' in response.text and 'value="Team Oost"' in response.text
    assert load(app, Team, west.id).name == "Team West"


def test_renaming_a_team_to_its_own_name_is_fine(admin_client, team):
    assert post(admin_client, f"/admin/teams/{team.id}", {"name": team.name}).status_code == 302


# --- invitations -----------------------------------------------------------------------------


def invite(client, email: str, **extra: str):
    data = {
        "email": email,
        "display_name": "Nieuw",
        "language": "nl",
        "team_id": "0",
        "role": "practitioner",
        **extra,
    }
    return post(client, "/admin/users/invite", data)


def test_invitation_with_a_team_gives_the_role(app, admin_client, team):
    response = invite(admin_client, "nieuw@example.org", team_id=str(team.id), role="lead")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
        roles = db.session.scalars(select(Membership.role).where(Membership.user_id == user.id)).all()
    assert roles == ["lead"] and user.password_hash is None


def test_inviting_a_used_address_is_refused_whatever_its_case(app, admin_client, practitioner):
    response = invite(admin_client, " Practitioner@EXAMPLE.org")
    assert response.status_code == 400
    assert 'id="email-error"' in response.text
    assert count(app, User) == 2
    assert count(app, OutboxEmail) == 0


def test_an_address_used_in_another_organisation_can_be_invited(app, client, practitioner, other_admin):
    client.login_as(other_admin)
    assert invite(client, practitioner.email).status_code == 302


def test_invalid_address_is_refused(app, admin_client):
    assert invite(admin_client, "not an address").status_code == 400
    assert count(app, User) == 1


def test_another_organisations_team_cannot_be_chosen(app, admin_client, other_org):
    elsewhere = factories.team(other_org, "Elders")
    assert invite(admin_client, "nieuw@example.org", team_id=str(elsewhere.id)).status_code == 400
    assert count(app, Membership) == 0


# --- roles and activation ----------------------------------------------------------------------


def test_admin_gives_and_takes_organisation_roles(app, admin_client, practitioner):
    url = f"/admin/users/{practitioner.id}/roles"
    assert post(admin_client, url, {"roles-roles": ["admin", "privacy_officer"]}, "roles").status_code == 302
    assert count(app, OrganisationRole, OrganisationRole.user_id == practitioner.id) == 2
    assert post(admin_client, url, {}, "roles").status_code == 302
    assert count(app, OrganisationRole, OrganisationRole.user_id == practitioner.id) == 0


def test_unknown_role_is_refused(app, admin_client, practitioner):
    response = post(admin_client, f"/admin/users/{practitioner.id}/roles", {"roles-roles": "owner"}, "roles")
    assert response.status_code == 400
    assert count(app, OrganisationRole, OrganisationRole.user_id == practitioner.id) == 0


def test_admin_cannot_drop_their_own_admin_role(app, admin_client, admin):
    response = post(
        admin_client, f"/admin/users/{admin.id}/roles", {"roles-roles": "privacy_officer"}, "roles"
    )
    assert response.status_code == 400
    with app.app_context():
        roles = db.session.scalars(
            select(OrganisationRole.role).where(OrganisationRole.user_id == admin.id)
        ).all()
    assert roles == ["admin"]
    assert admin_client.get("/admin/users").status_code == 200


def test_admin_cannot_deactivate_themselves(app, admin_client, admin):
    response = post(admin_client, f"/admin/users/{admin.id}/active", {"active": "0"})
    assert response.status_code == 302
    assert load(app, User, admin.id).active
    assert admin_client.get("/admin/users").status_code == 200


def test_deactivation_ends_the_persons_session_and_reactivation_lets_them_back(
    app, admin_client, practitioner
):
    their_browser = app.test_client()
    their_browser.login_as(practitioner)

    assert post(admin_client, f"/admin/users/{practitioner.id}/active", {"active": "0"}).status_code == 302
    assert not load(app, User, practitioner.id).active
    response = their_browser.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert their_browser.login(practitioner.email).status_code == 401

    assert post(admin_client, f"/admin/users/{practitioner.id}/active", {"active": "1"}).status_code == 302
    assert their_browser.login(practitioner.email).status_code == 302


def test_resending_to_someone_with_a_password_sends_nothing(app, admin_client, practitioner):
    assert post(admin_client, f"/admin/users/{practitioner.id}/resend").status_code == 302
    assert count(app, OutboxEmail) == 0


# --- memberships and coaching ------------------------------------------------------------------


def test_admin_adds_and_ends_a_membership(app, admin_client, practitioner, team):
    url = f"/admin/users/{practitioner.id}/memberships"
    assert (
        post(admin_client, url, {"member-team_id": team.id, "member-role": "lead"}, "member").status_code
        == 302
    )
    with app.app_context():
        lead = db.session.scalar(
            select(Membership).where(Membership.user_id == practitioner.id, Membership.role == "lead")
        )
    assert lead.ended_on is None

    again = post(admin_client, url, {"member-team_id": team.id, "member-role": "lead"}, "member")
    assert again.status_code == 400 and 'id="member-role-error"' in again.text

    assert post(admin_client, f"/admin/memberships/{lead.id}/end").status_code == 302
    assert load(app, Membership, lead.id).ended_on is not None
    assert count(app, Membership, Membership.user_id == practitioner.id) == 2  # history is kept


def test_admin_assigns_a_coach_and_ends_the_coaching(app, admin_client, org, practitioner):
    coach = factories.user(org, "coach2@example.org")
    url = f"/admin/users/{coach.id}/coachees"
    assert post(admin_client, url, {"coachee-coachee_id": practitioner.id}, "coachee").status_code == 302
    with app.app_context():
        assignment = db.session.scalar(select(CoachAssignment).where(CoachAssignment.coach_id == coach.id))
    assert assignment.coachee_id == practitioner.id and assignment.ended_at is None

    again = post(admin_client, url, {"coachee-coachee_id": practitioner.id}, "coachee")
    assert again.status_code == 400 and 'id="coachee-coachee_id-error"' in again.text

    assert post(admin_client, f"/admin/coaching/{assignment.id}/end").status_code == 302
    assert load(app, CoachAssignment, assignment.id).ended_at is not None


def test_nobody_can_be_their_own_coach(app, admin_client, practitioner):
    url = f"/admin/users/{practitioner.id}/coachees"
    assert post(admin_client, url, {"coachee-coachee_id": practitioner.id}, "coachee").status_code == 400
    assert count(app, CoachAssignment) == 0


def test_a_coachee_from_another_organisation_cannot_be_chosen(app, admin_client, practitioner, other_admin):
    url = f"/admin/users/{practitioner.id}/coachees"
    assert post(admin_client, url, {"coachee-coachee_id": other_admin.id}, "coachee").status_code == 400
    assert count(app, CoachAssignment) == 0


def test_confirm_actions_need_their_token(app, admin_client, practitioner):
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == practitioner.id))
    response = admin_client.post(f"/admin/memberships/{membership_id}/end")
    assert response.status_code == 400
    assert count(app, Membership, Membership.ended_on.is_not(None)) == 0


# --- the list of accounts ----------------------------------------------------------------------


def test_users_list_is_paged_by_name(app, admin_client, org):
    for n in range(1, 31):
        factories.user(org, f"user{n:02d}@example.org", name=f"User {n:02d}")

    first = admin_client.get("/admin/users")
    second = admin_client.get("/admin/users?page=2")
    assert second.status_code == 200
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text
    assert "user01@example.org" in first.text and "user01@example.org" not in second.text
    assert "user30@example.org" in second.text and "user30@example.org" not in first.text
    assert "user30@example.org" in admin_client.get("/admin/users?page=99").text
    assert admin_client.get("/admin/users?page=nonsense").status_code == 200


def test_users_list_searches_name_and_address(admin_client, org):
    factories.user(org, "jan@example.org", name="Jan de Vries")
    factories.user(org, "piet@example.org", name="Piet")
    found = admin_client.get("/admin/users?q=VRIES").text
    assert "jan@example.org" in found and "piet@example.org" not in found
    assert "piet@example.org" in admin_client.get("/admin/users?q=piet@").text


def test_users_list_shows_only_the_own_organisation(admin_client, other_admin):
    assert other_admin.email not in admin_client.get("/admin/users").text


def test_team_page_shows_the_current_members(admin_client, org, team, practitioner, lead):
    left = factories.user(org, "vertrokken@example.org", name="Vertrokken Collega", team=team)
    with factories.committed() as s:
        s.scalars(select(Membership).where(Membership.user_id == left.id)).one().ended_on = local_today()
    elsewhere = factories.team(org, "Team Elders")
    factories.user(org, "elders@example.org", name="Andere Teamgenoot", team=elsewhere)
    page = html.unescape(admin_client.get(f"/admin/teams/{team.id}").text)
    assert practitioner.display_name in page and lead.display_name in page
    assert "Teamleider" in page  # the lead's role, by its label
    assert "Vertrokken Collega" not in page and "Andere Teamgenoot" not in page


def test_each_team_counts_its_current_members_once(app, org, team, practitioner, lead):
    from datetime import date

    from app.teams.queries import teams_for

    empty = factories.team(org, "Team Leeg")
    factories.membership(lead, team, role="practitioner")  # two roles in one team: one member
    left = factories.user(org, "weg@example.org")
    ended = factories.membership(left, team)
    with app.app_context():
        db.session.get(Membership, ended.id).ended_on = date(2025, 1, 1)
        db.session.commit()
    elsewhere = factories.organisation("Andere organisatie")
    factories.user(elsewhere, "ander@example.org", team=factories.team(elsewhere, "Team Oost"))
    with app.test_request_context():
        counts = {t.name: n for t, n in teams_for(org.id)}
        assert [t.id for t, _n in teams_for(org.id)] == [empty.id, team.id]  # by name
    assert counts == {"Team Leeg": 0, "Team Oost": 2}
