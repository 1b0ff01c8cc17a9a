"""Worker processes for test_sqlite_concurrency (a module of its own: spawned children import it)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, text
from sqlalchemy.exc import OperationalError

# Not on the app's Base: the test creates it in its own file.
rows = Table(
    "concurrency_rows", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("worker", Integer, nullable=False),
)


def run_worker(
    phases: list[tuple[str, str]], worker: int, transactions: int, start: Any, results: Any
) -> None:
    """For each (url, mode) phase, run `transactions` read-then-write transactions the app's way.

    Each transaction reads max(n) and inserts max(n) + 1. Mode "write" uses `db.session` in an
    app context (the app's write session: BEGIN IMMEDIATE); mode "read" uses a read session
    (BEGIN DEFERRED), the negative control. Reports (mode, worker, errors, seconds) per phase.
    """
    from app import create_app
    from app.db import db
    from config import TestingConfig

    for url, mode in phases:

        class Settings(TestingConfig):
            DATABASE_URL = url

        app = create_app(Settings())
        errors: list[str] = []
        with app.app_context():
            session = db.session if mode == "write" else db.new_session(write=False)
            session.execute(text("SELECT 1"))  # connect before the start line
            session.rollback()
            start.wait(timeout=60)
            began = time.perf_counter()
            for _ in range(transactions):
                try:
                    n = session.execute(select(func.coalesce(func.max(rows.c.n), 0))).scalar_one()
                    session.execute(insert(rows).values(n=n + 1, worker=worker))
                    session.commit()
                except OperationalError as exc:
                    session.rollback()
                    errors.append(str(exc.orig))
            elapsed = time.perf_counter() - began
            session.close()
        app.extensions["db"]["engine"].dispose()
        results.put((mode, worker, errors, elapsed))
