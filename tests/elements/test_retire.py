"""Retire, never delete: a retired technique leaves new forms but stays on old logs and exports."""

from __future__ import annotations

import json
import re

from app.db import db, utcnow
from app.elements.models import Technique
from tests import factories
from tests.practice.helpers import checked, log_form


def _retire(app, technique_id: int) -> None:
    with app.app_context():
        db.session.get(Technique, technique_id).retired_at = utcnow()
        db.session.commit()


def test_a_retired_technique_stays_on_old_logs_and_exports_but_is_not_offered(
    app, client, org, practitioner
):
    log = factories.practice_log(practitioner, techniques=("sdm_goals_asked", "sdm_options_discussed"))
    technique = factories.technique(org, "sdm_options_discussed")
    _retire(app, technique.id)
    client.login_as(practitioner)

    view = client.get(f"/logs/{log.id}").text
    assert "Discussed options with their pros and cons" in view

    exported = json.loads(client.get("/account/my-data/logs.json").text)["practice_logs"][0]
    keys = [(t["key"], t["retired"]) for t in exported["elements"][0]["techniques"]]
    assert keys == [("sdm_goals_asked", False), ("sdm_options_discussed", True)]
    assert "sdm_options_discussed" in client.get("/account/my-data/logs.csv").text

    new_form = client.get("/logs/new").text
    assert 'id="t_sdm_options_discussed"' not in new_form
    assert len(re.findall(r'id="t_[a-z_]+"', new_form)) == 23
    # A crafted POST cannot tick it either: the field is not on the form.
    response = client.submit("/logs/new", log_form(t_sdm_options_discussed="y"))
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        from app.practice.models import PracticeLog

        new_log = db.session.get(PracticeLog, new_id)
        assert [t.technique.key for t in new_log.techniques] == ["sdm_goals_asked"]


def test_editing_an_old_log_keeps_its_retired_technique(app, client, org, practitioner):
    log = factories.practice_log(practitioner, techniques=("sdm_goals_asked", "sdm_options_discussed"))
    _retire(app, factories.technique(org, "sdm_options_discussed").id)
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}/edit").text
    assert checked(page, "t_sdm_options_discussed")
    data = log_form(t_sdm_options_discussed="y", note="Bijgewerkt.")
    del data["submission_key"]
    assert client.submit(f"/logs/{log.id}/edit", data).status_code == 302
    with app.app_context():
        from app.practice.models import PracticeLog

        saved = db.session.get(PracticeLog, log.id)
        keys = sorted(t.technique.key for t in saved.techniques)
        assert keys == ["sdm_goals_asked", "sdm_options_discussed"]
        assert saved.note == "Bijgewerkt."


def test_retiring_through_the_admin_screen_keeps_the_row(app, client, org, admin, practitioner):
    log = factories.practice_log(practitioner, techniques=("sdm_goals_asked",))
    technique = factories.technique(org, "sdm_goals_asked")
    client.login_as(admin)
    assert client.submit(f"/admin/catalogue/techniques/{technique.id}/retire").status_code == 302
    with app.app_context():
        from app.practice.models import PracticeLog

        retired = db.session.get(Technique, technique.id)
        assert retired is not None and retired.retired_at is not None
        assert [t.technique_id for t in db.session.get(PracticeLog, log.id).techniques] == [technique.id]
    author = app.test_client()
    author.login_as(practitioner)
    assert "parents&#39; wishes and goals" in author.get(f"/logs/{log.id}").text
