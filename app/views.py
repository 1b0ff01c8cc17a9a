"""Small helpers every blueprint's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm

from app.db import db


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash and drop tabs and newlines, so both are refused.
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def form_error(form: FlaskForm, exc: Any) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = getattr(form, exc.field, None) if getattr(exc, "field", None) else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def page_number() -> int:
    raw = request.args.get("page", "1")
    # ASCII digits only, and not so many that int() refuses them: anything else is page 1.
    return max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


def commit_access_record(record: Callable[[], object]) -> None:
    """Write an access-log row from a GET view and commit it.

    A GET reads in a DEFERRED transaction on SQLite; turning it into a write fails under
    concurrency ("database is locked"), so the row is written in a write transaction of its own.
    """
    db.begin_write()
    record()
    db.session.commit()
