"""Every access rule in one place: roles, permission predicates, default-deny and headers."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.extensions import login_manager
from app.teams.models import Membership, OrganisationRole, Team

# Endpoints reachable without signing in; everything else is refused to anonymous visitors.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.login",
        "auth.forgot_password",
        "auth.reset_password",
        "auth.accept_invitation",
        "main.set_language",
        "main.health",
    }
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

F = TypeVar("F", bound=Callable[..., Any])


# --- roles -----------------------------------------------------------------------------------


def org_roles(user: User) -> frozenset[str]:
    """The organisation-wide roles of `user` (admin, privacy_officer), cached for the request."""
    cache: dict[int, frozenset[str]] = g.setdefault("_org_roles", {})
    if user.id not in cache:
        rows = db.session.scalars(select(OrganisationRole.role).where(OrganisationRole.user_id == user.id))
        cache[user.id] = frozenset(rows)
    return cache[user.id]


def is_admin(user: User) -> bool:
    return "admin" in org_roles(user)


def is_privacy_officer(user: User) -> bool:
    return "privacy_officer" in org_roles(user)


def team_roles(user: User, team: Team) -> set[str]:
    """The current roles of `user` in `team` (practitioner, lead)."""
    rows = db.session.scalars(
        select(Membership.role).where(
            Membership.user_id == user.id,
            Membership.team_id == team.id,
            Membership.ended_on.is_(None),
        )
    )
    return set(rows)


# --- permission predicates -------------------------------------------------------------------


def can_manage_organisation(user: User, organisation_id: int) -> bool:
    """Admins manage users, teams, roles and coaching of their own organisation only."""
    return user.organisation_id == organisation_id and is_admin(user)


def same_organisation(user: User, obj: Any) -> bool:
    return getattr(obj, "organisation_id", None) == user.organisation_id


def require(allowed: bool, *, hide: bool = True) -> None:
    """Abort unless allowed: 404 for an object (do not reveal it exists), 403 for a page."""
    if not allowed:
        abort(404 if hide else 403)


def admin_required(view: F) -> F:
    """A page for the organisation's admins; anyone else gets 403."""
    from functools import wraps

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require(can_manage_organisation(current_user, current_user.organisation_id), hide=False)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


# --- sign-in state ---------------------------------------------------------------------------


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The id in the cookie is "<id>.<session token>": a rotated token ends old copies."""
    raw_id, _sep, token = user_id.partition(".")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start_session(user: User) -> None:
    """Record when this signed-in session began, for the idle and absolute timeouts."""
    now = time.time()
    session["started_at"] = now
    session["seen_at"] = now
    session.permanent = False


def _session_expired() -> bool:
    now = time.time()
    started = session.get("started_at", 0)
    seen = session.get("seen_at", 0)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    return now - seen > idle or now - started > absolute


def _default_deny() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if current_user.is_authenticated:
        if _session_expired():
            logout_user()
            session.clear()
            flash(_("You were signed out because your session expired. Please sign in again."), "info")
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        session["seen_at"] = time.time()
        return None
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint is None:
        return None  # 404/405 handled by the error pages
    return login_manager.unauthorized()


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user.is_authenticated:
        headers.setdefault("Cache-Control", "no-store")
    return response


def register_security(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # type: ignore[assignment]
    login_manager.session_protection = "basic"
    app.before_request(_default_deny)
    app.after_request(_security_headers)
