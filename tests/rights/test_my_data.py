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
from tests.rights import helpers


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
    factories.coach_assignment(coach, colleague)
    helpers.coaching_of(colleague, coach, "collega")
    return colleague, mine, theirs


def _mean_score(answers) -> float:
    return round(sum(sum(items) * 100 / 12 for items in answers) / len(answers), 1)


def test_the_zip_holds_exactly_the_users_data(app, client, org, team, practitioner, coach):
    colleague, mine, theirs = _world(org, team, practitioner, coach)
    own = helpers.coaching_of(practitioner, coach, "mijn")
    mine += [own.log, own.rated_log]
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
    _assert_coaching(data, own, coach)
    _assert_client_voice(data, own)
    for kind in ("feedback_received", "observations", "learning_goals", "client_ratings"):
        assert archive.read(f"{kind}.csv").decode().count("\n") == 1 + len(data[kind])  # a header, a row each
    with app.app_context():
        [row] = db.session.scalars(select(AccessLog).where(AccessLog.object_type == "personal_data_zip"))
        assert (row.actor_id, row.action, row.subject_id) == (practitioner.id, "export", practitioner.id)


def _assert_coaching(data, own, coach) -> None:
    """Feedback received (with both sides of its thread), the request, the observation and the goal
    with their comments: the person's own, the coach named as the app names them."""
    [feedback] = data["feedback_received"]
    assert (feedback["id"], feedback["coach"], feedback["element"]) == (own.feedback.id, coach.display_name,
                                                                        "shared_decision_making")
    assert (feedback["keep_doing"], feedback["free_text"]) == ("mijn: blijf doorvragen",
                                                               "mijn: vrije tekst van de coach")
    assert [(r["by_me"], r["body"]) for r in feedback["replies"]] == [
        (True, "mijn: mijn antwoord op de feedback"), (False, "mijn: de coach antwoordt")]
    assert [(r["practice_log_id"], r["coach"]) for r in data["feedback_requests"]] == [
        (own.log.id, coach.display_name)]
    [observation] = data["observations"]
    assert (observation["id"], observation["coach"]) == (own.observation.id, coach.display_name)
    assert observation["elements"] == [{"element": "shared_decision_making", "rating": 3}]
    assert [c["body"] for c in observation["comments"]] == ["mijn: de coach over de observatie"]
    [goal] = data["learning_goals"]
    assert (goal["id"], goal["text"], goal["status"]) == (own.goal.id, "mijn: eerst het gevoel benoemen",
                                                          "open")
    assert [c["body"] for c in goal["comments"]] == ["mijn: de coach over het leerdoel"]
    assert goal["progress"] and all(set(week) == {"week_start", "sessions", "mean_self_rating"}
                                    for week in goal["progress"])


def _assert_client_voice(data, own) -> None:
    """The shared answer one by one; the unshared ones only as the aggregate of whole threes (here
    the first three of four), as the home page shows them; the request without whether it was used."""
    assert [(r["log_id"], r["effort_understand"], r["effort_listen"], r["effort_include"], r["top_score"])
            for r in data["client_ratings"]] == [(own.rated_log.id, *helpers.SHARED, True)]
    assert data["client_ratings_not_shared"] == [{
        "responses": 3, "mean_score": _mean_score(helpers.NOT_SHARED[:3]), "top_score_rate": 0.0}]
    [request] = data["client_feedback_requests"]
    assert request["log_id"] == own.rated_log.id and set(request) == {"log_id", "channel", "created_at",
                                                                      "expires_at"}


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
