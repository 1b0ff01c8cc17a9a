"""Every read by a coach of a coachee's data is in the access log; ending the coaching ends the
coach's access at once, while the practitioner keeps what they received, with the coach's name."""

from __future__ import annotations

from sqlalchemy import select

from app.privacy.models import AccessLog
from app.teams.models import CoachAssignment
from tests import factories
from tests.coaching import helpers


def _trail():
    """The access log's rows about data (signing in and out is logged too, but is not a read)."""
    with factories.committed() as s:
        return [
            (r.actor_id, r.actor_role, r.action, r.object_type, r.object_id, r.subject_id)
            for r in s.scalars(select(AccessLog).where(AccessLog.actor_role != "self").order_by(AccessLog.id))
        ]


def test_each_coach_read_of_coachee_data_is_recorded(app, client, world):
    p, c = world.users["practitioner"], world.users["coach"]
    client.login_as(c)
    reads = {
        "/": ("list", "feedback_queue", p.id),
        "/coaching/": ("list", "coaching_overview", p.id),
        f"/coaching/{p.id}": ("read", "coachee", p.id),
        f"/coaching/{p.id}/logs": ("list", "practice_logs", p.id),
        f"/coaching/logs/{world.log.id}/feedback": ("read", "practice_log", world.log.id),
        f"/coaching/reflections/{world.reflection.id}/feedback": ("read", "reflection", world.reflection.id),
        f"/coaching/feedback/{world.feedback.id}": ("read", "coach_feedback", world.feedback.id),
        f"/coaching/observations/{world.observation.id}": ("read", "observation", world.observation.id),
        f"/goals/{world.goal.id}": ("read", "learning_goal", world.goal.id),
    }
    for url, (action, object_type, object_id) in reads.items():
        before = len(_trail())
        assert client.get(url).status_code == 200, url
        assert (c.id, "coach", action, object_type, object_id, p.id) in _trail()[before:], url


def test_the_practitioners_own_reads_write_nothing(app, client, world):
    client.login_as(world.users["practitioner"])
    for url in (
        "/",
        "/coaching/mine",
        f"/coaching/feedback/{world.feedback.id}",
        f"/goals/{world.goal.id}",
        f"/coaching/observations/{world.observation.id}",
        "/goals/",
        "/notifications/",
        f"/logs/{world.answered_log.id}",
        f"/reflection/{world.reflection.id}",
    ):
        assert client.get(url).status_code == 200, url
    assert _trail() == []


def test_refused_reads_write_nothing(app, client, world):
    for role in ("lead", "admin", "former_coach"):
        client.login_as(world.users[role])
        for url in (
            f"/coaching/feedback/{world.feedback.id}",
            f"/goals/{world.goal.id}",
            f"/coaching/{world.users['practitioner'].id}",
        ):
            assert client.get(url).status_code == 404
        client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert _trail() == []


def test_ending_the_coaching_ends_access_at_once_and_the_practitioner_keeps_everything(
    app, client, world, admin
):
    p, c = world.users["practitioner"], world.users["coach"]
    pages = [
        f"/coaching/{p.id}",
        f"/coaching/feedback/{world.feedback.id}",
        f"/goals/{world.goal.id}",
        f"/coaching/observations/{world.observation.id}",
        f"/coaching/logs/{world.log.id}/feedback",
    ]
    client.login_as(c)
    assert all(client.get(url).status_code == 200 for url in pages)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(admin)
    with factories.committed() as s:
        assignment = s.scalar(
            select(CoachAssignment).where(
                CoachAssignment.coach_id == c.id, CoachAssignment.coachee_id == p.id
            )
        )
    assert client.submit(f"/admin/coaching/{assignment.id}/end").status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    client.login_as(c)
    assert [client.get(url).status_code for url in pages] == [404] * len(pages)
    overview = client.get("/coaching/").text
    assert p.display_name not in overview and "Je coacht nog niemand." in overview
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    client.login_as(p)
    mine = client.get("/coaching/mine").text
    assert f"/coaching/feedback/{world.feedback.id}" in mine and c.display_name in mine
    assert f"/coaching/feedback/{world.former_feedback.id}" in mine and "Frits Vroeger" in mine
    assert f"/coaching/observations/{world.observation.id}" in mine
    assert f"door {c.display_name}" in mine
    thread = client.get(f"/coaching/feedback/{world.feedback.id}").text
    assert f"Feedback van {c.display_name}" in thread and "Laat meer stiltes vallen." in thread
    assert "reageren kan niet meer" in thread and 'name="body"' not in thread
    observation = client.get(f"/coaching/observations/{world.observation.id}").text
    assert f"Observatie door {c.display_name}" in observation
    assert helpers.count(AccessLog) >= 5  # the coach's reads before the end stay on the trail


def test_leads_and_admins_see_no_coaching_data_of_individuals(app, client, world):
    for role in ("lead", "admin", "privacy_officer"):
        client.login_as(world.users[role])
        for url in ("/", "/coaching/", "/coaching/mine", "/goals/", "/notifications/"):
            text = client.get(url).text
            for secret in ("Laat meer stiltes vallen.", world.goal.text, "Een rollenspel doen."):
                assert secret not in text, (role, url)
        client.post("/logout", data={"csrf_token": client.csrf_token()})
