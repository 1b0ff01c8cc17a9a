"""Small helpers every blueprint's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import flash, redirect, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.db import db
from app.services import ServiceError

T = TypeVar("T")


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


def form_error(form: FlaskForm, exc: ServiceError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def commit_or_refuse(
    form: FlaskForm | None,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    redirect_to: str | Callable[[T], str],
    *,
    field: str | None = None,
) -> Response | None:
    """Run `action` (a service call) as the request's one write; the redirect when saved, else None.

    Saved: commit, flash `success` and redirect to `redirect_to` (either may be a function of what
    `action` returned). Refused (ServiceError): roll back whatever the call flushed, so nothing is
    half-saved, and show the message on `form` (on `field` when given, else on the field the error
    names, else above the form), or flash it when there is no form. The caller then renders the
    form again (its errors make that a 400) or redirects.
    """
    try:
        result = action()
    except ServiceError as exc:
        db.session.rollback()
        if form is None:
            flash(exc.message, "error")
        else:
            form_error(form, ServiceError(exc.message, field) if field else exc)
        return None
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def page_number() -> int:
    raw = request.args.get("page", "1")
    # ASCII digits only, and not so many that int() refuses them: anything else is page 1.
    return max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1



def commit_access_record(record: Callable[[], object]) -> None:
    """Record access to someone else's data during a read: the service's access-log row is written
    at the end of the request, in a short write of its own (app.privacy.services.write_pending)."""
    record()
