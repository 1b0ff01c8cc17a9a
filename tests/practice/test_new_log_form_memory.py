"""The new-log form is rendered once per language, catalogue, day, defaults and reminders and then
reused (app/practice/new_form.py): each visit still gets its own token, submission key, defaults and
reminders, and the same form as one rendered afresh."""

from __future__ import annotations

import re
from datetime import timedelta

from app.db import utcnow
from tests import factories
from tests.practice.helpers import log_form


def _form(page: str) -> str:
    start = page.index('<form method="post" novalidate class="log-form"')
    return page[start:page.index("</form>", start)]


def _normalised(form: str) -> str:
    form = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+"', r'\1TOKEN"', form)
    return re.sub(r'(name="submission_key" type="hidden" value=")[0-9a-f]{32}"', r'\1KEY"', form)


def _hidden(form: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', form)
    assert found is not None, name
    return found.group(1)


def test_a_remembered_form_is_the_form_rendered_afresh_in_both_languages(
    app, client, practitioner, english_ui
):
    factories.practice_log(practitioner, setting="school", participants=("parent",), age_band="4-12")
    client.login_as(practitioner)
    for language in ("nl", "en"):
        english_ui(language)  # the language of every page from here on
        first, again = _form(client.get("/logs/new").text), _form(client.get("/logs/new").text)
        app.jinja_env.auto_reload = True  # rendered every time, as where templates reload
        fresh = _form(client.get("/logs/new").text)
        app.jinja_env.auto_reload = False
        assert _normalised(again) == _normalised(first) == _normalised(fresh)
        assert ("Het gesprek" if language == "nl" else "The session") in first
    assert "Same as last time: Parent or carer<" in fresh


def test_every_visit_gets_its_own_token_and_submission_key_and_can_save(app, practitioner):
    first_browser, second_browser = app.test_client(), app.test_client()
    first_browser.login_as(practitioner)
    second_browser.login_as(practitioner)
    first = _form(first_browser.get("/logs/new").text)
    second = _form(second_browser.get("/logs/new").text)  # from memory: the same defaults
    assert _hidden(first, "submission_key") != _hidden(second, "submission_key")
    assert "slot" not in first + second
    saved = second_browser.post("/logs/new", data=log_form(
        csrf_token=_hidden(second, "csrf_token"), submission_key=_hidden(second, "submission_key")))
    assert saved.status_code == 302 and "/logs/" in saved.headers["Location"]


def test_each_practitioner_sees_their_own_reminders(app, org, team, practitioner):
    other = factories.user(org, "ander@example.org", team=team, team_role="practitioner")
    elements = factories.element_ids()
    factories.reflection(practitioner, element_id=elements["emotion_regulation"],
                         answers={"trial": "Eerst het gevoel benoemen."})
    factories.reflection(other, element_id=elements["emotion_regulation"],
                         answers={"trial": "Rustig blijven en samenvatten."},
                         created_at=utcnow() - timedelta(days=1))
    mine, theirs, mine_again = (_visit(app, person) for person in (practitioner, other, practitioner))
    for form in (mine, mine_again):
        assert "Eerst het gevoel benoemen." in form and "Rustig blijven" not in form
    assert "Rustig blijven en samenvatten." in theirs and "Eerst het gevoel" not in theirs


def test_each_practitioner_gets_the_defaults_of_their_own_last_log(app, org, team, practitioner):
    other = factories.user(org, "ander@example.org", team=team, team_role="practitioner")
    factories.practice_log(practitioner, setting="school", participants=("parent",))
    factories.practice_log(other, setting="school", participants=("youth",))
    mine, theirs, mine_again = (_visit(app, person) for person in (practitioner, other, practitioner))
    for form in (mine, mine_again):
        assert "Same as last time: Parent or carer<" in form
    assert "Same as last time: Young person<" in theirs


def _visit(app, person) -> str:  # type: ignore[no-untyped-def]
    browser = app.test_client()
    browser.login_as(person)
    return _form(browser.get("/logs/new").text)


def test_a_retired_technique_leaves_the_remembered_form(app, org, practitioner, admin):
    technique = factories.technique(org, "sdm_options_discussed")
    author = app.test_client()
    author.login_as(practitioner)
    assert 'name="t_sdm_options_discussed"' in _form(author.get("/logs/new").text)
    manager = app.test_client()
    manager.login_as(admin)
    assert manager.submit(f"/admin/catalogue/techniques/{technique.id}/retire").status_code == 302
    assert 'name="t_sdm_options_discussed"' not in _form(author.get("/logs/new").text)
