"""Who may do what: truth tables for reflections, schedules and group sessions (privacy.md).

Reflections: the author does everything; a coach reads only what is shared with them; leads,
admins, other coaches and other organisations get 404. Schedules: a team's are managed by its
lead and by coaches of its members; a personal one by its owner only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.auth.models import User
from app.db import db, utcnow
from app.prompts import services as schedule_services
from app.teams.models import CoachAssignment, Membership, Team
from tests import factories

ROLES = ("author", "coach", "other_coach", "lead", "admin", "privacy_officer", "other_admin")


@dataclass(frozen=True)
class World:
    users: dict[str, Any]
    shared: Any
    private: Any


@pytest.fixture
def world(org, team, practitioner, coach, lead, admin, privacy_officer, other_admin) -> World:
    other_team = factories.team(org, "Team West")
    someone = factories.user(org, "someone@example.org", team=other_team)
    other_coach = factories.user(org, "other.coach@example.org")
    factories.coach_assignment(other_coach, someone)
    shared = factories.reflection(practitioner, answers={"action": "Gedeeld met mijn coach"})
    factories.share(shared, coach)
    factories.share(shared, other_coach)  # a share to someone who does not coach the author never counts
    private = factories.reflection(practitioner, answers={"action": "Alleen voor mij"})
    users = {"author": practitioner, "coach": coach, "other_coach": other_coach, "lead": lead,
             "admin": admin, "privacy_officer": privacy_officer, "other_admin": other_admin}
    return World(users, shared, private)


@pytest.mark.parametrize("which", ["shared", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_read_reflection(client, world, role, which):
    reflection = getattr(world, which)
    client.login_as(world.users[role])
    allowed = role == "author" or (role == "coach" and which == "shared")
    response = client.get(f"/reflection/{reflection.id}")
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert reflection.answers["action"] in response.text


def test_an_ended_coaching_ends_the_coachs_access_to_shared_reflections(app, client, world):
    coach = world.users["coach"]
    client.login_as(coach)
    assert client.get(f"/reflection/{world.shared.id}").status_code == 200
    link = f'href="/reflection/{world.shared.id}"'
    assert link in client.get("/reflection/shared").text
    with factories.committed() as s:
        for assignment in s.scalars(select(CoachAssignment).where(CoachAssignment.coach_id == coach.id)):
            assignment.ended_at = utcnow()
    assert client.get(f"/reflection/{world.shared.id}").status_code == 404
    assert link not in client.get("/reflection/shared").text


@pytest.mark.parametrize("who", ["other_coach", "lead"])
def test_the_service_shares_only_with_a_running_coach_of_the_author(app, world, who):
    """The form offers only the author's coaches; the service refuses anyone else on its own."""
    from app.reflection import services
    from app.reflection.models import Reflection

    with app.test_request_context():
        author = db.session.get(User, world.users["author"].id)
        with pytest.raises(NotFound):
            services.share_reflection(author, db.session.get(Reflection, world.private.id),
                                      db.session.get(User, world.users[who].id), utcnow())


@pytest.mark.parametrize("role", ROLES)
def test_change_reflection(client, world, role):
    client.login_as(world.users[role])
    rid = world.shared.id
    author = role == "author"
    assert client.get(f"/reflection/{rid}/edit").status_code == (200 if author else 404)
    assert client.get(f"/reflection/{rid}/delete").status_code == (200 if author else 404)
    coach_id = world.users["coach"].id
    done = 302 if author else 404
    assert client.submit(f"/reflection/{rid}/shares/{coach_id}/withdraw").status_code == done
    assert client.submit(f"/reflection/{rid}/share", {"coach_id": coach_id}).status_code == done
    assert client.submit(f"/reflection/{rid}/delete").status_code == done


# --- schedules -------------------------------------------------------------------------------

SCHEDULE_ROLES = ("practitioner", "coach", "other_coach", "lead", "admin", "other_admin")


