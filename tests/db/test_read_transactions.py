"""A request that only read ends its PostgreSQL transaction with COMMIT, so the connection keeps its
prepared statements; on PostgreSQL a page that only reads holds no transaction at all, and its first
write opens one; a request that wrote without committing still saves nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event, func, insert, select, text, update

from app.db import db
from app.teams.models import Team


def _add_routes(app: Flask) -> None:
    @app.get("/_test/flushes")
    def flushes() -> str:
        db.session.add(Team(organisation_id=db.session.scalar(select(Team.organisation_id)),
                            name="Niet bewaard"))
        db.session.flush()
        return "ok"

    @app.get("/_test/inserts")
    def inserts() -> str:
        organisation = db.session.scalar(select(Team.organisation_id))
        db.session.execute(insert(Team).values(organisation_id=organisation, name="Ook niet bewaard"))
        return "ok"

    @app.get("/_test/updates")
    def updates() -> str:
        db.session.execute(update(Team).values(name="Hernoemd"))
        return "ok"

    @app.get("/_test/fails-after-two-writes")
    def fails_after_two_writes() -> str:
        organisation = db.session.scalar(select(Team.organisation_id))
        db.session.execute(insert(Team).values(organisation_id=organisation, name="Eerste"))
        db.session.execute(insert(Team).values(organisation_id=organisation, name="Tweede"))
        raise RuntimeError("the page fails after writing")

    @app.get("/_test/transaction-status")
    def transaction_status() -> str:
        """What the server holds open for this request after each step, as read by the driver."""
        steps = []

        def status() -> str:
            return str(db.session.connection().connection.dbapi_connection.info.transaction_status.name)

        db.session.scalars(select(Team.name)).all()
        steps.append(status())
        named = select(Team.id).cte("named")
        db.session.execute(select(named.c.id)).all()  # WITH named AS (SELECT …) SELECT …: a read
        steps.append(status())
        db.session.execute(select(Team.id).with_for_update()).all()
        steps.append(status())
        db.session.commit()
        steps.append(status())
        added = insert(Team).values(organisation_id=select(Team.organisation_id).limit(1).scalar_subquery(),
                                    name="Via WITH").returning(Team.id).cte("added")
        db.session.execute(select(added.c.id)).all()  # WITH added AS (INSERT …) SELECT …: a write
        steps.append(status())
        db.session.execute(update(Team).where(Team.name != "Via WITH").values(name="Hernoemd"))
        steps.append(status())
        return " ".join(steps)


def _endings(app: Flask) -> tuple[list[str], object]:
    ended: list[str] = []
    engine = app.extensions["db"]["engine"]

    def on_commit(_conn) -> None:  # type: ignore[no-untyped-def]
        ended.append("commit")

    def on_rollback(_conn) -> None:  # type: ignore[no-untyped-def]
        ended.append("rollback")

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)

    def stop() -> None:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)

    return ended, stop


def test_a_request_that_wrote_without_committing_saves_nothing(app, client, practitioner, team):
    _add_routes(app)
    client.login_as(practitioner)
    for path in ("/_test/flushes", "/_test/inserts", "/_test/updates"):
        assert client.get(path).status_code == 200
    with app.app_context():
        names = set(db.session.scalars(select(Team.name)))
    assert names == {team.name}


def test_a_page_that_fails_after_two_writes_saves_neither(app, client, practitioner, team):
    _add_routes(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.login_as(practitioner)
    assert client.get("/_test/fails-after-two-writes").status_code == 500
    with app.app_context():
        names = set(db.session.scalars(select(Team.name)))
    assert names == {team.name}


def test_a_page_holds_no_transaction_on_postgresql_until_it_writes_or_locks(app, client, practitioner):
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("PostgreSQL's transactions")
    _add_routes(app)
    client.login_as(practitioner)
    response = client.get("/_test/transaction-status")
    # Reading (also a WITH … SELECT): none. A SELECT that locks rows opens one (its locks last
    # until the commit), and so does the first write after the commit, also one inside a WITH.
    assert response.get_data(as_text=True) == "IDLE IDLE INTRANS IDLE INTRANS INTRANS"
    with app.app_context():  # the request did not commit its last writes: they are not saved
        assert not {"Hernoemd", "Via WITH"} & set(db.session.scalars(select(Team.name)))


def test_a_page_that_only_read_commits_on_postgresql_and_keeps_its_prepared_statements(
    app, client, practitioner
):
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements")
    _add_routes(app)
    client.login_as(practitioner)
    ended, stop = _endings(app)
    assert client.get("/goals/").status_code == 200
    stop()
    assert ended == ["commit"]

    ended, stop = _endings(app)
    assert client.get("/_test/inserts").status_code == 200
    stop()
    assert ended == ["rollback"]

    # psycopg prepares a statement on its sixth run on a connection; a ROLLBACK forgets them all.
    for _ in range(6):
        assert client.get("/goals/").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared and prepared >= 2


def test_a_page_that_records_access_keeps_its_prepared_statements_and_writes_the_record(
    app, client, coach, practitioner
):
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements")
    from app.privacy.models import AccessLog

    client.login_as(coach)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AccessLog)
                                   .where(AccessLog.action == "list", AccessLog.actor_id == coach.id))
    for _ in range(7):
        assert client.get("/coaching/").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        after = db.session.scalar(select(func.count()).select_from(AccessLog)
                                  .where(AccessLog.action == "list", AccessLog.actor_id == coach.id))
    assert after == (before or 0) + 7
    assert prepared and prepared >= 2


def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(app, client, practitioner):
    """PostgreSQL restarted, or an administrator ended the session: the pooled connection is dead,
    and the next page still opens (app.db checks the socket when the pool hands a connection out)."""
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("PostgreSQL's server-side sessions")
    import time

    from sqlalchemy import create_engine

    client.login_as(practitioner)
    assert client.get("/goals/").status_code == 200
    with app.app_context():  # the pool's one connection, as the requests before used it
        mine = db.session.scalar(text("SELECT pg_backend_pid()"))
    outside = create_engine(str(app.extensions["db"]["engine"].url.render_as_string(hide_password=False)))
    with outside.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": mine})
    outside.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the socket
    assert client.get("/goals/").status_code == 200
    assert client.get("/notifications/").status_code == 200


def test_a_pages_access_records_are_one_insert_that_commits_by_itself_on_postgresql(
    app, client, org, team, coach, practitioner
):
    """A coach's overview records a row per coachee shown: all in one INSERT after the page is made.
    On PostgreSQL that statement is a transaction by itself (no BEGIN or COMMIT sent around it: the
    server runs its rows as one implicit transaction); on SQLite it is written in a write
    transaction of its own."""
    from app.privacy.models import AccessLog
    from tests import factories

    factories.coach_assignment(coach, factories.user(org, "tweede@example.org", team=team))
    client.login_as(coach)
    assert client.get("/coaching/").status_code == 200  # the statements are prepared from here on
    engine = app.extensions["db"]["engine"]
    postgresql = engine.dialect.name == "postgresql"
    seen: list[tuple[str, str]] = []

    def after(_conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        status = cursor.connection.info.transaction_status.name if postgresql else ""
        seen.append((" ".join(statement.split())[:40], status))

    ended, stop = _endings(app)
    event.listen(engine, "after_cursor_execute", after)
    try:
        assert client.get("/coaching/").status_code == 200
    finally:
        event.remove(engine, "after_cursor_execute", after)
        stop()
    inserts = [status for statement, status in seen if statement.startswith("INSERT INTO access_logs")]
    assert len(inserts) == 1, seen
    if postgresql:
        assert inserts == ["IDLE"], "the INSERT ran inside a transaction"
    else:
        assert ended.count("commit") >= 1
    with app.app_context():
        written = db.session.scalar(select(func.count()).select_from(AccessLog).where(
            AccessLog.action == "list", AccessLog.actor_id == coach.id))
    assert written == 4  # two requests, two coachees each
