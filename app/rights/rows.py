"""What each kind of the personal-data ZIP is made of: plain rows, and a table row's own columns."""

from __future__ import annotations

from typing import Any

Rows = list[dict[str, Any]]


def columns(row: Any, *leave_out: str) -> dict[str, Any]:
    """A mapped row's columns by name, without those named in `leave_out`."""
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in leave_out}


def name_of(user: Any) -> str | None:
    """Someone's name as the app shows it; None for nobody or a deleted account."""
    return (user.display_name or None) if user is not None else None