@pytest.fixture
def people(world) -> dict[str, Any]:
    return {**world.users, "practitioner": world.users["author"]}


@pytest.mark.parametrize("role", SCHEDULE_ROLES)
def test_manage_team_schedule(client, people, team, lead, role):
    schedule = factories.schedule(team=team, since=utcnow(), created_by_id=lead.id)
    client.login_as(people[role])
    allowed = role in ("lead", "coach")  # the coach coaches a member of this team
    for action in ("pause", "resume"):
        response = client.submit(f"/reflection/schedules/{schedule.id}/{action}")
        assert response.status_code == (302 if allowed else 404)
    page = client.get("/reflection/schedules/new")
    assert (f'value="team-{team.id}"' in page.text) == allowed
    deleted = client.submit(f"/reflection/schedules/{schedule.id}/delete")
    assert deleted.status_code == (302 if allowed else 404)


@pytest.mark.parametrize("role", SCHEDULE_ROLES)
def test_create_team_schedule_in_the_service(app, people, team, role):
    data = schedule_services.ScheduleInput(kind="recurring", weekday=4, local_time=time(14, 0))
    with app.app_context():
        actor, target = db.session.get(User, people[role].id), db.session.get(Team, team.id)
        if role in ("lead", "coach"):
            assert schedule_services.create_schedule(actor, target, data, utcnow()).team_id == team.id
        else:
            with pytest.raises(NotFound):
                schedule_services.create_schedule(actor, target, data, utcnow())


@pytest.mark.parametrize("role", SCHEDULE_ROLES)
def test_manage_personal_schedule(client, people, role):
    schedule = factories.schedule(owner=people["practitioner"], since=utcnow())
    client.login_as(people[role])
    expected = 302 if role == "practitioner" else 404
    assert client.submit(f"/reflection/schedules/{schedule.id}/pause").status_code == expected
    assert client.submit(f"/reflection/schedules/{schedule.id}/delete").status_code == expected


# --- group sessions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ("participant", "lead", "bystander", "coach", "admin", "other_admin"))
def test_group_session_visibility(client, people, org, team, lead, role):
    bystander = factories.user(org, "bystander@example.org", team=team)
    group = factories.group_session(team, lead, [people["practitioner"]],
                                    session_date=date.today() - timedelta(days=2))
    actor = {"participant": people["practitioner"], "lead": lead, "bystander": bystander,
             "coach": people["coach"], "admin": people["admin"], "other_admin": people["other_admin"]}[role]
    client.login_as(actor)
    reads = role in ("participant", "lead")
    page = client.get(f"/reflection/groups/{group.id}")
    assert page.status_code == (200 if reads else 404)
    if reads:
        assert ("Je leervraag en aantekeningen" in page.text) == (role == "participant")
    notes = client.submit(f"/reflection/groups/{group.id}/notes", {"learning_question": "Hoe begrens ik?"})
    assert notes.status_code == (302 if role == "participant" else 404)
    delete = client.submit(f"/reflection/groups/{group.id}/delete")
    assert delete.status_code == (302 if role == "lead" else 404)


@pytest.mark.parametrize("lead_now", [True, False])
def test_the_teams_lead_reads_and_deletes_a_session_someone_else_recorded(client, people, team, lead,
                                                                           lead_now):
    """A coach records it; the team's current lead may read and delete it, a former lead may not."""
    group = factories.group_session(team, people["coach"], [people["practitioner"]],
                                    session_date=date.today() - timedelta(days=2))
    if not lead_now:
        with factories.committed() as s:
            s.scalars(select(Membership).where(Membership.user_id == lead.id)).one().ended_on = date.today()
    client.login_as(lead)
    expected = (200, 302) if lead_now else (404, 404)
    assert client.get(f"/reflection/groups/{group.id}").status_code == expected[0]
    assert client.submit(f"/reflection/groups/{group.id}/delete").status_code == expected[1]
