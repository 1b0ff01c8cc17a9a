"""Migrations: empty → head → base → head on SQLite and PostgreSQL, and head matches the models.

Each database half runs in the pytest invocation for that database (`--database=sqlite`, the
default, or `--database=postgresql`), so `make test`, which runs the suite once for each, runs
each half exactly once. The PostgreSQL half uses its own throw-away database, never `test`.
"""

from __future__ import annotations

import pprint
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import app.models  # noqa: F401 - every table on Base.metadata
from app.cli import alembic_config
from app.db import Base, make_engine
from tests.db.pg import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the parametrised kind."""
    selected = request.config.getoption("--database")
    if request.param != selected:
        pytest.skip(f"the {request.param} half runs with --database={request.param}")
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        with fresh_database("werkzaam_migrations") as url:
            yield url


def _config(url: str) -> Config:
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False  # keep pytest's logging setup
    return cfg


def _model_differences(cfg: Config) -> list[Any]:
    """What autogenerate would put in a new migration, with migrations/env.py's own settings.

    env.py configures the MigrationContext (compare_type, render_item, batch mode …); instead of
    copying those options here, env.py runs as usual and hands us its context.
    """
    script = ScriptDirectory.from_config(cfg)
    found: list[Any] = []

    def compare(_heads: Any, context: Any) -> list[Any]:
        assert context.opts.get("compare_type") is True
        found.extend(compare_metadata(context, Base.metadata))
        return []

    with EnvironmentContext(cfg, script, fn=compare):
        script.run_env()
    return found


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations have several heads, merge them: {heads}"


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    url = empty_database
    cfg = _config(url)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    model_tables = set(Base.metadata.tables)

    command.upgrade(cfg, "head")
    assert _revision(url) == head
    assert _tables(url) == model_tables | {"alembic_version"}
    diffs = _model_differences(cfg)
    assert not diffs, "the newest migration does not match the models:\n" + pprint.pformat(diffs)

    command.downgrade(cfg, "base")
    assert _tables(url) == {"alembic_version"}
    assert _revision(url) is None

    command.upgrade(cfg, "head")
    assert _revision(url) == head
    assert not _model_differences(cfg)


def test_existing_organisations_get_their_own_catalogue_revision(empty_database: str) -> None:
    """0011 gives organisations made before it a random revision each, as new ones get."""
    url = empty_database
    cfg = _config(url)
    command.upgrade(cfg, "0010")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for name in ("Eerste", "Tweede"):
                conn.execute(text("INSERT INTO organisations (name, min_group_size, created_at) "
                                  "VALUES (:name, 5, CURRENT_TIMESTAMP)"), {"name": name})
        command.upgrade(cfg, "0011")
        with engine.connect() as conn:
            revisions = list(conn.execute(text("SELECT catalogue_revision FROM organisations")).scalars())
    finally:
        engine.dispose()
    assert len(revisions) == 2 and all(len(r) == 32 for r in revisions) and len(set(revisions)) == 2


def test_outbox_claims_come_and_go_and_queued_mail_stays(empty_database: str) -> None:
    """0012 adds the outbox claim columns (existing mail unclaimed); going back drops only them."""
    url = empty_database
    cfg = _config(url)
    command.upgrade(cfg, "0011")
    engine = make_engine(url)

    def outbox() -> tuple[set[str], list[Any]]:
        columns = {c["name"] for c in inspect(engine).get_columns("outbox_emails")}
        with engine.connect() as conn:
            return columns, list(conn.execute(text("SELECT * FROM outbox_emails")).mappings())

    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO outbox_emails (recipient, subject, body, created_at, "
                              "next_attempt_at, attempts) VALUES ('a@example.org', 'Onderwerp', 'Hallo', "
                              "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"))
        command.upgrade(cfg, "0012")
        columns, [row] = outbox()
        assert {"claimed_at", "claim_token"} <= columns
        assert (row["recipient"], row["claimed_at"], row["claim_token"]) == ("a@example.org", None, None)
        command.downgrade(cfg, "0011")
        columns, [row] = outbox()
        assert not {"claimed_at", "claim_token"} & columns and row["recipient"] == "a@example.org"
    finally:
        engine.dispose()
