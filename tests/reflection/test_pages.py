"""The reflection pages render for each role, and schedules, preferences and settings are saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import db, utcnow
from app.prompts.models import Schedule
from app.reflection.models import ReflectionPreference, ReflectionSettings
from tests import factories

PAGES = ("/reflection/", "/reflection/inbox", "/reflection/schedules", "/reflection/schedules/new",
         "/reflection/groups", "/reflection/skj", "/reflection/preferences", "/reflection/shared",
         "/reflection/new", "/reflection/new?template=starr", "/")


@pytest.mark.parametrize("role", ["practitioner", "coach", "lead", "admin"])
def test_every_page_renders_for_every_role(client, request, role):
    client.login_as(request.getfixturevalue(role))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.text  # the CSP allows no inline script


def _schedules(app):
    with app.app_context():
        return list(db.session.scalars(select(Schedule).order_by(Schedule.id)))


def test_lead_sets_a_weekly_team_rhythm(app, client, team, lead):
    client.login_as(lead)
    response = client.submit("/reflection/schedules/new", {
        "owner": f"team-{team.id}", "kind": "recurring", "template_key": "alact", "theme": "",
        "weekday": "4", "local_time": "14:00", "interval_weeks": "2",
    })
    assert response.status_code == 302
    (schedule,) = _schedules(app)
    assert (schedule.team_id, schedule.owner_id) == (team.id, None)
    assert (schedule.weekday, schedule.interval_weeks) == (4, 2)
    assert schedule.local_time.strftime("%H:%M") == "14:00" and schedule.template_key == "alact"
    listing = client.get("/reflection/schedules")
    assert "Om de 2 weken op vrijdag om 14:00" in listing.text and team.name in listing.text


def test_practitioner_sets_an_own_rhythm_after_sessions(app, client, practitioner, elements):
    client.login_as(practitioner)
    response = client.submit("/reflection/schedules/new", {
        "owner": "me", "kind": "after_sessions", "every_n": "4",
        "element_id": str(elements["problem_solving"]), "weekday": "4", "target": "least_logged",
    })
    assert response.status_code == 302
    (schedule,) = _schedules(app)
    assert (schedule.owner_id, schedule.every_n, schedule.element_id, schedule.weekday) == (
        practitioner.id, 4, elements["problem_solving"], None)


def test_one_off_needs_a_future_moment_and_a_theme(app, client, practitioner):
    client.login_as(practitioner)
    past = client.submit("/reflection/schedules/new", {
        "owner": "me", "kind": "one_off", "theme": "Thema", "once_date": "2020-01-01", "once_time": "10:00",
    })
    assert past.status_code == 400 and "Kies een moment in de toekomst." in past.text
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    no_theme = client.submit("/reflection/schedules/new", {
        "owner": "me", "kind": "one_off", "theme": "", "once_date": tomorrow, "once_time": "10:00",
    })
    assert no_theme.status_code == 400
    ok = client.submit("/reflection/schedules/new", {
        "owner": "me", "kind": "one_off", "theme": "Voor de intervisie",
        "once_date": tomorrow, "once_time": "10:00",
    })
    assert ok.status_code == 302 and _schedules(app)[0].once_at > utcnow()


def test_preferences_are_saved(app, client, practitioner):
    client.login_as(practitioner)
    assert 'checked id="email_mode-0"' in client.get("/reflection/preferences").text  # the default
    data = {"email_mode": "digest", "skj_cycle_start": "2024-01-01"}
    response = client.submit("/reflection/preferences", data)
    assert response.status_code == 302
    with app.app_context():
        pref = db.session.get(ReflectionPreference, practitioner.id)
        assert (pref.email_mode, pref.skj_cycle_start) == ("digest", date(2024, 1, 1))
    assert client.submit("/reflection/preferences", {"email_mode": "often"}).status_code == 400


def test_only_admins_change_the_organisation_settings(app, client, org, admin, lead):
    client.login_as(lead)
    assert client.get("/reflection/settings").status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(admin)
    assert 'value="60"' in client.get("/reflection/settings").text
    response = client.submit("/reflection/settings", {
        "skj_target_hours": "50", "skj_cycle_years": "5", "skj_min_session_minutes": "45",
        "prompt_expiry_days": "10",
    })
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(ReflectionSettings, org.id)
        assert (row.skj_target_hours, row.skj_min_session_minutes, row.prompt_expiry_days) == (50, 45, 10)


def test_log_page_links_to_reflecting_on_it(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert f"/reflection/new?log={log.id}" in client.get(f"/logs/{log.id}").text


def test_log_form_reminds_of_the_last_trial_answer(client, practitioner, colleagues, elements):
    factories.reflection(practitioner, element_id=elements["emotion_regulation"],
                         answers={"trial": "Eerst het gevoel benoemen, dan pas oplossen."})
    client.login_as(practitioner)
    assert "Eerst het gevoel benoemen, dan pas oplossen." in client.get("/logs/new").text
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(colleagues[1])
    assert "Eerst het gevoel benoemen" not in client.get("/logs/new").text


def test_the_schedules_list_shows_the_teams_one_guides_and_no_others(client, org, team, lead, coach,
                                                                      practitioner):
    """A lead sees their team's rhythms, a coach those of the teams their coachees are in; another
    team's rhythm, or another person's own, is listed for neither."""
    west = factories.team(org, "Team West")
    since = utcnow() - timedelta(days=7)
    factories.schedule(team=team, since=since, theme="Ritme van Oost")
    factories.schedule(team=west, since=since, theme="Ritme van West")
    factories.schedule(owner=practitioner, since=since, theme="Eigen ritme")
    for viewer in (lead, coach):
        client.login_as(viewer)
        page = client.get("/reflection/schedules").text
        assert "Ritme van Oost" in page, viewer.email
        assert "Ritme van West" not in page and "Eigen ritme" not in page, viewer.email
    client.login_as(practitioner)
    page = client.get("/reflection/schedules").text
    assert "Eigen ritme" in page and "Ritme van" not in page


def test_a_lead_sees_the_group_sessions_of_their_team_without_taking_part(client, org, team, lead,
                                                                          coach, practitioner):
    west = factories.team(org, "Team West")
    west_lead = factories.user(org, "lead.west@example.org", team=west, team_role="lead")
    factories.group_session(team, coach, [practitioner], session_date=date(2026, 3, 2),
                            form="supervision")
    client.login_as(lead)
    assert "2 mrt 2026" in client.get("/reflection/groups").text
    client.login_as(west_lead)
    assert "2 mrt 2026" not in client.get("/reflection/groups").text
