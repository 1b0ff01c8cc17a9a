"""commit_or_refuse: a refused change leaves nothing behind, a saved one is committed and redirected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import select, text
from wtforms import StringField

from app.db import db
from app.organisations.models import Organisation
from app.services import ServiceError
from app.teams.models import Team
from app.views import commit_or_refuse
from tests import factories


class NameForm(FlaskForm):
    name = StringField()


@pytest.fixture
def post(app: Flask) -> Iterator[None]:
    """A POST request's context, where the session writes."""
    with app.test_request_context("/teams", method="POST"):
        yield


def _form() -> NameForm:
    return NameForm(formdata=None, meta={"csrf": False})


def _team_names(app: Flask) -> list[str]:
    """What the database holds, read on a connection of its own (not the request's session)."""
    with app.extensions["db"]["engine"].connect() as conn:
        return list(conn.scalars(text("SELECT name FROM teams ORDER BY name")))


def _add_team(org: Organisation, name: str) -> Team:
    team = Team(organisation_id=org.id, name=name)
    db.session.add(team)
    db.session.flush()
    return team


def test_refusal_rolls_back_what_the_service_flushed(app: Flask, post: None) -> None:
    org = factories.organisation()

    def half_done() -> Team:
        _add_team(org, "Flushed, then refused")
        raise ServiceError("No.")

    form = _form()
    assert commit_or_refuse(form, half_done, "saved", "/next") is None
    db.session.commit()  # a later commit in the same request must not carry the refused change
    assert _team_names(app) == []
    assert db.session.scalars(select(Team)).all() == []
    assert get_flashed_messages() == []


def test_refusal_naming_a_field_lands_on_that_field(post: None) -> None:
    def refuse() -> None:
        raise ServiceError("This name is taken.", field="name")

    form = _form()
    assert commit_or_refuse(form, refuse, "saved", "/next") is None
    assert form.name.errors == ["This name is taken."]
    assert form.form_errors == []
    assert form.errors  # the caller's `400 if form.errors` holds


def test_refusal_without_a_field_shows_above_the_form(post: None) -> None:
    def refuse() -> None:
        raise ServiceError("Not now.")

    form = _form()
    commit_or_refuse(form, refuse, "saved", "/next")
    assert form.form_errors == ["Not now."]
    assert not form.name.errors


def test_refusal_can_be_put_on_a_field_of_the_callers_choice(post: None) -> None:
    def refuse() -> None:
        raise ServiceError("Someone cannot be their own coach.", field="coach")

    form = _form()
    commit_or_refuse(form, refuse, "saved", "/next", field="name")
    assert form.name.errors == ["Someone cannot be their own coach."]
    assert form.form_errors == []


def test_refusal_without_a_form_is_flashed(post: None) -> None:
    def refuse() -> None:
        raise ServiceError("Not now.")

    assert commit_or_refuse(None, refuse, "saved", "/next") is None
    assert get_flashed_messages(with_categories=True) == [("error", "Not now.")]


def test_success_commits_flashes_and_redirects(app: Flask, post: None) -> None:
    org = factories.organisation()
    form = _form()
    response = commit_or_refuse(form, lambda: _add_team(org, "Team Noord"), "The team is created.", "/teams")
    assert response is not None
    assert response.status_code == 302
    assert response.location == "/teams"
    assert _team_names(app) == ["Team Noord"]
    assert get_flashed_messages(with_categories=True) == [("success", "The team is created.")]
    assert form.errors == {}


def test_success_message_and_target_may_follow_from_the_result(app: Flask, post: None) -> None:
    org = factories.organisation()
    response = commit_or_refuse(
        None, lambda: _add_team(org, "Team Zuid"),
        lambda team: f"{team.name} is created.", lambda team: f"/teams/{team.id}",
    )
    team_id = db.session.scalar(select(Team.id).where(Team.name == "Team Zuid"))
    assert response is not None
    assert response.location == f"/teams/{team_id}"
    assert get_flashed_messages() == ["Team Zuid is created."]
