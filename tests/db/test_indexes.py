"""Indexes the schema comparisons cannot see on SQLite: an index on an expression.

SQLite reflects no index on an expression, so test_migrations.py compares ix_users_org_name on
PostgreSQL only. Here it is checked on both, and on SQLite that the admin's list of accounts reads
the accounts in its order instead of sorting them. (A SQLite batch migration that rebuilds `users`
would drop the index without a word: this test says so.)
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, text

from app.db import db
from app.teams.queries import users_page


def test_the_accounts_by_name_index_exists_after_the_migrations(app: Flask) -> None:
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        query = ("SELECT sql FROM sqlite_master WHERE name = :name" if sqlite
                 else "SELECT indexdef FROM pg_indexes WHERE indexname = :name")
        found = db.session.scalar(text(query), {"name": "ix_users_org_name"})
    assert found is not None, "ix_users_org_name is missing"
    assert "lower(" in found and "display_name" in found and "deleted_at IS NULL" in found, found


def test_the_list_of_accounts_reads_them_in_order_on_sqlite(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite-only; PostgreSQL picks its plan by the table's size")
        listed: list[tuple[str, Any]] = []

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
            if "ORDER BY lower(users.display_name)" in statement:
                listed.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            users_page(1, 1)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        statement, parameters = listed[0]
        rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    plan = " | ".join(row[3] for row in rows)
    assert "ix_users_org_name" in plan and "TEMP B-TREE" not in plan, plan


def test_the_log_forms_defaults_read_the_latest_log_alone_on_sqlite(app: Flask) -> None:
    """The log form's defaults come from the author's latest written log: read on the author's
    index by creation, not by sorting all their logs (three years of practice: some 750)."""
    from app.practice.queries import last_context

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite-only; PostgreSQL picks its plan by the table's size")
        caught: list[tuple[str, Any]] = []

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
            caught.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            last_context(1)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        statement, parameters = next((s, p) for s, p in caught if "ORDER BY practice_logs.created_at" in s)
        rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    plan = " | ".join(row[3] for row in rows)
    assert "ix_practice_logs_author_created" in plan and "TEMP B-TREE" not in plan, plan
