"""Group reflection sessions (recording, private notes, guard) and the SKJ hours page and export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.groups.models import GroupParticipant, GroupSession
from app.groups.skj import cycle_for, skj_summary
from app.privacy.models import AccessLog
from app.reflection.models import ReflectionSettings
from tests import factories
from tests.reflection.conftest import count

TODAY = date(2026, 3, 20)


def _form(participants, **fields):
    data = {"session_date": (date.today() - timedelta(days=1)).isoformat(), "duration_minutes": "120",
            "form": "peer_consultation", "participant_ids": [str(u.id) for u in participants],
            "facilitator_id": str(participants[0].id), "facilitator_name": ""}
    return {**data, **fields}


def test_lead_records_a_session_and_participants_add_private_notes(app, client, lead, colleagues):
    a, b, _c = colleagues
    client.login_as(lead)
    assert client.get("/reflection/groups/new").status_code == 200  # one team: straight to the form
    response = client.submit("/reflection/groups/new", _form([a, b]))
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalar(select(GroupSession))
        assert sorted(p.user_id for p in group.participants) == sorted([a.id, b.id])
        assert group.facilitator_id == a.id and group.created_by_id == lead.id
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(a)
    assert client.submit(f"/reflection/groups/{group.id}/notes", {
        "learning_question": "Hoe blijf ik rustig bij boosheid?", "notes_personal": "Ik voelde onrust.",
    }).status_code == 302
    assert "Hoe blijf ik rustig bij boosheid?" in client.get(f"/reflection/groups/{group.id}").text
    for other in (b, lead):
        client.post("/logout", data={"csrf_token": client.csrf_token()})
        client.login_as(other)
        page = client.get(f"/reflection/groups/{group.id}")
        assert page.status_code == 200
        assert "Hoe blijf ik rustig" not in page.text and "onrust" not in page.text


def test_coach_of_a_member_may_record_for_that_team_only(client, org, team, coach, practitioner):
    west = factories.team(org, "Team West")
    client.login_as(coach)
    assert client.get(f"/reflection/groups/new?team={team.id}").status_code == 200
    assert client.get(f"/reflection/groups/new?team={west.id}").status_code == 404
    assert client.submit(f"/reflection/groups/new?team={team.id}", _form([practitioner])).status_code == 302


def test_a_practitioner_cannot_record_sessions(client, practitioner):
    client.login_as(practitioner)
    assert client.get("/reflection/groups/new").status_code == 403


def test_participants_come_from_the_team_and_free_text_is_guarded(client, org, lead, colleagues):
    outsider = factories.user(org, "outsider@example.org")
    client.login_as(lead)
    assert client.submit("/reflection/groups/new", _form([colleagues[0], outsider])).status_code == 400
    guarded = client.submit("/reflection/groups/new", _form(
        [colleagues[0]], facilitator_id="0", facilitator_name="Moeder, 06-12345678"))
    assert guarded.status_code == 400 and 'class="error"' in guarded.text
    elsewhere = _form([colleagues[0]], facilitator_id=str(colleagues[1].id))
    not_there = client.submit("/reflection/groups/new", elsewhere)
    assert not_there.status_code == 400 and "moet een van de deelnemers zijn" in not_there.text


def test_notes_that_look_like_client_data_are_refused(app, client, lead, practitioner, team):
    group = factories.group_session(team, lead, [practitioner], session_date=date.today())
    client.login_as(practitioner)
    response = client.submit(f"/reflection/groups/{group.id}/notes", {"notes_technical": "BSN 111222333"})
    assert response.status_code == 400 and "BSN 111222333" in response.text
    with app.app_context():
        assert db.session.scalar(select(GroupParticipant.notes_technical)) is None


# --- SKJ -------------------------------------------------------------------------------------


def test_cycles_follow_the_registration_date():
    assert cycle_for(date(2024, 1, 1), 5, TODAY) == (date(2024, 1, 1), date(2028, 12, 31), True)
    assert cycle_for(date(2016, 2, 29), 5, TODAY) == (date(2026, 2, 28), date(2031, 2, 27), True)
    assert cycle_for(None, 5, TODAY) == (date(2021, 3, 21), TODAY, False)


@pytest.fixture
def skj_world(org, team, lead, practitioner, colleagues):
    factories.preference(practitioner, skj_cycle_start=date(2024, 1, 1))
    me, other, _ = colleagues
    factories.group_session(team, lead, [me, other], session_date=date(2025, 2, 1), duration_minutes=120)
    factories.group_session(team, lead, [me], session_date=date(2025, 6, 1), duration_minutes=90,
                            form="work_supervision")
    factories.group_session(team, lead, [me], session_date=date(2025, 9, 1), duration_minutes=45,
                            form="supervision")
    # Before the cycle, and a session without `me`: neither counts.
    factories.group_session(team, lead, [me], session_date=date(2023, 5, 1), duration_minutes=120)
    factories.group_session(team, lead, [other], session_date=date(2025, 3, 1), duration_minutes=120)
    factories.reflection(me, template_key="quick", answers={"went_well": "Alleen"},
                         created_at=factories.utcnow().replace(year=2025, month=4, day=1))
    return me


def test_skj_hours_count_group_sessions_of_at_least_the_minimum(app, org, skj_world):
    with app.app_context():
        summary = skj_summary(db.session.get(User, skj_world.id), TODAY)
        assert (summary.cycle_start, summary.cycle_end) == (date(2024, 1, 1), date(2028, 12, 31))
        assert [s.group.duration_minutes for s in summary.sessions] == [120, 90, 45]
        assert summary.counted_hours == 3.5 and summary.short_sessions == 1
        assert summary.missing_hours == 56.5 and len(summary.solo) == 1
        db.session.add(ReflectionSettings(organisation_id=org.id, skj_target_hours=40,
                                          skj_min_session_minutes=45))
        db.session.commit()
        summary = skj_summary(db.session.get(User, skj_world.id), TODAY)
        assert (summary.counted_hours, summary.short_sessions, summary.missing_hours) == (4.25, 0, 35.75)


def test_skj_page_export_and_print(app, client, team, lead, practitioner):
    factories.preference(practitioner, skj_cycle_start=date.today() - timedelta(days=400))
    last_month = date.today() - timedelta(days=30)
    group = factories.group_session(team, lead, [practitioner], session_date=last_month, duration_minutes=50)
    with app.app_context():
        row = db.session.scalar(select(GroupParticipant).where(GroupParticipant.session_id == group.id))
        row.learning_question = "=Hoe begrens ik?"
        db.session.commit()
    factories.reflection(practitioner)
    client.login_as(practitioner)
    page = client.get("/reflection/skj")
    assert page.status_code == 200
    assert "0 van 60 uur" in page.text and "Nee: korter dan 60 minuten" in page.text
    assert "Zelfreflectie: telt niet mee voor SKJ" in page.text
    export = client.get("/reflection/skj/export.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2 and rows[1][2] == "50" and rows[1][4] == "0" and rows[1][6] == "'=Hoe begrens ik?"
    assert count(app, AccessLog, AccessLog.object_type == "skj_hours_csv") == 1
    printable = client.get("/reflection/skj/print")
    assert printable.status_code == 200
    assert re.search(r'reflection-print\.css\?v=\w+" media="all"', printable.text)
    assert "=Hoe begrens ik?" in printable.text


def test_the_list_counts_each_sessions_own_participants(app, org, team, lead, practitioner):
    """Each row: the session's own number of participants, whether one took part; a session one
    neither joined, recorded nor leads the team of is not listed (nor another organisation's)."""
    from app.groups.queries import group_sessions_for

    colleague = factories.user(org, "collega@example.org", team=team)
    west = factories.team(org, "Team West")
    west_lead = factories.user(org, "west.lead@example.org", team=west, team_role="lead")
    big = factories.group_session(team, lead, [practitioner, colleague, lead], session_date=date(2026, 3, 2))
    small = factories.group_session(team, lead, [colleague], session_date=date(2026, 3, 9))
    factories.group_session(west, west_lead, [west_lead], session_date=date(2026, 3, 16))
    elsewhere = factories.organisation("Elders")
    other_team = factories.team(elsewhere, "Team Oost")
    other_lead = factories.user(elsewhere, "elders@example.org", team=other_team, team_role="lead")
    factories.group_session(other_team, other_lead, [other_lead], session_date=date(2026, 3, 2))
    with app.app_context():
        for person, expected in (
            (lead, [(small.id, 1, False), (big.id, 3, True)]),  # leads the team: both, newest first
            (practitioner, [(big.id, 3, True)]),  # took part in one
        ):
            rows = group_sessions_for(db.session.get(User, person.id))
            assert [(r.group.id, r.participants, r.mine) for r in rows] == expected
