"""Throw-away PostgreSQL databases, so a test never touches the suite's shared `test` database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import require_postgres


def _admin_engine(url: str) -> Engine:
    # CREATE/DROP DATABASE cannot run in a transaction block.
    return create_engine(url, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A new, empty database next to the test database (skips or fails like require_postgres).

    The name carries the process id, so two runs at the same time do not clash; the database is
    dropped afterwards, even when connections are still open.
    """
    base = require_postgres()
    name = f"{prefix}_{os.getpid()}"
    admin = _admin_engine(base)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
