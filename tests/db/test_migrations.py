"""Migrations on SQLite and PostgreSQL: every revision up and down with data, and head matches the models.

Each database half runs in the pytest invocation for that database (`--database=sqlite`, the
default, or `--database=postgresql`), so `make test`, which runs the suite once for each, runs
each half exactly once. The PostgreSQL half uses its own throw-away schema, never the suite's.

The revisions come from the Alembic script directory, so a new revision is tested without being
listed here; its sample rows go in tests/db/migration_samples.py, and the tests fail until they do.
"""

from __future__ import annotations

import pprint
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Engine, MetaData, column, inspect, select, text
from sqlalchemy import table as sa_table

import app.models  # noqa: F401 - every table on Base.metadata
from app.cli import alembic_config
from app.db import Base, make_engine
from tests.conftest import require_postgres, scratch_postgres
from tests.db.migration_samples import SAMPLES, Sample

SCRIPT = ScriptDirectory.from_config(alembic_config("sqlite://"))
CHAIN: list[Script] = list(reversed(list(SCRIPT.walk_revisions())))  # base → head
SAMPLES_FILE = "tests/db/migration_samples.py"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the parametrised kind."""
    selected = request.config.getoption("--database")
    if request.param != selected:
        pytest.skip(f"the {request.param} half runs with --database={request.param}")
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        with scratch_postgres(require_postgres(), "migrations") as url:
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


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- sample data ---------------------------------------------------------------------------------


def _sample(revision: Script) -> Sample:
    sample = SAMPLES.get(revision.revision)
    if sample is None:
        pytest.fail(f"revision {revision.revision} ({Path(revision.path).name}) has no sample data: "
                    f"add SAMPLES[{revision.revision!r}] to {SAMPLES_FILE}, with rows for the tables and "
                    f"columns it adds and the tables/columns its downgrade drops (see that file's docstring)")
    return sample


def _insert(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert through tables reflected from the database: the schema of this revision, not the models'."""
    with engine.begin() as conn:
        metadata = MetaData()
        metadata.reflect(conn, only=list(rows))
        for table in metadata.sorted_tables:  # parents first
            for row in rows.get(table.name, []):  # one by one: rows may leave out different columns
                conn.execute(table.insert(), row)


def _upgrade_with_samples(cfg: Config, engine: Engine, target: str) -> None:
    """Upgrade one revision at a time up to `target`, inserting each revision's sample rows."""
    if target == "base":
        return
    for revision in CHAIN:
        command.upgrade(cfg, revision.revision)
        _insert(engine, _sample(revision).rows)
        if revision.revision == target:
            return
    raise AssertionError(f"no revision {target}")


# --- what the database holds ---------------------------------------------------------------------


@dataclass
class Snapshot:
    schema: dict[str, dict[str, Any]]  # table → columns, keys, indexes, constraints
    rows: dict[str, list[dict[str, Any]]]  # table → rows in primary-key order

    def columns(self, table: str) -> set[str]:
        return set(self.schema[table]["columns"])


def _by_name(items: list[dict[str, Any]], *keys: str) -> list[tuple[str, ...]]:
    return sorted(tuple(repr(item.get(k)) for k in keys) for item in items)


