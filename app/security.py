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
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.db import db, utcnow
from app.extensions import login_manager
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team

# Endpoints reachable without signing in; everything else is refused to anonymous visitors.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "favicon",
        "auth.login",
        "auth.second_factor",
        "auth.forgot_password",
        "auth.reset_password",
        "auth.accept_invitation",
        "main.set_language",
        "main.health",
        "privacy.statement",
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


# --- permission predicates -------------------------------------------------------------------


def can_manage_organisation(user: User, organisation_id: int) -> bool:
    """Admins manage users, teams, roles and coaching of their own organisation only."""
    return user.organisation_id == organisation_id and is_admin(user)


def can_appoint_as_coach(actor: User, coach: User) -> bool:
    """Nobody makes themselves a coach: a coach reads the coachee's logs, so an admin who could
    appoint themselves would give themselves that access. Another admin has to do it."""
    return actor.id != coach.id


def same_organisation(user: User, obj: Any) -> bool:
    return getattr(obj, "organisation_id", None) == user.organisation_id


def can_manage_catalogue(user: User, organisation_id: int) -> bool:
    """The element catalogue is managed by the organisation's admins."""
    return can_manage_organisation(user, organisation_id)


def is_coach_of(coach: User, coachee_id: int) -> bool:
    """True while a coaching assignment coach -> coachee runs; an ended one gives no access."""
    now = utcnow()
    running = db.session.scalar(
        select(CoachAssignment.id).where(
            CoachAssignment.coach_id == coach.id,
            CoachAssignment.coachee_id == coachee_id,
            CoachAssignment.organisation_id == coach.organisation_id,
            CoachAssignment.runs_at(now),
        ).limit(1)
    )
    return running is not None


def can_read_log(user: User, log: Any) -> bool:
    """A practice log is read by its author, and by the author's running coach unless private."""
    if not same_organisation(user, log):
        return False
    if log.author_id == user.id:
        return True
    return not log.private and is_coach_of(user, log.author_id)


def can_change_log(user: User, log: Any) -> bool:
    """Only the author edits, deletes or marks a practice log private."""
    return same_organisation(user, log) and log.author_id == user.id


def can_read_logs_of(user: User, author: User) -> bool:
    """The list of someone's (non-private) logs: the author, or their running coach."""
    if author.organisation_id != user.organisation_id:
        return False
    return author.id == user.id or is_coach_of(user, author.id)


# --- reflection: reflections, prompts, schedules, group sessions (reflection.md, privacy.md) ---


def leads_team(user: User, team_id: int) -> bool:
    """True while `user` has a running lead membership of the team."""
    row = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.team_id == team_id,
            Membership.role == "lead", Membership.ended_on.is_(None),
        ).limit(1)
    )
    return row is not None


def coaches_member_of(user: User, team_id: int) -> bool:
    """True while `user` coaches (running assignment) someone who is a current member of the team."""
    now = utcnow()
    row = db.session.scalar(
        select(CoachAssignment.id)
        .join(Membership, Membership.user_id == CoachAssignment.coachee_id)
        .where(
            CoachAssignment.coach_id == user.id,
            CoachAssignment.organisation_id == user.organisation_id,
            CoachAssignment.runs_at(now),
            Membership.team_id == team_id, Membership.ended_on.is_(None),
        ).limit(1)
    )
    return row is not None


def can_guide_team(user: User, team: Team) -> bool:
    """Team rhythms and group sessions are set up by the team's lead or a coach of a member."""
    return same_organisation(user, team) and (leads_team(user, team.id) or coaches_member_of(user, team.id))


def can_read_reflection(user: User, reflection: Any) -> bool:
    """The author, or a coach the author shared it with (not withdrawn) while the coaching runs.

    A lead or an admin never reads reflection text (privacy.md).
    """
    from app.reflection.models import ReflectionShare

    if not same_organisation(user, reflection):
        return False
    if reflection.author_id == user.id:
        return True
    shared = db.session.scalar(
        select(ReflectionShare.id).where(
            ReflectionShare.reflection_id == reflection.id,
            ReflectionShare.coach_id == user.id,
            ReflectionShare.withdrawn_at.is_(None),
        )
    )
    return shared is not None and is_coach_of(user, reflection.author_id)


def can_change_reflection(user: User, reflection: Any) -> bool:
    """Only the author edits, deletes, shares or withdraws a reflection."""
    return same_organisation(user, reflection) and reflection.author_id == user.id


def can_share_reflection_with(user: User, reflection: Any, coach: User) -> bool:
    """The author shares with one of their own running coaches, one at a time."""
    return can_change_reflection(user, reflection) and is_coach_of(coach, reflection.author_id)


def can_answer_prompt(user: User, prompt: Any) -> bool:
    """A prompt is for its one recipient: only they see, answer, snooze or dismiss it."""
    return bool(prompt.user_id == user.id)


