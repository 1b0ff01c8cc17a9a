"""Requests that are too large get a friendly 413 page; the autosave endpoint answers every error
in JSON (its page script cannot read an HTML page)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import db
from app.practice.models import PracticeLog
from app.reflection.models import ReflectionDraft
from tests.practice.helpers import log_form

MB = 1024 * 1024


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_20_mb_form_is_refused_with_a_dutch_page_and_nothing_saved(app, client, practitioner):
    client.login_as(practitioner)
    big = {f"extra_{i}": "x" * 400_000 for i in range(50)}  # 20 MB in parts under the per-field limit
    response = client.submit("/logs/new", {**log_form(), **big})
    assert response.status_code == 413
    assert "Te veel tegelijk verstuurd" in response.text and "Traceback" not in response.text
    assert count(app, PracticeLog) == 0


def test_the_limit_is_one_megabyte_and_can_be_changed(app, client, practitioner):
    client.login_as(practitioner)
    assert app.config["MAX_CONTENT_LENGTH"] == MB
    over = {f"extra_{i}": "x" * 300_000 for i in range(4)}  # 1.2 MB
    assert client.submit("/logs/new", {**log_form(), **over}).status_code == 413
    app.config["MAX_CONTENT_LENGTH"] = 2 * MB
    assert client.submit("/logs/new", {**log_form(), **over}).status_code == 302
    assert count(app, PracticeLog) == 1


# --- the autosave endpoint speaks JSON, also when it fails -----------------------------------


def autosave(client, data, token=True):
    headers = {"X-CSRFToken": client.csrf_token(), "Accept": "application/json"} if token else {}
    return client.post("/reflection/drafts", data=data, headers=headers)


def test_autosave_without_a_csrf_token_answers_json(client, practitioner):
    client.login_as(practitioner)
    response = autosave(client, {"draft_key": "new:quick", "answer_went_well": "Goed"}, token=False)
    assert response.status_code == 400
    assert response.is_json and response.json["saved"] is False and response.json["message"]


def test_autosave_of_too_much_text_answers_json_and_saves_nothing(app, client, practitioner):
    client.login_as(practitioner)
    data = {"draft_key": "new:quick", **{f"answer_{i}": "x" * 400_000 for i in range(4)}}
    response = autosave(client, data)
    assert response.status_code == 413
    assert response.is_json and response.json == {
        "saved": False, "error": 413, "message": "Te veel tegelijk verstuurd"}
    assert count(app, ReflectionDraft) == 0


def test_a_server_error_during_autosave_answers_json(app, client, practitioner, monkeypatch):
    from app.reflection import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(services, "save_draft", broken)
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.login_as(practitioner)
    response = autosave(client, {"draft_key": "new:quick", "answer_went_well": "Goed"})
    assert response.status_code == 500
    assert response.is_json and response.json["saved"] is False
    assert "secret detail" not in response.text


@pytest.mark.parametrize("code", [404, 400])
def test_an_http_error_raised_in_autosave_answers_json(app, client, practitioner, monkeypatch, code):
    from flask import abort

    from app.reflection import services

    monkeypatch.setattr(services, "save_draft", lambda *_a, **_k: abort(code))
    client.login_as(practitioner)
    response = autosave(client, {"draft_key": "new:quick"})
    assert response.status_code == code and response.is_json and response.json["error"] == code


def test_other_pages_keep_their_html_error_pages(client, practitioner):
    client.login_as(practitioner)
    response = client.get("/logs/12345")
    assert response.status_code == 404 and response.mimetype == "text/html"
