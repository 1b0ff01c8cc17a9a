"""On SQLite a request takes the write lock for as long as it must, and never writes without it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event, select

from app.db import db, reads_first
from app.teams.models import Team


def _statements(app: Flask) -> tuple[list[str], object]:
    seen: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()[:3]))

    engine = app.extensions["db"]["engine"]
    event.listen(engine, "before_cursor_execute", remember)
    return seen, lambda: event.remove(engine, "before_cursor_execute", remember)


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    if app.extensions["db"]["engine"].dialect.name != "sqlite":
        pytest.skip("SQLite's transaction modes only")
    return app


def _add_routes(app: Flask) -> None:
    @app.post("/_test/plain")
    def plain() -> str:
        db.session.scalar(select(Team.id))
        return "ok"

    @app.post("/_test/reads-first")
    @reads_first
    def read_then_write() -> str:
        db.session.scalar(select(Team.id))
        db.begin_write()
        db.session.add(Team(organisation_id=1, name="Nieuw"))
        db.session.commit()
        return "ok"

    @app.post("/_test/forgets")
    @reads_first
    def forgets() -> str:
        db.session.scalar(select(Team.id))
        db.session.add(Team(organisation_id=1, name="Vergeten"))
        db.session.commit()
        return "ok"


def test_a_form_post_begins_immediate_and_a_reads_first_view_only_for_its_write(
    sqlite_app, client, admin, org
):
    app = sqlite_app
    app.config["WTF_CSRF_ENABLED"] = False
    _add_routes(app)
    client.login_as(admin)

    seen, stop = _statements(app)
    assert client.post("/_test/plain").status_code == 200
    stop()
    assert [s for s in seen if s.startswith("BEGIN")][0] == "BEGIN IMMEDIATE"

    seen, stop = _statements(app)
    assert client.post("/_test/reads-first").status_code == 200
    stop()
    begins = [s for s in seen if s.startswith("BEGIN")]
    assert begins[0] == "BEGIN DEFERRED" and begins[-1] == "BEGIN IMMEDIATE"
    # The write happens in the transaction that took the lock, not in the one that read.
    insert = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO teams"))
    last_begin = max(i for i in range(insert) if seen[i].startswith("BEGIN"))
    assert seen[last_begin] == "BEGIN IMMEDIATE"


def test_a_reads_first_view_that_writes_without_the_lock_is_refused(sqlite_app, client, admin, org):
    app = sqlite_app
    app.config.update(WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=True)
    _add_routes(app)
    client.login_as(admin)
    with pytest.raises(RuntimeError, match="begin_write"):
        client.post("/_test/forgets")
    with app.app_context():
        assert db.session.scalar(select(Team.id).where(Team.name == "Vergeten")) is None
