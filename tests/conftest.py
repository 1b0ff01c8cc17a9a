"""Shared fixtures: the app on SQLite or PostgreSQL, a CSRF-aware client, one user per role."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, make_url, text
from werkzeug.test import TestResponse

from app import create_app
from app.auth.models import User
from app.db import Base
from app.organisations.models import Organisation
from app.teams.models import Team
from config import TestingConfig
from tests import factories
from tests.smtp import smtp_server  # noqa: F401 - a fixture, used by name

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database", choices=("sqlite", "postgresql"), default="sqlite",
        help="run the suite against SQLite (default) or PostgreSQL at TEST_DATABASE_URL",
    )


def pg_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)


def pg_available(url: str) -> str | None:
    """None when PostgreSQL answers at `url`, else the reason it does not."""
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).splitlines()[0]
    return None


def require_postgres() -> str:
    """The PostgreSQL URL; skip when it does not answer, but fail when CI=true."""
    url = pg_url()
    reason = pg_available(url)
    if reason:
        message = f"PostgreSQL not reachable at {url}: {reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the PostgreSQL half must run)")
        pytest.skip(message)
    return url


@contextmanager
def scratch_postgres(server_url: str, label: str) -> Iterator[str]:
    """A new, empty schema for this run only, as the search path of the URL it yields.

    Each pytest process gets its own, so runs side by side (or a developer's and CI's) never
    meet; a schema is dropped in milliseconds, where dropping a database forces a checkpoint.
    """
    name = f"werkzaam_{label}_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per run: a SQLite file, or a scratch PostgreSQL database."""
    from app.cli import upgrade_database

    if request.config.getoption("--database") == "postgresql":
        with scratch_postgres(require_postgres(), "test") as url:
            upgrade_database(url)
            yield url
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade_database(url)
    yield url


def _empty_all_tables(app: Flask) -> None:
    # DELETE, not TRUNCATE: for the few rows a test writes it is ~20x faster on PostgreSQL.
    # The access log is append-only (SQLite: triggers; the PostgreSQL tests run as a superuser,
    # whom privileges do not bind): its triggers step aside inside this one transaction.
    engine = app.extensions["db"]["engine"]
    with engine.begin() as conn:
        triggers: list[Any] = []
        if engine.dialect.name == "sqlite":
            triggers = list(conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_logs'")))
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for _name, sql in triggers:
            conn.execute(text(sql))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on the migrated test database; every table is emptied afterwards."""
    settings = TestingConfig()
    settings.DATABASE_URL = database_url
    settings.MAIL_DIR = str(tmp_path / "mail")
    settings.SCHEDULER_LOCK_FILE = str(tmp_path / "scheduler.lock")
    flask_app = create_app(settings)
    flask_app.test_client_class = Client
    factories.use_app(flask_app)
    yield flask_app
    _empty_all_tables(flask_app)
    flask_app.extensions["db"]["engine"].dispose()


class Client(FlaskClient):
    """A test client that can sign forms with a valid CSRF token, as a browser would."""

    def csrf_token(self) -> str:
        secret = self.application.secret_key
        assert secret is not None, "the test app has a SECRET_KEY"
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        """POST a form with a CSRF token."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)

    def login(self, email: str, password: str = factories.PASSWORD) -> TestResponse:
        return self.submit("/login", {"email": email, "password": password})

    def login_as(self, user: User, password: str = factories.PASSWORD) -> TestResponse:
        """Sign in through the forms, as the person would: the password, then the second factor's
        current code when they have one. Whoever must use one and has none sets it up first through
        the set-up page, with the key that page shows (nothing is switched off for tests). Whoever
        is signed in on this client signs out first: the sign-in page would only send them home."""
        with self.session_transaction() as session:
            signed_in = "_user_id" in session
        if signed_in:
            self.submit("/logout")
        response = self.login(user.email, password)
        assert response.status_code == 302, f"could not sign in as {user.email}"
        location = response.headers["Location"]
        if location.startswith("/login/code"):
            response = self.submit("/login/code", {"code": factories.current_code(user)})
            assert response.status_code == 302, f"{user.email}: the second factor was refused"
        elif self.get("/").headers.get("Location", "").startswith("/account/second-factor/setup"):
            self.set_up_second_factor()
        return response

    def set_up_second_factor(self) -> list[str]:
        """Set up a second factor through its page (the key it shows, a current code); the
        recovery codes shown."""
        page = self.get("/account/second-factor/setup")
        secret = re.search(r'<code id="secret" class="secret">([A-Z2-7]+)</code>', page.text)
        assert secret, "the set-up page shows the key"
        done = self.submit("/account/second-factor/setup", {"code": factories.code_now(secret.group(1))})
        assert done.status_code == 200, done.text[:300]
        return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)


@pytest.fixture
def client(app: Flask) -> Client:
    test_client = app.test_client()
    assert isinstance(test_client, Client)  # the app fixture sets test_client_class
    return test_client


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for calling services and queries directly (not with the client)."""
    with app.app_context():
        yield


@pytest.fixture
def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Stop the app's clock at an aware instant: every `utcnow()` (and so `local_today()`) returns it.

    It replaces the `datetime` that `app.db.utcnow` asks, so callers that imported `utcnow` by
    name and column defaults stop too; the rest of the process keeps the real time.
    """
    import app.db as app_db

    def freeze(instant: datetime) -> None:
        assert instant.tzinfo is not None, "freeze the clock at an aware instant"

        class Frozen(datetime):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
                return instant.astimezone(tz)

        monkeypatch.setattr(app_db, "datetime", Frozen)

    return freeze


# --- one fixture per role --------------------------------------------------------------------


@pytest.fixture
def org(app: Flask) -> Organisation:
    return factories.organisation("Jeugdteam Test")


@pytest.fixture
def team(org: Organisation) -> Team:
    return factories.team(org, "Team Oost")


@pytest.fixture
def practitioner(org: Organisation, team: Team) -> User:
    return factories.user(org, "practitioner@example.org", team=team, team_role="practitioner")


@pytest.fixture
def coach(org: Organisation, practitioner: User) -> User:
    user = factories.user(org, "coach@example.org")
    factories.coach_assignment(user, practitioner)
    return user


@pytest.fixture
def lead(org: Organisation, team: Team) -> User:
    return factories.user(org, "lead@example.org", team=team, team_role="lead")


@pytest.fixture
def admin(org: Organisation) -> User:
    return factories.user(org, "admin@example.org", org_roles=["admin"])


@pytest.fixture
def privacy_officer(org: Organisation) -> User:
    return factories.user(org, "privacy@example.org", org_roles=["privacy_officer"])


@pytest.fixture
def other_org(app: Flask) -> Organisation:
    return factories.organisation("Andere Organisatie")


@pytest.fixture
def other_admin(other_org: Organisation) -> User:
    return factories.user(other_org, "admin@other.example.org", org_roles=["admin"])
