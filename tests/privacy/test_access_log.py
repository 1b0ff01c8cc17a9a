"""The access log: a coach's read of someone else's log is recorded; the author's own read is not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.privacy.models import AccessLog
from tests import factories


def _rows(app) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).order_by(AccessLog.id)))


def test_a_coach_reading_a_log_writes_one_access_log_row(app, client, practitioner, coach):
    log = factories.practice_log(practitioner, note="Iets wat ik wil leren.")
    client.login_as(coach)
    assert client.get(f"/logs/{log.id}").status_code == 200
    [row] = _rows(app)
    assert (row.actor_id, row.actor_role, row.action, row.object_type, row.object_id, row.subject_id) == (
        coach.id, "coach", "read", "practice_log", log.id, practitioner.id)
    assert row.organisation_id == coach.organisation_id
    assert row.ip_address == "127.0.0.1" and row.at is not None
    # The trail holds who/what/when, never the content.
    values = [str(getattr(row, c.key)) for c in AccessLog.__table__.columns]
    assert not any("leren" in v for v in values)
    client.get(f"/logs/{log.id}")
    assert len(_rows(app)) == 2  # every read


def test_a_coach_reading_the_list_is_recorded(app, client, practitioner, coach):
    factories.practice_log(practitioner)
    client.login_as(coach)
    assert client.get(f"/coaching/{practitioner.id}/logs").status_code == 200
    [row] = _rows(app)
    assert (row.actor_id, row.action, row.object_type, row.object_id) == (
        coach.id, "list", "practice_logs", practitioner.id)


def test_the_author_reading_their_own_log_writes_nothing(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert client.get(f"/logs/{log.id}").status_code == 200
    assert client.get("/logs").status_code == 200
    assert client.get(f"/logs/{log.id}/edit").status_code == 200
    assert _rows(app) == []


def test_a_refused_read_writes_nothing(app, client, practitioner, coach, lead):
    log = factories.practice_log(practitioner)
    private = factories.practice_log(practitioner, private=True)
    client.login_as(lead)
    assert client.get(f"/logs/{log.id}").status_code == 404
    assert client.get(f"/coaching/{practitioner.id}/logs").status_code == 404
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    assert client.get(f"/logs/{private.id}").status_code == 404
    assert _rows(app) == []


def test_an_export_is_recorded_as_the_authors_own(app, client, practitioner):
    factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert client.get("/logs/export.json").status_code == 200
    [row] = _rows(app)
    assert (row.actor_id, row.actor_role, row.action, row.object_type) == (
        practitioner.id, "author", "export", "practice_logs_json")


def _log(practitioner, _coach):
    return f"/logs/{factories.practice_log(practitioner).id}"


def _shared_reflection(practitioner, coach):
    reflection = factories.reflection(practitioner)
    factories.share(reflection, coach)
    return f"/reflection/{reflection.id}"


@pytest.mark.parametrize("page", [_log, _shared_reflection], ids=["log", "shared reflection"])
def test_on_sqlite_the_access_log_write_takes_the_write_lock_first(app, client, practitioner, coach, page):
    """A read turned write fails under concurrency on SQLite; the row is written in a transaction
    that began IMMEDIATE, and nothing is read in it before the lock is held."""
    from sqlalchemy import event

    engine = app.extensions["db"]["engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's transaction modes only")
    url = page(practitioner, coach)
    client.login_as(coach)
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()[:3]))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO access_logs"))
    begin = max(i for i, s in enumerate(statements[:insert]) if s.startswith("BEGIN"))
    assert statements[begin] == "BEGIN IMMEDIATE", statements
