"""Notifications: the in-app badge, and e-mail through the outbox as each person chose (a link only)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.coaching.models import CoachFeedback
from app.db import db
from app.mail.jobs import send_outbox
from app.mail.models import OutboxEmail
from app.notifications.jobs import send_digests
from app.notifications.models import Notification
from app.scheduler import run_job
from app.teams.models import CoachAssignment
from tests import factories
from tests.coaching import helpers
from tests.smtp import body_of, link_in, path_of

FEEDBACK = {
    "keep_doing": "Je liet stiltes vallen.",
    "work_on": "Samenvatten.",
    "next_step": "Eerst samenvatten.",
    "free_text": "Heel herkenbaar verhaal.",
}


def _mails(app):
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def _badge(client) -> str | None:
    """The number on "Mijn coaching" in the menu, if any."""
    match = re.search(r'Mijn begeleiding <span class="tag badge">(\d+)', client.get("/reflection/").text)
    return match.group(1) if match else None


def _give(client, coach, log):
    client.login_as(coach)
    element = factories.element_ids()["shared_decision_making"]
    response = client.submit(f"/coaching/logs/{log.id}/feedback", FEEDBACK | {"element_id": element})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    with factories.committed() as s:
        return s.scalar(select(CoachFeedback).where(CoachFeedback.practice_log_id == log.id))


def test_feedback_notifies_in_the_app_and_by_an_instant_mail_with_only_a_link(
    app, client, practitioner, coach
):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    feedback = _give(client, coach, log)
    (note,) = helpers.rows(Notification)
    assert (note.user_id, note.kind, note.feedback_id, note.actor_id) == (
        practitioner.id,
        "feedback",
        feedback.id,
        coach.id,
    )
    (mail,) = _mails(app)
    assert mail.recipient == practitioner.email
    assert mail.subject == "Je coach heeft je feedback gegeven"
    links = re.findall(r"https?://\S+", mail.body)
    assert links == [f"http://localhost/notifications/{note.id}"]
    for text in FEEDBACK.values():  # nothing of the feedback is in the mail
        assert text not in mail.body and text not in mail.subject
    assert coach.display_name not in mail.body

    client.login_as(practitioner)
    assert _badge(client) == "1"
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/coaching/feedback/{feedback.id}"
    assert _badge(client) is None
    assert helpers.rows(Notification)[0].read_at is not None


def test_the_mail_reaches_the_smtp_server_and_its_link_opens_the_feedback(
    app, client, smtp_server, practitioner, coach
):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    feedback = _give(client, coach, log)
    run_job(app, send_outbox)
    (message,) = smtp_server.to(practitioner.email)
    assert "feedback" in message["Subject"]
    assert "Samenvatten" not in body_of(message)
    client.login_as(practitioner)
    response = client.get(path_of(link_in(message)), follow_redirects=True)
    assert response.status_code == 200 and "Je liet stiltes vallen." in response.text
    assert f"/coaching/feedback/{feedback.id}" in response.request.path


def test_digest_readers_get_one_mail_a_week_and_none_readers_none(
    app, client, org, team, practitioner, coach
):
    quiet = factories.user(org, "quiet@example.org", team=team)
    factories.coach_assignment(coach, quiet)
    factories.preference(practitioner, "digest")
    factories.preference(quiet, "none")
    for who in (practitioner, quiet):
        log = factories.practice_log(who)
        helpers.ask(log, who, coach)
        helpers.feedback(coach, log)
    assert _mails(app) == []  # no instant mail for either
    monday_early = datetime(2026, 3, 23, 6, 30, tzinfo=UTC)  # 07:30 in Amsterdam
    monday = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)  # 08:00
    assert run_job(app, send_digests, monday_early) == 0
    assert run_job(app, send_digests, monday) == 1
    assert run_job(app, send_digests, monday + timedelta(hours=3)) == 0  # once a week
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    helpers.feedback(coach, log)  # news on Tuesday waits for next Monday
    assert run_job(app, send_digests, monday + timedelta(days=2)) == 0
    (mail,) = _mails(app)
    assert mail.recipient == practitioner.email and mail.subject == "Er is nieuws over je begeleiding"
    assert re.findall(r"https?://\S+", mail.body) == ["http://localhost/notifications/"]
    # The next week the news of Tuesday is mailed; the week after, with nothing new, nothing is.
    assert run_job(app, send_digests, monday + timedelta(days=7, hours=1)) == 1
    assert run_job(app, send_digests, monday + timedelta(days=8)) == 0
    assert run_job(app, send_digests, monday + timedelta(days=14)) == 0
    assert [m.recipient for m in _mails(app)] == [practitioner.email] * 2


def test_news_read_before_monday_is_not_mailed(app, client, practitioner, coach):
    factories.preference(practitioner, "digest")
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    helpers.feedback(coach, log)
    client.login_as(practitioner)
    client.submit("/notifications/read")
    assert run_job(app, send_digests, datetime(2026, 3, 23, 9, 0, tzinfo=UTC)) == 0


def test_the_coachee_is_told_when_a_coach_is_assigned_and_when_it_ends(app, client, org, team, admin):
    coachee = factories.user(org, "coachee@example.org", team=team)
    coach = factories.user(org, "new.coach@example.org", name="Nina Coach")
    client.login_as(admin)
    assert (
        client.submit(f"/admin/users/{coach.id}/coachees", {"coachee-coachee_id": coachee.id}).status_code
        == 302
    )
    with factories.committed() as s:
        assignment = s.scalar(select(CoachAssignment).where(CoachAssignment.coachee_id == coachee.id))
    assert client.submit(f"/admin/coaching/{assignment.id}/end").status_code == 302
    assert client.submit(f"/admin/coaching/{assignment.id}/end").status_code == 302  # twice: told once
    notes = helpers.rows(Notification)
    assert [(n.user_id, n.kind, n.actor_id) for n in notes] == [
        (coachee.id, "coach_assigned", coach.id),
        (coachee.id, "coach_ended", coach.id),
    ]
    mails = _mails(app)
    assert [m.subject for m in mails] == ["Je hebt een coach gekregen", "Je begeleiding is beëindigd"]
    assert all(m.recipient == coachee.email and "Nina" not in m.body for m in mails)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coachee)
    assert _badge(client) == "2"
    page = client.get("/notifications/").text
    assert "Nina Coach is nu je coach." in page
    assert "Je begeleiding door Nina Coach is beëindigd." in page


def test_a_reply_notifies_the_coach_until_the_coaching_ends(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    feedback = helpers.feedback(coach, log)
    client.login_as(practitioner)
    assert (
        client.submit(f"/coaching/feedback/{feedback.id}/reply", {"body": "Wat bedoel je?"}).status_code
        == 302
    )
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    (note,) = helpers.rows(Notification, Notification.user_id == coach.id)
    assert note.kind == "reply" and note.subject_id == practitioner.id
    client.login_as(coach)
    assert _badge(client) == "1"
    helpers.end_coaching(coach, practitioner)
    assert _badge(client) is None  # about someone he no longer coaches: gone from his badge and list
    assert f"/notifications/{note.id}" not in client.get("/notifications/").text
    assert client.get(f"/coaching/feedback/{feedback.id}").status_code == 404


def test_opening_the_feedback_by_another_way_also_clears_the_badge(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    feedback = helpers.feedback(coach, log)
    client.login_as(practitioner)
    assert _badge(client) == "1"
    assert client.get(f"/coaching/feedback/{feedback.id}").status_code == 200  # e.g. from "my coaching"
    assert _badge(client) is None


def test_someone_elses_notification_is_404(app, client, practitioner, coach, lead):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    helpers.feedback(coach, log)
    (note,) = helpers.rows(Notification)
    client.login_as(lead)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert helpers.rows(Notification)[0].read_at is None
