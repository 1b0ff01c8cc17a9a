"""Logging a session through the form: defaults, validation that keeps input, the guard, double submit."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.clock import local_today
from app.db import db
from app.elements.models import CoreElement, Technique
from app.practice.models import PracticeLog
from tests import factories
from tests.practice.helpers import checked, count_logs, log_form


def _only_log(app, author_id: int) -> PracticeLog:
    with app.app_context():
        log = db.session.scalars(select(PracticeLog).where(PracticeLog.author_id == author_id)).one()
        # Touch the relations inside the context so the test can read them afterwards.
        _ = (log.participant_keys, [(e.element.key, e.self_rating) for e in log.elements],
             [t.technique.key for t in log.techniques])
        return log


def test_the_form_offers_every_technique_with_its_explanation(client, practitioner):
    client.login_as(practitioner)
    page = client.get("/logs/new")
    assert page.status_code == 200
    assert len(re.findall(r'<input[^>]*id="t_[a-z_]+"[^>]*type="checkbox"', page.text)) == 24
    assert "Ask openly what the young person and parents want to achieve" in page.text  # how to
    assert "<details" in page.text
    assert f'value="{local_today().isoformat()}"' in page.text
    assert 'name="submission_key" type="hidden" value="' in page.text
    assert "traceable details of clients" in page.text
    assert "<script>" not in page.text and "style=" not in page.text  # CSP: no inline code


def test_a_valid_log_is_saved_with_everything_it_says(app, client, practitioner, team):
    client.login_as(practitioner)
    response = client.submit("/logs/new", log_form(
        applied_emotion_regulation="y", t_er_validated="y", t_er_reflected="y",
        rating_emotion_regulation="2", note="Rustiger gebleven dan vorige keer.",
    ))
    assert response.status_code == 302
    log = _only_log(app, practitioner.id)
    assert response.headers["Location"].endswith(f"/logs/{log.id}")
    assert (log.setting, log.age_band, log.phase, log.duration_minutes) == ("home", "12-18", "working", 60)
    assert sorted(log.participant_keys) == ["parent", "youth"]
    assert sorted((e.element.key, e.self_rating) for e in log.elements) == [
        ("emotion_regulation", 2), ("shared_decision_making", 4)]
    assert sorted(t.technique.key for t in log.techniques) == [
        "er_reflected", "er_validated", "sdm_goals_asked"]
    assert log.team_id == team.id and log.organisation_id == practitioner.organisation_id
    assert log.note == "Rustiger gebleven dan vorige keer." and log.private is False


def test_ticking_a_technique_marks_its_element_applied(app, client, practitioner):
    client.login_as(practitioner)
    data = log_form(applied_shared_decision_making=None, t_ps_role_play="y", rating_problem_solving="3")
    assert client.submit("/logs/new", data).status_code == 302
    log = _only_log(app, practitioner.id)
    assert sorted((e.element.key, e.self_rating) for e in log.elements) == [
        ("problem_solving", 3), ("shared_decision_making", 4)]


def test_an_element_can_be_applied_without_ticking_a_technique(app, client, practitioner):
    client.login_as(practitioner)
    data = log_form(t_sdm_goals_asked=None)
    assert client.submit("/logs/new", data).status_code == 302
    log = _only_log(app, practitioner.id)
    assert [e.element.key for e in log.elements] == ["shared_decision_making"] and log.techniques == []


def test_nothing_applied_is_refused_and_the_input_kept(app, client, practitioner):
    client.login_as(practitioner)
    data = log_form(applied_shared_decision_making=None, t_sdm_goals_asked=None,
                    rating_shared_decision_making=None, setting="school", note="Goed gesprek.")
    response = client.submit("/logs/new", data)
    assert response.status_code == 400
    assert "Tick at least one element you applied in this session." in response.text
    assert checked(response.text, "setting-4")
    assert "Goed gesprek." in response.text
    assert data["submission_key"] in response.text
    assert count_logs(app) == 0


def test_an_applied_element_needs_a_rating(app, client, practitioner):
    client.login_as(practitioner)
    response = client.submit("/logs/new", log_form(rating_shared_decision_making=None))
    assert response.status_code == 400
    assert "Choose how well it went." in response.text
    assert checked(response.text, "t_sdm_goals_asked")
    assert count_logs(app) == 0


def test_a_date_in_the_future_is_refused(app, client, practitioner):
    client.login_as(practitioner)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = client.submit("/logs/new", log_form(session_date=tomorrow))
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.text
    assert tomorrow in response.text
    assert count_logs(app) == 0


def test_missing_context_fields_are_reported_next_to_them(app, client, practitioner):
    client.login_as(practitioner)
    response = client.submit("/logs/new", log_form(setting=None, participants=None, age_band=None,
                                                   phase=None, duration_minutes="1000"))
    assert response.status_code == 400
    for message in ("Choose where the session took place.", "Choose who took part.",
                    "Choose the age of the young person.", "Choose the phase of the help.",
                    "Fill in between 5 and 480 minutes."):
        assert message in response.text
    assert 'id="duration_minutes-error"' in response.text
    assert count_logs(app) == 0


def test_duration_may_be_left_empty(app, client, practitioner):
    client.login_as(practitioner)
    assert client.submit("/logs/new", log_form(duration_minutes="")).status_code == 302
    assert _only_log(app, practitioner.id).duration_minutes is None


def test_a_note_with_a_phone_number_is_not_saved_until_rephrased(app, client, practitioner):
    client.login_as(practitioner)
    data = log_form(note="Moeder vroeg me te bellen op 06-12345678 over de afspraak.")
    response = client.submit("/logs/new", data)
    assert response.status_code == 400
    assert "This looks like a phone number: 06-12345678" in response.text
    assert "Moeder vroeg me te bellen op 06-12345678 over de afspraak." in response.text  # kept
    assert count_logs(app) == 0
    data["note"] = "Moeder vroeg me te bellen over de afspraak."
    assert client.submit("/logs/new", data).status_code == 302
    assert count_logs(app) == 1


def test_a_note_longer_than_500_characters_is_refused(app, client, practitioner):
    client.login_as(practitioner)
    response = client.submit("/logs/new", log_form(note="a" * 501))
    assert response.status_code == 400 and "Write at most 500 characters." in response.text


def test_an_unknown_technique_field_is_ignored(app, client, practitioner):
    client.login_as(practitioner)
    assert client.submit("/logs/new", log_form(t_custom_unknown="y")).status_code == 302
    assert [t.technique.key for t in _only_log(app, practitioner.id).techniques] == ["sdm_goals_asked"]


def _input(**overrides):
    from app.practice.services import LogInput

    values = dict(session_date=local_today(), setting="online", participants=("youth",),
                  age_band="4-12", phase="goals", ratings={}, technique_ids=frozenset())
    values.update(overrides)
    return LogInput(**values)


def _element_id(key: str) -> int:
    return db.session.scalar(select(CoreElement.id).where(CoreElement.key == key))


@pytest.mark.parametrize("which", ["other_org", "retired", "element_not_applied"])
def test_the_service_refuses_techniques_the_form_would_not_offer(app, org, other_org, practitioner, which):
    from app.practice import services
    from app.services import ServiceError

    key = "er_validated"
    technique = factories.technique(other_org if which == "other_org" else org, key)
    with app.test_request_context():  # the refusal is a translated message
        if which == "retired":
            db.session.get(Technique, technique.id).retired_at = factories.utcnow()
            db.session.flush()
        rated = "problem_solving" if which == "element_not_applied" else "emotion_regulation"
        data = _input(ratings={_element_id(rated): 3}, technique_ids=frozenset({technique.id}))
        refusal = "Choose how well it went" if which == "element_not_applied" else "This technique cannot be"
        with pytest.raises(ServiceError, match=refusal):
            services.create_log(db.session.get(User, practitioner.id), data, uuid4().hex, factories.utcnow())
        db.session.rollback()
    assert count_logs(app) == 0


def test_double_submit_saves_one_log_and_redirects_to_it(app, client, practitioner):
    client.login_as(practitioner)
    data = log_form()
    first = client.submit("/logs/new", data)
    second = client.submit("/logs/new", data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count_logs(app) == 1
    assert "This log was already saved." in client.get(second.headers["Location"]).text


def test_the_service_is_idempotent_per_submission_key(app, practitioner):
    from app.practice import services

    with app.app_context():
        actor = db.session.get(User, practitioner.id)
        data = _input(ratings={_element_id("problem_solving"): 3})
        first, created = services.create_log(actor, data, "a" * 32, factories.utcnow())
        again, created_again = services.create_log(actor, data, "a" * 32, factories.utcnow())
        db.session.commit()
        assert created and not created_again and first == again
    assert count_logs(app) == 1


def test_a_key_saved_by_another_request_wins_and_nothing_is_written(app, practitioner):
    """The unique key decides, not an earlier lookup: a submission whose key another request
    committed (a concurrent double tap) inserts nothing and returns the log that won."""
    from app.practice import services

    winner = factories.practice_log(practitioner)
    with app.app_context():
        actor = db.session.get(User, practitioner.id)
        data = _input(ratings={_element_id("problem_solving"): 3, _element_id("emotion_regulation"): 2})
        log_id, created = services.create_log(actor, data, winner.submission_key, factories.utcnow())
        db.session.commit()
        assert not created and log_id == winner.id
        saved = db.session.get(PracticeLog, log_id)
        assert [e.element.key for e in saved.elements] == ["shared_decision_making"]
    assert count_logs(app) == 1


def test_someone_elses_submission_key_is_not_a_way_in(app, client, practitioner, org, team):
    other = factories.user(org, "other@example.org", team=team)
    data = log_form()
    client.login_as(other)
    client.submit("/logs/new", data)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(practitioner)
    assert client.submit("/logs/new", data).status_code == 404
    assert count_logs(app, practitioner.id) == 0


def test_defaults_come_from_the_latest_log(app, client, practitioner):
    factories.practice_log(practitioner, setting="school", participants=("youth", "network"),
                           age_band="4-12", duration_minutes=45)
    client.login_as(practitioner)
    page = client.get("/logs/new").text
    assert checked(page, "setting-4") and checked(page, "participants-3") and checked(page, "age_band-1")
    assert 'value="45"' in page
