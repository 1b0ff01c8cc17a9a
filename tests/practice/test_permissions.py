"""Who may do what with a practice log: a truth table over roles × actions, private and shared logs.

privacy.md: the author reads, writes and deletes; the assigned coach reads unless the log is
private; leads, admins, privacy officers, other coaches and other organisations get 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.db import db, utcnow
from app.practice.models import PracticeLog
from app.teams.models import CoachAssignment
from tests import factories
from tests.practice.helpers import count_logs, log_form

ROLES = ("author", "coach", "other_coach", "lead", "admin", "privacy_officer", "other_admin")
OK, HIDDEN = 200, 404


@dataclass(frozen=True)
class World:
    users: dict[str, Any]
    shared: Any
    private: Any


@pytest.fixture
def world(org, team, practitioner, coach, lead, admin, privacy_officer, other_admin) -> World:
    someone = factories.user(org, "someone@example.org", team=team)
    other_coach = factories.user(org, "other.coach@example.org")
    factories.coach_assignment(other_coach, someone)
    users = {"author": practitioner, "coach": coach, "other_coach": other_coach, "lead": lead,
             "admin": admin, "privacy_officer": privacy_officer, "other_admin": other_admin}
    shared = factories.practice_log(practitioner, note="Gedeeld leerpunt.")
    private = factories.practice_log(practitioner, private=True, note="Alleen voor mij.")
    return World(users, shared, private)


READ = {  # (role, private?) -> status of GET /logs/<id>
    ("author", False): OK, ("author", True): OK,
    ("coach", False): OK, ("coach", True): HIDDEN,
}


@pytest.mark.parametrize("private", [False, True], ids=["shared", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_view(client, world, role, private):
    log = world.private if private else world.shared
    client.login_as(world.users[role])
    response = client.get(f"/logs/{log.id}")
    assert response.status_code == READ.get((role, private), HIDDEN)
    if response.status_code == OK:
        assert ("Alleen voor mij." if private else "Gedeeld leerpunt.") in response.text


@pytest.mark.parametrize("private", [False, True], ids=["shared", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_edit(app, client, world, role, private):
    log = world.private if private else world.shared
    client.login_as(world.users[role])
    expected = OK if role == "author" else HIDDEN
    assert client.get(f"/logs/{log.id}/edit").status_code == expected
    data = log_form(note="Aangepast.", private="y" if private else None)
    response = client.submit(f"/logs/{log.id}/edit", data)
    assert response.status_code == (302 if role == "author" else HIDDEN)
    with app.app_context():
        note = db.session.get(PracticeLog, log.id).note
    assert note == ("Aangepast." if role == "author" else log.note)


@pytest.mark.parametrize("private", [False, True], ids=["shared", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_delete(app, client, world, role, private):
    log = world.private if private else world.shared
    client.login_as(world.users[role])
    assert client.get(f"/logs/{log.id}/delete").status_code == (OK if role == "author" else HIDDEN)
    response = client.submit(f"/logs/{log.id}/delete")
    assert response.status_code == (302 if role == "author" else HIDDEN)
    with app.app_context():
        exists = db.session.get(PracticeLog, log.id) is not None
    assert exists is (role != "author")


@pytest.mark.parametrize("role", ROLES)
def test_private_switch(app, client, world, role):
    client.login_as(world.users[role])
    response = client.submit(f"/logs/{world.shared.id}/private", {"private": "1"})
    assert response.status_code == (302 if role == "author" else HIDDEN)
    with app.app_context():
        assert db.session.get(PracticeLog, world.shared.id).private is (role == "author")


LIST = {"author": 302, "coach": OK}  # the author is sent to their own list


@pytest.mark.parametrize("role", ROLES)
def test_list_of_the_authors_logs(client, world, role):
    author = world.users["author"]
    client.login_as(world.users[role])
    response = client.get(f"/coaching/{author.id}/logs")
    assert response.status_code == LIST.get(role, HIDDEN)
    if role == "coach":
        assert f"/logs/{world.shared.id}" in response.text
        assert f"/logs/{world.private.id}" not in response.text
    # Nobody but the author finds the logs in their own list.
    own = client.get("/logs").text
    assert (f"/logs/{world.shared.id}\"" in own) is (role == "author")
    assert (f"/logs/{world.private.id}\"" in own) is (role == "author")


def test_a_revoked_coach_assignment_loses_access_at_once(app, client, world):
    coach, author = world.users["coach"], world.users["author"]
    client.login_as(coach)
    assert client.get(f"/logs/{world.shared.id}").status_code == OK
    with app.app_context():
        assignment = db.session.query(CoachAssignment).filter_by(coach_id=coach.id).one()
        assignment.ended_at = utcnow()
        db.session.commit()
    assert client.get(f"/logs/{world.shared.id}").status_code == HIDDEN
    assert client.get(f"/coaching/{author.id}/logs").status_code == HIDDEN


def test_a_log_made_private_disappears_for_the_coach(client, world):
    author, coach = world.users["author"], world.users["coach"]
    client.login_as(author)
    client.submit(f"/logs/{world.shared.id}/private", {"private": "1"})
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    assert client.get(f"/logs/{world.shared.id}").status_code == HIDDEN


def test_an_unknown_log_is_404(client, world):
    client.login_as(world.users["author"])
    assert client.get("/logs/999999").status_code == HIDDEN


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (f"/logs/{world.shared.id}", "/logs", "/logs/new", "/logs/export.csv",
                f"/coaching/{world.users['author'].id}/logs"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_organisations_user_cannot_log_into_our_numbers(app, client, world, other_org):
    stranger = factories.user(other_org, "stranger@other.example.org")
    client.login_as(stranger)
    assert client.submit("/logs/new", log_form()).status_code == 302
    assert count_logs(app, stranger.id) == 1
    with app.app_context():
        log = db.session.query(PracticeLog).filter_by(author_id=stranger.id).one()
        assert log.organisation_id == other_org.id and log.team_id is None
