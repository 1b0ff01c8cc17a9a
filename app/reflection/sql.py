"""Small SQL helpers shared by the reflection writers: dialect-aware upserts, typed rowcounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite

from app.db import db


def dialect_insert(table: Any) -> Any:
    """INSERT for the session's database, so on_conflict_do_nothing/_do_update work on both."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def cast_result(result: Result[Any]) -> CursorResult[Any]:
    """An INSERT/UPDATE/DELETE result, typed so that its rowcount can be read."""
    assert isinstance(result, CursorResult)
    return result
