"""'Who can see my data': a user's current coaches and the access-log rows about them, nobody else's."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from app.auth.models import User
from app.db import db, utcnow
from app.privacy.models import AccessLog
from app.teams.models import CoachAssignment
from tests import factories


def access_row(actor, subject, *, action="read", object_type="practice_log", minutes_ago=0, org=None):
    with factories.committed() as s:
        s.add(AccessLog(
            at=utcnow() - timedelta(minutes=minutes_ago), organisation_id=(org or actor).organisation_id,
            actor_id=actor.id, actor_role="coach", action=action, object_type=object_type, object_id=1,
            subject_id=subject.id, ip_address="10.1.2.3",
        ))


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    cells = [re.sub(r"<[^>]+>", " ", r) for r in body.split("</tr>") if "<td" in r]
    return [re.sub(r"\s+", " ", c).strip() for c in cells]


def test_the_account_page_links_to_it(client, practitioner):
    client.login_as(practitioner)
    assert 'href="/privacy/my-data"' in client.get("/account").text


def test_it_shows_the_running_coaches_and_only_rows_about_the_user(app, client, org, practitioner, coach):
    other = factories.user(org, "ander@example.org", name="Andere Collega")
    ended = factories.user(org, "oud@example.org", name="Oude Coach")
    factories.coach_assignment(ended, practitioner, started_at=utcnow() - timedelta(days=30))
    with app.app_context():
        db.session.execute(update(CoachAssignment).where(CoachAssignment.coach_id == ended.id)
                           .values(ended_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    factories.coach_assignment(coach, other)  # coaching someone else: not shown
    access_row(coach, practitioner, action="read", object_type="practice_log", minutes_ago=10)
    access_row(coach, practitioner, action="list", object_type="practice_logs", minutes_ago=5)
    access_row(coach, other, action="read", object_type="reflection", minutes_ago=1)  # about someone else
    access_row(practitioner, practitioner, action="export", object_type="practice_logs_csv", minutes_ago=20)

    client.login_as(practitioner)
    page = client.get("/privacy/my-data")
    assert page.status_code == 200
    coaches = page.text.split('id="coaches-title"', 1)[1].split("</section>", 1)[0]
    [only] = re.findall(r"<li>([^<]*)</li>", coaches)  # the ended coaching is gone
    assert only.startswith("Coach, since ") and str(utcnow().year) in only
    rows = rows_of(page.text)
    assert len(rows) == 3
    assert "Viewed the list" in rows[0] and "Your list of practice logs" in rows[0]  # newest first
    assert "Read" in rows[1] and "A practice log" in rows[1] and "(coach)" in rows[1]
    assert rows[2].count("You") == 1 and "Downloaded" in rows[2] and "CSV" in rows[2]
    assert "A shared reflection" not in page.text and "10.1.2.3" not in page.text


def test_another_user_sees_only_their_own(app, client, org, practitioner, coach):
    access_row(coach, practitioner)
    client.login_as(coach)
    page = client.get("/privacy/my-data")
    assert rows_of(page.text) == [] and "Nobody has looked at your data yet." in page.text
    assert "You have no coach at the moment." in page.text


def test_rows_of_another_organisation_are_not_shown(app, client, practitioner, other_admin):
    access_row(other_admin, practitioner)  # a stray id from elsewhere never mixes in
    client.login_as(practitioner)
    assert rows_of(client.get("/privacy/my-data").text) == []


def test_a_deleted_actor_is_named_as_such(app, client, org, practitioner):
    gone = factories.user(org, "weg@example.org", name="Weg Coach")
    access_row(gone, practitioner)
    with app.app_context():
        db.session.delete(db.session.get(User, gone.id))
        db.session.commit()
    client.login_as(practitioner)
    [row] = rows_of(client.get("/privacy/my-data").text)
    assert "A deleted account" in row and "Weg Coach" not in row


def test_the_trail_is_paginated(app, client, practitioner, coach):
    for minutes in range(30):
        access_row(coach, practitioner, minutes_ago=minutes)
    client.login_as(practitioner)
    first = client.get("/privacy/my-data")
    assert len(rows_of(first.text)) == 25 and 'rel="next"' in first.text
    second = client.get("/privacy/my-data?page=2")
    assert len(rows_of(second.text)) == 5


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/privacy/my-data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
