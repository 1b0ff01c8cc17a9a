"""My data: the ZIP holds exactly the user's own data and nobody else's; deleting an account removes
what the person wrote, keeps the team's figures (and their minimum-group counts) right, and is logged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from sqlalchemy import distinct, func, select

from app.auth.models import User
from app.dashboards.queries import element_stats_per_author
from app.db import db
from app.groups.models import GroupParticipant
from app.practice.models import PracticeLog, PracticeLogElement
from app.privacy.models import AccessLog
from app.reflection.models import Reflection
from app.rights.export import KINDS
from tests import factories


def _notes(session, user: User, text: str) -> None:
    with factories.committed() as s:
        row = s.scalar(select(GroupParticipant).where(GroupParticipant.session_id == session.id,
                                                      GroupParticipant.user_id == user.id))
        row.learning_question = text


def _world(org, team, practitioner, coach):
    colleague = factories.user(org, "collega@example.org", team=team, name="Collega Geheim")
    mine = [factories.practice_log(practitioner, note=f"mijn les {i}") for i in range(3)]
    theirs = factories.practice_log(colleague, note="les van de collega")
    my_reflection = factories.reflection(practitioner, answers={"went_well": "mijn reflectie"})
    factories.share(my_reflection, coach)
    factories.reflection(colleague, answers={"went_well": "reflectie van de collega"})
    session = factories.group_session(team, coach, [practitioner, colleague], session_date=date(2026, 1, 8))
    _notes(session, practitioner, "mijn leervraag")
    _notes(session, colleague, "leervraag van de collega")
    return colleague, mine, theirs


def test_the_zip_holds_exactly_the_users_data(app, client, org, team, practitioner, coach):
    colleague, mine, theirs = _world(org, team, practitioner, coach)
    reader = app.test_client()
    reader.login_as(coach)
    reader.get(f"/logs/{mine[0].id}")  # someone read their data: that is theirs to know
    reader.get(f"/logs/{theirs.id}")
    client.login_as(practitioner)
    response = client.get("/account/my-data/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = {f"{k}.{ext}" for k in KINDS for ext in ("json", "csv")}
    assert set(archive.namelist()) == files | {"README.txt"}
    data = {k: json.loads(archive.read(f"{k}.json"))[k] for k in KINDS}
    assert sorted(row["id"] for row in data["practice_logs"]) == sorted(log.id for log in mine)
    assert [r["answers"]["went_well"] for r in data["reflections"]] == ["mijn reflectie"]
    assert data["reflections"][0]["shared_with"][0]["coach"] == coach.display_name
    assert [g["learning_question"] for g in data["group_sessions"]] == ["mijn leervraag"]
    assert data["account"][0]["email"] == practitioner.email
    assert all(row["object_id"] == mine[0].id for row in data["access_to_my_data"] if row["action"] == "read")
    assert "ip_address" not in json.dumps(data["access_to_my_data"])
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for not_mine in ("collega", "Collega Geheim", colleague.email):
        assert not_mine not in everything
    assert "mijn les 0" in archive.read("practice_logs.csv").decode()
    with app.app_context():
        [row] = db.session.scalars(select(AccessLog).where(AccessLog.object_type == "personal_data_zip"))
        assert (row.actor_id, row.action, row.subject_id) == (practitioner.id, "export", practitioner.id)


def _figures(team_id: int, author_ids: list[int]) -> tuple[int, int, dict, float]:
    """The team's logged sessions, its contributors (distinct authors), per-element figures, and
    the mean self-rating over the team's logs: as the dashboards count them, in SQL."""
    sessions, contributors = db.session.execute(
        select(func.count(PracticeLog.id), func.count(distinct(PracticeLog.author_id)))
        .where(PracticeLog.team_id == team_id)).one()
    per_author = element_stats_per_author(author_ids, date(2000, 1, 1), date(2100, 1, 1))
    mean = db.session.scalar(select(func.avg(PracticeLogElement.self_rating))
                             .join(PracticeLog, PracticeLog.id == PracticeLogElement.log_id)
                             .where(PracticeLog.team_id == team_id))
    return sessions, contributors, per_author, float(mean)


def test_deleting_an_account_removes_what_they_wrote_and_keeps_the_team_figures(
        app, client, org, team, practitioner, coach):
    colleague, mine, _theirs = _world(org, team, practitioner, coach)
    others = [factories.user(org, f"p{i}@example.org", team=team) for i in range(3)]
    for i, other in enumerate(others):
        factories.practice_log(other, ratings={"shared_decision_making": 1 + i})
    authors = [practitioner.id, colleague.id, *(o.id for o in others)]
    with app.app_context():
        before = _figures(team.id, authors)
    assert before[1] == 5  # five contributors: a cell with k = 5 is shown

    client.login_as(practitioner)
    refused = client.submit("/account/my-data/delete", {"password": "not my password", "confirm": "y"})
    assert refused.status_code == 400
    done = client.submit("/account/my-data/delete", {"password": factories.PASSWORD, "confirm": "y"})
    assert done.status_code == 302 and client.get("/account").status_code == 302  # signed out

    with app.app_context():
        assert _figures(team.id, authors) == before  # the same numbers, the same contributor count
        user = db.session.get(User, practitioner.id)
        assert (user.display_name, user.active, user.password_hash) == ("", False, None)
        assert practitioner.email not in user.email and user.deleted_at is not None
        notes = db.session.scalars(select(PracticeLog.note).where(PracticeLog.author_id == user.id)).all()
        assert len(notes) == len(mine) and set(notes) == {None}
        assert db.session.scalars(select(Reflection).where(Reflection.author_id == user.id)).all() == []
        assert db.session.scalars(select(GroupParticipant.learning_question)
                                  .where(GroupParticipant.user_id == user.id)).all() == [None]
        kept = db.session.scalars(select(GroupParticipant.learning_question)
                                  .where(GroupParticipant.user_id == colleague.id)).all()
        assert kept == ["leervraag van de collega"]
        [row] = db.session.scalars(select(AccessLog).where(AccessLog.action == "account_deleted"))
        assert (row.actor_id, row.subject_id) == (practitioner.id, practitioner.id)
    assert client.login(practitioner.email).status_code == 401
    # The address is free again: the organisation may invite the person anew.
    factories.user(org, practitioner.email)


def test_the_last_admin_cannot_delete_their_account(app, client, admin):
    client.login_as(admin)
    response = client.submit("/account/my-data/delete", {"password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, admin.id).deleted_at is None
