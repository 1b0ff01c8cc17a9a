"""Small SQL helpers shared by the reflection writers: typed rowcounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def cast_result(result: Result[Any]) -> CursorResult[Any]:
    """An INSERT/UPDATE/DELETE result, typed so that its rowcount can be read."""
    assert isinstance(result, CursorResult)
    return result