def _snapshot(engine: Engine) -> Snapshot:
    """The schema as reflected, and every row as the driver returns it (no types, so no conversions)."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        found = {
            kind: {name: items for (_schema, name), items in multi().items() if name != "alembic_version"}
            for kind, multi in (("columns", inspector.get_multi_columns),
                                ("primary_key", inspector.get_multi_pk_constraint),
                                ("foreign_keys", inspector.get_multi_foreign_keys),
                                ("indexes", inspector.get_multi_indexes),
                                ("unique", inspector.get_multi_unique_constraints),
                                ("checks", inspector.get_multi_check_constraints))
        }
        schema = {
            name: {
                "columns": {c["name"]: (repr(c["type"]), c["nullable"], c.get("default")) for c in columns},
                "primary_key": (found["primary_key"][name]["name"],
                                found["primary_key"][name]["constrained_columns"]),
                "foreign_keys": _by_name(found["foreign_keys"][name], "name", "constrained_columns",
                                         "referred_table", "referred_columns", "options"),
                "indexes": _by_name(found["indexes"][name], "name", "column_names", "unique"),
                "unique": _by_name(found["unique"][name], "name", "column_names"),
                "checks": _by_name(found["checks"][name], "name", "sqltext"),
            }
            for name, columns in found["columns"].items()
        }
        rows = {}
        for name, info in schema.items():
            table = sa_table(name, *(column(c) for c in info["columns"]))
            query = select(table).order_by(*(table.c[c] for c in info["primary_key"][1]))
            rows[name] = [dict(row) for row in conn.execute(query).mappings()]
    return Snapshot(schema, rows)


def _lost(before: Snapshot, after: Snapshot) -> set[str]:
    """The tables ("table") and columns ("table.column") of `before` that `after` no longer has."""
    lost = set(before.schema) - set(after.schema)
    for table in set(before.schema) & set(after.schema):
        lost |= {f"{table}.{column}" for column in before.columns(table) - after.columns(table)}
    return lost


def _assert_rows_kept(before: Snapshot, after: Snapshot, step: str,
                      dropped: frozenset[str] = frozenset()) -> None:
    """Every row of `before` is in `after`, unchanged in the columns both have, but for `dropped` data.

    A table in `dropped` that `after` has again (re-created by an upgrade) must be empty.
    """
    for table in sorted(set(before.schema) & set(after.schema)):
        if table in dropped:
            assert after.rows[table] == [], f"{step}: {table} was dropped and re-created, yet has rows"
            continue
        columns = sorted(c for c in before.columns(table) & after.columns(table)
                         if f"{table}.{c}" not in dropped)
        kept = [{c: row[c] for c in columns} for row in after.rows[table]]
        expected = [{c: row[c] for c in columns} for row in before.rows[table]]
        assert kept == expected, f"{step}: the rows of {table} changed"


def _assert_same_schema(expected: Snapshot, actual: Snapshot, step: str) -> None:
    differing = sorted(t for t in set(expected.schema) | set(actual.schema)
                       if expected.schema.get(t) != actual.schema.get(t))
    both = {t: (expected.schema.get(t), actual.schema.get(t)) for t in differing}
    assert not differing, f"{step}: the schema differs in {differing}:\n" + pprint.pformat(both)


def _assert_sample_covers(revision: str, sample: Sample, before: Snapshot, after: Snapshot) -> None:
    """The sample rows of `revision` fill every table it creates and every column it adds."""
    new_tables = set(after.schema) - set(before.schema)
    missing = sorted(new_tables - set(sample.rows))
    new_columns = [(t, c) for t in sorted(set(before.schema) & set(after.schema))
                   for c in sorted(after.columns(t) - before.columns(t))]
    unset = [f"{t}.{c}" for t, c in new_columns
             if not any(row.get(c) is not None for row in sample.rows.get(t, []))]
    assert not missing and not unset, (
        f"revision {revision} creates tables {missing} and adds columns {unset} that SAMPLES[{revision!r}] "
        f"in {SAMPLES_FILE} gives no rows or no non-NULL value")


# --- the tests -----------------------------------------------------------------------------------


def test_single_head() -> None:
    heads = SCRIPT.get_heads()
    assert len(heads) == 1, f"migrations have several heads, merge them: {heads}"


def test_every_revision_has_sample_data() -> None:
    revisions = [r.revision for r in CHAIN]
    missing = [r for r in revisions if r not in SAMPLES]
    unknown = sorted(set(SAMPLES) - set(revisions))
    assert not missing, f"revisions without sample data: {missing}; add them to SAMPLES in {SAMPLES_FILE}"
    assert not unknown, f"SAMPLES in {SAMPLES_FILE} has entries for revisions that do not exist: {unknown}"


@pytest.mark.parametrize("revision", [r.revision for r in CHAIN])
def test_revision_up_down_up_keeps_data(empty_database: str, revision: str) -> None:
    """Upgrade to `revision` over the earlier revisions' data, add its own, then down one step and up.

    Data survives every step, except what the sample declares the downgrade drops; the downgrade
    restores the previous schema exactly, and upgrading again gives the same schema as the first time.
    """
    script = SCRIPT.get_revision(revision)
    sample = _sample(script)
    previous = script.down_revision or "base"
    assert isinstance(previous, str), "merge revisions are not supported here"
    cfg = _config(empty_database)
    engine = make_engine(empty_database)
    try:
        _upgrade_with_samples(cfg, engine, previous)
        below = _snapshot(engine)

        command.upgrade(cfg, revision)
        upgraded = _snapshot(engine)
        _assert_rows_kept(below, upgraded, f"upgrade {previous} → {revision}")
        _assert_sample_covers(revision, sample, below, upgraded)

        _insert(engine, sample.rows)
        full = _snapshot(engine)
        command.downgrade(cfg, previous)
        down = _snapshot(engine)
        _assert_same_schema(below, down, f"downgrade {revision} → {previous}")
        assert _lost(full, down) == set(sample.lost_on_downgrade), (
            f"downgrade {revision} → {previous} drops other data than "
            f"SAMPLES[{revision!r}].lost_on_downgrade says")
        _assert_rows_kept(full, down, f"downgrade {revision} → {previous}")

        command.upgrade(cfg, revision)
        again = _snapshot(engine)
        _assert_same_schema(full, again, f"upgrade {previous} → {revision} after a downgrade")
        _assert_rows_kept(full, again, f"upgrade {previous} → {revision} after a downgrade",
                          dropped=sample.lost_on_downgrade)
        assert _revision(engine) == revision
    finally:
        engine.dispose()


def _leftovers(engine: Engine) -> list[tuple[str, str]]:
    """Everything in the database but Alembic's own version table."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.execute(text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        else:
            found = conn.execute(text(
                "SELECT relkind::text, relname::text FROM pg_class "
                "WHERE relnamespace = current_schema()::regnamespace "
                "UNION ALL SELECT typtype::text, typname::text FROM pg_type "
                "WHERE typnamespace = current_schema()::regnamespace AND typrelid = 0 AND typelem = 0"))
        return sorted((kind, name) for kind, name in found if not name.startswith("alembic_version"))


