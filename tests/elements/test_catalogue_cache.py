"""The log form's catalogue is cached per organisation revision: an admin's change shows at once."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from app.db import db
from app.elements.models import Technique
from app.organisations.models import Organisation
from tests import factories


def _offered(client) -> list[str]:
    """The technique keys the practitioner's log form offers, in order."""
    return re.findall(r'<input id="t_([a-z_0-9]+)"', client.get("/logs/new").text)


def _revision(app: Flask, org_id: int) -> str:
    with app.app_context():
        return db.session.get(Organisation, org_id).catalogue_revision


def test_every_admin_change_reaches_the_next_log_form(app, org, admin, practitioner):
    """The practitioner's form is read (and cached) before each change and must show it after."""
    practitioner_client, admin_client = app.test_client(), app.test_client()
    practitioner_client.login_as(practitioner)
    admin_client.login_as(admin)
    before = _offered(practitioner_client)
    assert len(before) == 24 and before[0] == "sdm_goals_asked"

    technique = factories.technique(org, "sdm_goals_asked")
    admin_client.submit(f"/admin/catalogue/techniques/{technique.id}",
                        {"label_nl": "Doel gevraagd", "label_en": "Goal asked first"})
    assert "Goal asked first" in practitioner_client.get("/logs/new").text

    admin_client.submit(f"/admin/catalogue/techniques/{technique.id}/move", {"direction": "down"})
    assert _offered(practitioner_client)[:2] == [before[1], "sdm_goals_asked"]

    admin_client.submit(f"/admin/catalogue/techniques/{technique.id}/retire")
    assert "sdm_goals_asked" not in _offered(practitioner_client)

    admin_client.submit(f"/admin/catalogue/techniques/{technique.id}/unretire")
    assert "sdm_goals_asked" in _offered(practitioner_client)

    admin_client.submit("/admin/catalogue/problem_solving/new",
                        {"label_nl": "Succes gevierd", "label_en": "Celebrated a success"})
    assert _offered(practitioner_client)[-1] == "custom_celebrated_a_success"


def test_a_technique_written_through_the_orm_renews_only_its_organisations_revision(app, org):
    other = factories.organisation("Andere organisatie")
    ours, theirs = _revision(app, org.id), _revision(app, other.id)
    assert ours and theirs and ours != theirs
    with app.app_context():
        technique = db.session.scalars(
            select(Technique).where(Technique.organisation_id == org.id).limit(1)
        ).one()
        technique.label_en = "Changed directly"
        db.session.commit()
    assert _revision(app, org.id) != ours
    assert _revision(app, other.id) == theirs


def test_an_unchanged_catalogue_is_read_without_a_query(app, practitioner):
    """Once cached, a log form costs the user's query and nothing for the catalogue."""
    from sqlalchemy import event

    client = app.test_client()
    client.login_as(practitioner)
    client.get("/logs/new")  # fills the cache
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/logs/new").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not [s for s in statements if "techniques" in s]