def can_manage_schedule(user: User, schedule: Any) -> bool:
    """A personal rhythm is its owner's; a team's is managed by whoever may guide the team."""
    if not same_organisation(user, schedule):
        return False
    if schedule.owner_id is not None:
        return bool(schedule.owner_id == user.id)
    return schedule.team is not None and can_guide_team(user, schedule.team)


def _group_participant(user: User, group_session: Any) -> bool:
    from app.groups.models import GroupParticipant

    row = db.session.scalar(
        select(GroupParticipant.id).where(
            GroupParticipant.session_id == group_session.id, GroupParticipant.user_id == user.id
        )
    )
    return row is not None


def can_read_group_session(user: User, group_session: Any) -> bool:
    """Participants, whoever recorded it, and the team's lead see the session (not others' notes)."""
    if not same_organisation(user, group_session):
        return False
    return (
        group_session.created_by_id == user.id
        or _group_participant(user, group_session)
        or leads_team(user, group_session.team_id)
    )


def can_change_group_session(user: User, group_session: Any) -> bool:
    """Whoever recorded it, or the team's lead, corrects or deletes the session record."""
    if not same_organisation(user, group_session):
        return False
    return group_session.created_by_id == user.id or leads_team(user, group_session.team_id)


def can_write_group_notes(user: User, group_session: Any) -> bool:
    """Each participant writes (and alone reads) their own learning question and notes."""
    return same_organisation(user, group_session) and _group_participant(user, group_session)


# --- second factor and the access log (privacy.md) ------------------------------------------


def needs_second_factor(user: User) -> bool:
    """Admins, privacy officers, leads (a running lead membership) and coaches (a running
    assignment) sign in with a second factor; everyone does where the organisation asks it."""
    if user.organisation.second_factor_for_all:
        return True
    if org_roles(user):
        return True
    now = utcnow()
    leads = exists().where(Membership.user_id == user.id, Membership.role == "lead",
                           Membership.ended_on.is_(None))
    coaches = exists().where(CoachAssignment.coach_id == user.id, CoachAssignment.runs_at(now))
    return bool(db.session.scalar(select(or_(leads, coaches))))


def can_reset_second_factor(actor: User, user: User) -> bool:
    """An admin resets a colleague's second factor (a lost phone); never their own: another admin
    must, or an admin could take away the factor that guards their own account unseen."""
    return actor.id != user.id and can_manage_organisation(actor, user.organisation_id)


def can_read_access_log(user: User, second_factor: bool) -> bool:
    """The access log is read by the organisation's privacy officer alone, and only in a session
    that was opened with a second factor (the rows shown are always of their own organisation)."""
    return second_factor and "privacy_officer" in org_roles(user)


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


def load_user(user_id: str) -> User | None:
    """The id in the cookie is "<id>.<session token>": a rotated token ends old copies."""
    raw_id, _sep, token = user_id.partition(".")
    if not raw_id.isdigit():
        return None
    # With the organisation: its catalogue revision keys the log form's catalogue (one query).
    user = db.session.get(User, int(raw_id), options=[joinedload(User.organisation)])
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


# Registered by a call, not as a decorator: Flask-Login is untyped, and its decorator would leave
# load_user untyped too.
login_manager.user_loader(load_user)


def start_session(user: User, *, second_factor: bool) -> None:
    """Record when this signed-in session began (for the idle and absolute timeouts), and whether
    it was opened with a second factor."""
    now = time.time()
    session["started_at"] = now
    session["seen_at"] = now
    session["second_factor"] = second_factor
    session.permanent = False


def signed_in_with_second_factor() -> bool:
    return bool(session.get("second_factor"))


# What someone who must set up a second factor can reach before they have.
SETUP_ENDPOINTS = PUBLIC_ENDPOINTS | {"auth.second_factor_setup", "auth.logout"}


def _session_expired() -> bool:
    now = time.time()
    started: float = session.get("started_at", 0)
    seen: float = session.get("seen_at", 0)
    idle: int = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute: int = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    return now - seen > idle or now - started > absolute


def _return_path() -> str | None:
    """Where to go after signing in again: this page, or for a form post the page of the form."""
    from urllib.parse import urlsplit

    from app.views import safe_next

    if request.method == "GET":
        return request.full_path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def _default_deny() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if current_user.is_authenticated:
        if _session_expired():
            from app.privacy.services import record_access

            record_access(current_user, "self", "sign_out", "user", current_user.id,
                          subject_id=current_user.id, detail="session expired")
            db.session.commit()  # this request's one write: it ends here
            logout_user()
            session.clear()
            flash(_("You were signed out because your session expired. Please sign in again."), "info")
            return redirect(url_for("auth.login", next=_return_path()))
        session["seen_at"] = time.time()
        if (not signed_in_with_second_factor() and endpoint not in SETUP_ENDPOINTS
                and needs_second_factor(current_user)):
            return redirect(url_for("auth.second_factor_setup", next=_return_path()))
        return None
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint is None:
        return None  # 404/405 handled by the error pages
    refused: ResponseReturnValue = login_manager.unauthorized()
    return refused


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
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    app.before_request(_default_deny)
    app.after_request(_security_headers)
