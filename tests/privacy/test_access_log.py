"""The access log: the right row for every kind of event, append-only in the database itself, and
read by the privacy officer alone (signed in with a second factor), whose reading is logged too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import DBAPIError

from app.auth import tokens
from app.auth.models import User
from app.db import db, utcnow
from app.privacy.models import AccessLog
from app.retention.jobs import apply_retention
from app.scheduler import run_job
from app.teams.models import CoachAssignment, Membership
from tests import factories


def _rows(app, *where: Any) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).where(*where).order_by(AccessLog.id)))


# --- one row per kind of event ------------------------------------------------------------------


@dataclass
class People:
    app: Any
    client: Any
    practitioner: User
    coach: User
    admin: User
    privacy_officer: User

    def as_admin(self) -> Any:
        self.client.login_as(self.admin)
        return self.client

    def id(self, name: str) -> int:
        return int(getattr(self, name).id)


def _sign_in(p: People) -> None:
    p.client.login_as(p.practitioner)


def _wrong_password(p: People) -> None:
    assert p.client.login(p.practitioner.email, "not the right password").status_code == 401


def _wrong_code(p: People) -> None:
    factories.second_factor(p.coach)
    assert p.client.login(p.coach.email).status_code == 302
    assert p.client.submit("/login/code", {"code": "000000"}).status_code == 401


def _sign_out(p: People) -> None:
    p.client.login_as(p.practitioner)
    p.client.submit("/logout")


def _change_password(p: People) -> None:
    p.client.login_as(p.practitioner)
    new = "een nieuw lang wachtwoord"
    p.client.submit("/account", {"action": "password", "pw-csrf_token": p.client.csrf_token(),
                                 "pw-current_password": factories.PASSWORD, "pw-password": new,
                                 "pw-confirm": new})


def _reset_password(p: People) -> None:
    with p.app.app_context():
        raw = tokens.issue(db.session.get(User, p.practitioner.id), "reset", timedelta(hours=1), utcnow())
        db.session.commit()
    p.client.submit(f"/reset/{raw}", {"password": "een nieuw lang wachtwoord",
                                      "confirm": "een nieuw lang wachtwoord"})


def _set_up(p: People) -> None:
    p.client.login_as(p.practitioner)
    p.client.set_up_second_factor()


Act = Callable[[People], None]


def _admin_post(url: str, data: dict[str, str] | None = None, prefix: str | None = None) -> Act:
    def act(p: People) -> None:
        client = p.as_admin()
        fields = {k: v.format(**{n: p.id(n) for n in ("practitioner", "coach", "admin")})
                  for k, v in (data or {}).items()}
        if prefix:
            fields[f"{prefix}-csrf_token"] = client.csrf_token()
        client.submit(url.format(**{n: p.id(n) for n in ("practitioner", "coach", "admin")}), fields)
    return act


def _end_membership(p: People) -> None:
    with p.app.app_context():
        membership = db.session.scalar(select(Membership.id).where(Membership.user_id == p.practitioner.id))
    p.as_admin().submit(f"/admin/memberships/{membership}/end")


def _end_coaching(p: People) -> None:
    with p.app.app_context():
        assignment = db.session.scalar(
            select(CoachAssignment.id).where(CoachAssignment.coach_id == p.coach.id))
    p.as_admin().submit(f"/admin/coaching/{assignment}/end")


def _get(who: str, url: str) -> Callable[[People], None]:
    def act(p: People) -> None:
        p.client.login_as(getattr(p, who))
        assert p.client.get(url.format(practitioner=p.practitioner.id)).status_code == 200
    return act


def _read_log(p: People) -> None:
    log = factories.practice_log(p.practitioner)
    _get("coach", f"/logs/{log.id}")(p)


def _read_reflection(p: People) -> None:
    reflection = factories.reflection(p.practitioner)
    factories.share(reflection, p.coach)
    _get("coach", f"/reflection/{reflection.id}")(p)


def _delete_account(p: People) -> None:
    p.client.login_as(p.practitioner)
    p.client.submit("/account/my-data/delete", {"password": factories.PASSWORD, "confirm": "y"})


def _retention(p: People) -> None:
    run_job(p.app, apply_retention)


# name -> (what happens, (actor, role, action, object_type, subject)); None: the app itself
PRACTITIONER = "practitioner"
EVENTS: dict[str, tuple[Act, tuple[str | None, str, str, str, str | None]]] = {
    "sign-in": (_sign_in, ("practitioner", "self", "sign_in", "user", "practitioner")),
    "failed sign-in": (_wrong_password, ("practitioner", "self", "sign_in_failed", "user", "practitioner")),
    "wrong second-factor code": (_wrong_code, ("coach", "self", "sign_in_failed", "user", "coach")),
    "sign-out": (_sign_out, ("practitioner", "self", "sign_out", "user", "practitioner")),
    "password changed": (_change_password, (PRACTITIONER, "self", "password_changed", "user", PRACTITIONER)),
    "password reset": (_reset_password, ("practitioner", "self", "password_reset", "user", "practitioner")),
    "second factor set up": (_set_up, (PRACTITIONER, "self", "second_factor_set_up", "user", PRACTITIONER)),
    "second factor reset": (_admin_post("/admin/users/{coach}/second-factor/reset"),
                            ("admin", "admin", "second_factor_reset", "user", "coach")),
    "roles changed": (_admin_post("/admin/users/{practitioner}/roles", {"roles-roles": "privacy_officer"},
                                  "roles"),
                      ("admin", "admin", "roles_changed", "user", "practitioner")),
    "membership added": (_admin_post("/admin/users/{coach}/memberships",
                                     {"member-team_id": "TEAM", "member-role": "lead"}, "member"),
                         ("admin", "admin", "membership_added", "membership", "coach")),
    "membership ended": (_end_membership, ("admin", "admin", "membership_ended", "membership", PRACTITIONER)),
    "coaching ended": (_end_coaching, ("admin", "admin", "coaching_ended", "coach_assignment", PRACTITIONER)),
    "invitation": (_admin_post("/admin/users/invite", {
        "email": "nieuw@example.org", "display_name": "Nieuw", "language": "nl", "team_id": "0",
        "role": "practitioner"}),
                   ("admin", "admin", "invited", "user", None)),
    "deactivated": (_admin_post("/admin/users/{practitioner}/active", {"active": "0"}),
                    ("admin", "admin", "deactivated", "user", "practitioner")),
    "admin reads an account": (_get("admin", "/admin/users/{practitioner}"),
                               ("admin", "admin", "read", "user", "practitioner")),
    "coach reads a log": (_read_log, ("coach", "coach", "read", "practice_log", "practitioner")),
    "coach reads the log list": (_get("coach", "/coaching/{practitioner}/logs"),
                                 ("coach", "coach", "list", "practice_logs", "practitioner")),
    "coach reads a shared reflection": (_read_reflection,
                                        ("coach", "coach", "read", "reflection", PRACTITIONER)),
    "export of one's logs": (_get("practitioner", "/account/my-data/logs.csv"),
                             ("practitioner", "author", "export", "practice_logs_csv", "practitioner")),
    "download of all one's data": (_get("practitioner", "/account/my-data/export.zip"),
                                   ("practitioner", "author", "export", "personal_data_zip", "practitioner")),
    "privacy officer searches": (_get("privacy_officer", "/privacy/access-log?action=read"),
                                 ("privacy_officer", "privacy_officer", "search", "access_log", None)),
    "privacy officer exports": (_get("privacy_officer", "/privacy/access-log.csv"),
                                ("privacy_officer", "privacy_officer", "export", "access_log_csv", None)),
    "account deleted": (_delete_account, ("practitioner", "self", "account_deleted", "user", "practitioner")),
    "retention": (_retention, (None, "system", "retention", "organisation", None)),
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_each_kind_of_event_writes_its_row(app, client, practitioner, coach, admin, privacy_officer, team,
                                           event):
    people = People(app, client, practitioner, coach, admin, privacy_officer)
    act, (actor, role, action, object_type, subject) = EVENTS[event]
    if event == "membership added":
        act = _admin_post("/admin/users/{coach}/memberships",
                          {"member-team_id": str(team.id), "member-role": "lead"}, "member")
    before = {r.id for r in _rows(app)}
    act(people)
    new = [r for r in _rows(app) if r.id not in before and r.action == action]
    assert len(new) == 1, [(r.actor_id, r.action, r.object_type) for r in _rows(app)]
    [row] = new
    assert row.actor_id == (people.id(actor) if actor else None)
    assert (row.actor_role, row.object_type) == (role, object_type)
    if subject is not None:
        assert row.subject_id == people.id(subject)
    assert row.organisation_id == practitioner.organisation_id and row.at is not None
    if actor is not None:
        assert row.ip_address == "127.0.0.1"


def test_starting_coaching_is_logged(app, client, org, practitioner, coach, admin):
    other_coach = factories.user(org, "tweede.coach@example.org")
    client.login_as(admin)
    client.submit(f"/admin/users/{other_coach.id}/coachees",
                  {"coachee-coachee_id": str(practitioner.id), "coachee-csrf_token": client.csrf_token()})
    [row] = _rows(app, AccessLog.action == "coaching_started")
    assert (row.actor_id, row.actor_role, row.subject_id, row.detail) == (
        admin.id, "admin", practitioner.id, f"coach {other_coach.id}")


def test_a_coach_reading_a_log_records_who_and_what_but_never_the_content(app, client, practitioner, coach):
    log = factories.practice_log(practitioner, note="Iets wat ik wil leren.")
    client.login_as(coach)
    assert client.get(f"/logs/{log.id}").status_code == 200
    [row] = _rows(app, AccessLog.action == "read")
    assert (row.actor_id, row.actor_role, row.object_type, row.object_id, row.subject_id) == (
        coach.id, "coach", "practice_log", log.id, practitioner.id)
    values = [str(getattr(row, c.key)) for c in AccessLog.__table__.columns]
    assert not any("leren" in v for v in values)
    client.get(f"/logs/{log.id}")
    assert len(_rows(app, AccessLog.action == "read")) == 2  # every read


def test_the_author_reading_their_own_data_writes_no_read(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert client.get(f"/logs/{log.id}").status_code == 200
    assert client.get("/logs").status_code == 200
    assert client.get(f"/logs/{log.id}/edit").status_code == 200
    assert _rows(app, AccessLog.action.in_(["read", "list"])) == []


def test_a_refused_read_writes_nothing(app, client, practitioner, coach, lead):
    log = factories.practice_log(practitioner)
    private = factories.practice_log(practitioner, private=True)
    client.login_as(lead)
    assert client.get(f"/logs/{log.id}").status_code == 404
    assert client.get(f"/coaching/{practitioner.id}/logs").status_code == 404
    client.submit("/logout")
    client.login_as(coach)
    assert client.get(f"/logs/{private.id}").status_code == 404
    assert _rows(app, AccessLog.action.in_(["read", "list"])) == []


def test_an_unknown_address_writes_no_row(app, client, practitioner):
    assert client.login("nobody@example.org", "whatever it is").status_code == 401
    assert _rows(app) == []


# --- append-only -----------------------------------------------------------------------------------


def _one_row(app) -> int:
    with app.app_context():
        row = AccessLog(organisation_id=1, actor_id=1, actor_role="coach", action="read",
                        object_type="practice_log", object_id=1, subject_id=2, at=utcnow())
        db.session.add(row)
        db.session.commit()
        return row.id


def test_on_sqlite_the_database_refuses_update_and_delete(app):
    engine = app.extensions["db"]["engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's triggers (PostgreSQL: the test of the app's role below)")
    row_id = _one_row(app)
    for statement in ("UPDATE access_logs SET action = 'x' WHERE id = :id",
                      "DELETE FROM access_logs WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement), {"id": row_id})
    with app.app_context():  # the ORM goes the same way
        row = db.session.get(AccessLog, row_id)
        row.detail = "changed"
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.commit()
        db.session.rollback()
    [kept] = _rows(app)
    assert (kept.action, kept.detail) == ("read", None)


@pytest.fixture
def app_role(request, database_url):
    """A PostgreSQL schema owned by a non-superuser login role, migrated to head by that role,
    as production runs it; dropped afterwards. Yields (url as that role, admin engine)."""
    from app.cli import upgrade_database

    if request.config.getoption("--database") != "postgresql":
        pytest.skip("the PostgreSQL half")
    server = make_url(database_url).set(query={})
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    role, schema = "werkzaam_app_test", f"werkzaam_app_{id(request) % 100000}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER"))
        conn.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {role}"))
    url = server.set(username=role, query={"options": f"-csearch_path={schema}"})
    try:
        upgrade_database(url.render_as_string(hide_password=False))
        yield url, admin
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def test_on_postgresql_the_apps_role_may_not_update_or_delete(app_role):
    url, _admin = app_role
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organisations (id, name, min_group_size, created_at, "
                              "catalogue_revision, second_factor_for_all) "
                              "VALUES (1, 'O', 5, now(), '', false)"))
            conn.execute(text("INSERT INTO access_logs (at, organisation_id, actor_id, actor_role, action, "
                              "object_type) VALUES (now(), 1, 1, 'coach', 'read', 'practice_log'), "
                              "(now() - interval '61 months', 1, 1, 'coach', 'read', 'practice_log')"))
        for statement in ("UPDATE access_logs SET action = 'x'", "DELETE FROM access_logs",
                          "TRUNCATE access_logs"):
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text(statement))
        # The retention job's one way in: only the expired row goes, and the rights stay revoked.
        with engine.begin() as conn:
            assert conn.scalar(text("SELECT purge_access_logs(now(), 1)")) == 1
            assert conn.scalar(text("SELECT purge_access_logs(now() + interval '100 years', 1)")) == 0
            assert conn.scalar(text("SELECT count(*) FROM access_logs")) == 1
            assert not conn.scalar(text("SELECT has_table_privilege('access_logs', 'DELETE')"))
        with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
            conn.execute(text("DELETE FROM access_logs"))
    finally:
        engine.dispose()


# --- only the privacy officer reads it -------------------------------------------------------------


def test_the_privacy_officer_finds_a_coachs_read_and_their_own_reading_is_logged(
        app, client, practitioner, coach, privacy_officer):
    log = factories.practice_log(practitioner)
    reader = app.test_client()
    reader.login_as(coach)
    reader.get(f"/logs/{log.id}")
    client.login_as(privacy_officer)
    page = client.get(f"/privacy/access-log?person={coach.display_name}&action=read&object_type=practice_log")
    assert page.status_code == 200
    assert f"#{log.id}" in page.text and practitioner.display_name in page.text
    csv = client.get(f"/privacy/access-log.csv?person={practitioner.email}&action=read")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.text.strip().splitlines()
    assert len(lines) == 2
    assert f",{coach.id},{coach.display_name},coach,read,practice_log,{log.id}," in lines[1]
    own = _rows(app, AccessLog.actor_id == privacy_officer.id, AccessLog.object_type.like("access_log%"))
    assert [(r.action, r.object_type) for r in own] == [
        ("search", "access_log"), ("export", "access_log_csv")]
    assert "action=read" in (own[0].detail or "")


def test_a_search_by_period_leaves_out_other_days(app, client, practitioner, privacy_officer):
    with app.app_context():
        for days in (40, 10):
            db.session.add(AccessLog(organisation_id=practitioner.organisation_id, actor_id=practitioner.id,
                                     actor_role="self", action="export", object_type="practice_logs_csv",
                                     at=utcnow() - timedelta(days=days)))
        db.session.commit()
    client.login_as(privacy_officer)
    start = (utcnow() - timedelta(days=20)).date().isoformat()
    page = client.get(f"/privacy/access-log?action=export&start={start}")
    assert "1 rows" in page.text


@pytest.mark.parametrize("who", ["practitioner", "coach", "lead", "admin"])
def test_nobody_else_reads_the_access_log(request, client, who):
    client.login_as(request.getfixturevalue(who))
    assert client.get("/privacy/access-log").status_code == 403
    assert client.get("/privacy/access-log.csv").status_code == 403
