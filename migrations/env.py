"""Alembic environment: the app's models are the target; batch mode keeps SQLite ALTERs working."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

import app.models  # noqa: F401 - registers every table on Base.metadata
from app.db import Base, UTCDateTime, make_engine

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from config import config_for

    return config_for().DATABASE_URL


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=Base.metadata, render_as_batch=True,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _render_item(type_: str, obj: object, _ctx: object) -> str | bool:
    # Migrations stay independent of app code: the UTC type is a plain timezone-aware DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # On SQLite a batch migration re-creates the table: it copies the rows to a new table, drops
    # the old one and renames the new one. With foreign keys enforced, that DROP first deletes the
    # rows, which fails when other tables refer to them, or silently deletes the referring rows
    # where those cascade. So, as SQLite's own recipe for altering a table says: foreign keys off
    # (a PRAGMA that only works outside a transaction), everything in one transaction, and a
    # foreign key check before it commits.
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            render_item=_render_item,
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
            # app.db.make_engine lets SQLAlchemy emit BEGIN itself, so DDL is transactional on
            # SQLite too; without it, Alembic commits after each revision.
            transactional_ddl=True if sqlite else None,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _check_foreign_keys(connection)
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection) -> None:  # type: ignore[no-untyped-def]
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError("the migration leaves rows with dangling foreign keys "
                           f"(table, rowid, parent, key): {[tuple(row) for row in broken[:20]]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