def test_head_matches_the_models_and_base_is_empty_again(empty_database: str) -> None:
    """Up to head over every revision's data, down to base (an empty database), and up again."""
    url = empty_database
    cfg = _config(url)
    head = SCRIPT.get_current_head()
    assert head is not None
    engine = make_engine(url)
    try:
        _upgrade_with_samples(cfg, engine, head)
        assert _revision(engine) == head
        assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
        diffs = _model_differences(cfg)
        assert not diffs, "the newest migration does not match the models:\n" + pprint.pformat(diffs)

        command.downgrade(cfg, "base")
        assert _revision(engine) is None
        assert _leftovers(engine) == []

        command.upgrade(cfg, "head")
        assert _revision(engine) == head
        assert not _model_differences(cfg)
    finally:
        engine.dispose()


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


def test_existing_client_ratings_get_the_author_of_their_log(empty_database: str) -> None:
    """0019 copies each answer's log author onto the answer: two authors, answers on both."""
    cfg = _config(empty_database)
    engine = make_engine(empty_database)
    try:
        _upgrade_with_samples(cfg, engine, "0018")  # answers 1 and 2 are about log 1, by user 1
        log = {**SAMPLES["0002"].rows["practice_logs"][0], "id": 30, "author_id": 2,
               "submission_key": "30000000-0000-4000-8000-000000000030"}
        rating = {**SAMPLES["0016"].rows["client_ratings"][0], "id": 30, "log_id": 30}
        _insert(engine, {"practice_logs": [log], "client_ratings": [rating]})
        command.upgrade(cfg, "0019")
        with engine.connect() as conn:
            authors = dict(conn.execute(text("SELECT id, author_id FROM client_ratings")).all())
    finally:
        engine.dispose()
    assert authors == {1: 1, 2: 1, 30: 2}


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
