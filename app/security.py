"""Every access rule in one place: roles, permission predicates, default-deny and headers."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, cast

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, exists, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.db import UTCDateTime, db, utcnow
from app.extensions import login_manager
from app.teams.models import ORG_ROLES, CoachAssignment, Membership, OrganisationRole, Team

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
        # Client voice: the one-time link a young person or parent opens without an account.
        "clientvoice.answer_link",
        "clientvoice.link_thanks",
    }
)

# What a session in hand-over (client voice) may still reach: the client's form and thank-you
# page, the password page that ends it, and signing out. Every other URL asks for the password.
HANDOVER_ENDPOINTS = frozenset(
    {"static", "favicon", "clientvoice.handover_form", "clientvoice.handover_thanks",
     "clientvoice.unlock", "auth.logout"}
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Chart pages: plotly.js sets a few style attributes while it draws (colour bars, image-rendering
# tests). Style attributes run no script; style elements and sheets stay 'self', scripts too.
CHART_CSP = CSP + "; style-src-attr 'unsafe-inline'"

F = TypeVar("F", bound=Callable[..., Any])


# --- roles -----------------------------------------------------------------------------------


def org_roles(user: User) -> frozenset[str]:
    """The organisation-wide roles of `user` (admin, privacy_officer), cached for the request."""
    cache: dict[int, frozenset[str]] = g.setdefault("_org_roles", {})
    if user.id not in cache:
        cache[user.id] = frozenset(db.session.scalars(_ORG_ROLES, {"user_id": user.id}))
    return cache[user.id]


_ORG_ROLES = select(OrganisationRole.role).where(  # org_roles' statement, built once per process
    OrganisationRole.user_id == bindparam("user_id", type_=Integer))


def remember_org_roles(user: User, roles: frozenset[str]) -> None:
    """Roles read along with something else (the menu's one query) count for the whole request."""
    g.setdefault("_org_roles", {}).setdefault(user.id, roles)


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


def coached_now(coach: User, coachee_ids: Iterable[int]) -> frozenset[int]:
    """Of these people, those `coach` coaches now (a running assignment in the coach's
    organisation); an ended assignment gives no access. One query for any number of them."""
    wanted = set(coachee_ids)
    if not wanted:
        return frozenset()
    known: frozenset[int] | None = g.get("_coachees_now", {}).get(coach.id)
    if known is not None:
        return frozenset(wanted & known)
    return frozenset(db.session.scalars(_COACHED_NOW, {
        "coach_id": coach.id, "coachee_ids": sorted(wanted), "organisation_id": coach.organisation_id,
        "now": utcnow(),
    }))


def coachee_ids_now(coach_id: Any, organisation_id: Any, now: Any) -> Select[int]:
    """SQL: the ids of the people `coach_id` coaches at `now` (values or bindparams): a running
    assignment in the coach's organisation. The rule of coached_now, for lists that name them."""
    return select(CoachAssignment.coachee_id).where(
        CoachAssignment.coach_id == coach_id, CoachAssignment.organisation_id == organisation_id,
        CoachAssignment.runs_at(now))


# coached_now's query, built once per process (each call only binds its values).
_COACHED_NOW = coachee_ids_now(
    bindparam("coach_id", type_=Integer), bindparam("organisation_id", type_=Integer),
    bindparam("now", type_=UTCDateTime),
).where(CoachAssignment.coachee_id.in_(bindparam("coachee_ids", expanding=True)))


def remember_coachees(coach: User, coachee_ids: Iterable[int]) -> None:
    """Everyone `coach` coaches now, read by coachee_ids_now along with something else (the coach's
    list of coachees, on a page that changes no coaching): coached_now asks no query of them for
    the rest of the request."""
    g.setdefault("_coachees_now", {})[coach.id] = frozenset(coachee_ids)


def is_coach_of(coach: User, coachee_id: int) -> bool:
    """True while a coaching assignment coach -> coachee runs; an ended one gives no access."""
    return coachee_id in coached_now(coach, [coachee_id])


def coaching_runs(coach_id: Any, coachee_id: Any, now: datetime) -> ColumnElement[bool]:
    """SQL: `coach_id` coaches `coachee_id` at `now` (ids or columns); for queries that filter
    what a coach may still see, such as their notifications."""
    return exists().where(CoachAssignment.coach_id == coach_id, CoachAssignment.coachee_id == coachee_id,
                          CoachAssignment.runs_at(now))


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
    return can_read_logs_of_all(user, [author])


def can_read_logs_of_all(user: User, authors: Sequence[User]) -> bool:
    """can_read_logs_of for every one of `authors` (one query however many there are)."""
    if any(author.organisation_id != user.organisation_id for author in authors):
        return False
    others = {author.id for author in authors if author.id != user.id}
    return others <= coached_now(user, others)


# --- reflection: reflections, prompts, schedules, group sessions (reflection.md, privacy.md) ---


def _member_as(user_id: Any, team_id: Any, role: str) -> ColumnElement[bool]:
    """SQL: `user_id` has a running membership of the team in `role` (ids, columns or parameters)."""
    return exists().where(Membership.user_id == user_id, Membership.team_id == team_id,
                          Membership.role == role, Membership.ended_on.is_(None))


def _coaches_member(user_id: Any, organisation_id: Any, team_id: Any, now: Any) -> ColumnElement[bool]:
    """SQL: `user_id` coaches (running assignment in their organisation) a current member of the team."""
    return exists().where(
        CoachAssignment.coach_id == user_id, CoachAssignment.organisation_id == organisation_id,
        CoachAssignment.runs_at(now), Membership.user_id == CoachAssignment.coachee_id,
        Membership.team_id == team_id, Membership.ended_on.is_(None),
    )


def leads_team(user: User, team_id: int) -> bool:
    """True while `user` has a running lead membership of the team."""
    return bool(db.session.scalar(select(_member_as(user.id, team_id, "lead"))))


def coaches_member_of(user: User, team_id: int) -> bool:
    """True while `user` coaches (running assignment) someone who is a current member of the team."""
    return bool(db.session.scalar(select(_coaches_member(user.id, user.organisation_id, team_id, utcnow()))))


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


# --- coaching: feedback, observations, learning goals, notifications (privacy.md) ----------


def _log_request_open(coach_id: int, log_id: int) -> bool:
    from app.coaching.models import FeedbackRequest

    row = db.session.scalar(
        select(FeedbackRequest.id).where(
            FeedbackRequest.practice_log_id == log_id, FeedbackRequest.coach_id == coach_id,
            FeedbackRequest.withdrawn_at.is_(None),
        )
    )
    return row is not None


def can_ask_feedback_on_log(user: User, log: Any, coach: User) -> bool:
    """The author asks one of their running coaches for feedback on a log the coach may read."""
    return (
        can_change_log(user, log) and not log.private
        and coach.organisation_id == user.organisation_id and is_coach_of(coach, log.author_id)
    )


def can_give_feedback_on_log(user: User, log: Any) -> bool:
    """A running coach of the author, while the author asks them and the log is not private."""
    return log.author_id != user.id and can_read_log(user, log) and _log_request_open(user.id, log.id)


def can_give_feedback_on_reflection(user: User, reflection: Any) -> bool:
    """Sharing a reflection with a coach is asking them for feedback; withdrawing ends it."""
    return reflection.author_id != user.id and can_read_reflection(user, reflection)


def can_read_feedback(user: User, feedback: Any) -> bool:
    """The practitioner always (also after the coaching ended); the coach who wrote it only while
    the coaching runs and the item is still shared with them. Nobody else (no lead, no admin)."""
    if not same_organisation(user, feedback):
        return False
    if feedback.practitioner_id == user.id:
        return True
    if feedback.coach_id != user.id:
        return False
    if feedback.item_kind == "log":
        return feedback.practice_log is not None and can_give_feedback_on_log(user, feedback.practice_log)
    return feedback.reflection is not None and can_give_feedback_on_reflection(user, feedback.reflection)


def can_reply_to_feedback(user: User, feedback: Any) -> bool:
    """Both sides reply while the coach can read the thread (a former coach would never see it)."""
    coach = feedback.coach
    return coach is not None and can_read_feedback(user, feedback) and can_read_feedback(coach, feedback)


def can_acknowledge_feedback(user: User, feedback: Any) -> bool:
    """Only the practitioner says "seen" or "I will try this" (and so makes it a learning goal)."""
    return same_organisation(user, feedback) and feedback.practitioner_id == user.id


def can_observe(user: User, coachee: User) -> bool:
    """A running coach records observations of their coachee's sessions."""
    return coachee.organisation_id == user.organisation_id and coachee.id != user.id \
        and is_coach_of(user, coachee.id)


def can_read_observation(user: User, observation: Any) -> bool:
    """The observed practitioner always; the observing coach while the coaching runs; no one else."""
    if not same_organisation(user, observation):
        return False
    if observation.practitioner_id == user.id:
        return True
    return bool(observation.coach_id == user.id) and is_coach_of(user, observation.practitioner_id)


def can_comment_on_observation(user: User, observation: Any) -> bool:
    """Both sides comment while the observing coach can still read it."""
    coach = observation.coach
    return coach is not None and can_read_observation(user, observation) \
        and can_read_observation(coach, observation)


def can_read_goal(user: User, goal: Any) -> bool:
    """Learning goals: their owner, and the owner's running coaches (privacy.md); no lead, no admin."""
    if not same_organisation(user, goal):
        return False
    return bool(goal.owner_id == user.id) or is_coach_of(user, goal.owner_id)


def can_change_goal(user: User, goal: Any) -> bool:
    """Only the owner edits a goal, sets its status, or accepts or declines a coach's proposal."""
    return same_organisation(user, goal) and goal.owner_id == user.id


def can_propose_goal(user: User, coachee: User) -> bool:
    """A running coach proposes a learning goal; it counts only once the coachee accepts it."""
    return can_observe(user, coachee)


def can_comment_on_goal(user: User, goal: Any) -> bool:
    """The owner and their running coaches talk about a goal."""
    return can_read_goal(user, goal)


def can_open_notification(user: User, notification: Any) -> bool:
    """A notification is for its one recipient."""
    return bool(notification.user_id == user.id)


# --- dashboards (privacy.md: who sees which dashboard; metrics.md for what they show) ---------


def is_practitioner_of(user: User, team_id: int) -> bool:
    """True while `user` has a running practitioner membership of the team."""
    return bool(db.session.scalar(select(_member_as(user.id, team_id, "practitioner"))))


@dataclass(frozen=True)
class TeamTies:
    """How a user stands to one team now: leads_team, is_practitioner_of, coaches_member_of."""

    lead: bool = False
    practitioner: bool = False
    coach: bool = False


# One statement for any number of teams, built once: the user's ties to each team and, along with
# them, the user's organisation roles (so is_admin needs no query of its own in that request).
_user: BindParameter[int] = bindparam("user_id")
_organisation: BindParameter[int] = bindparam("organisation_id")
_now: BindParameter[datetime] = bindparam("now")
_TEAM_TIES = select(
    Team.id, _member_as(_user, Team.id, "lead"), _member_as(_user, Team.id, "practitioner"),
    _coaches_member(_user, _organisation, Team.id, _now),
    *(exists().where(OrganisationRole.user_id == _user, OrganisationRole.role == role) for role in ORG_ROLES),
).where(Team.id.in_(bindparam("team_ids", expanding=True)))


# The same ties read along with one team's row (a dashboard page reads both).
_TEAM_WITH_TIES = select(Team, *list(_TEAM_TIES.selected_columns)[1:]).where(Team.id == bindparam("team_id"))


def _ties_cache() -> dict[tuple[int, int], TeamTies]:
    cache: dict[tuple[int, int], TeamTies] = g.setdefault("_team_ties", {})
    return cache


def _keep_ties(user: User, team_id: int, lead: Any, practitioner: Any, coach: Any) -> None:
    _ties_cache()[user.id, team_id] = TeamTies(bool(lead), bool(practitioner), bool(coach))


def _remember_ties(user: User, team_id: int, lead: Any, practitioner: Any, coach: Any,
                   has_role: Sequence[Any]) -> None:
    _keep_ties(user, team_id, lead, practitioner, coach)
    remember_org_roles(user, frozenset(r for r, has in zip(ORG_ROLES, has_role, strict=True) if has))


def team_ties(user: User, team_ids: Iterable[int]) -> dict[int, TeamTies]:
    """The user's ties to each of these teams, read in one query and kept for the request (a team
    that does not exist has none). The dashboard rules below ask this, so a page that asks them of
    several teams, or more than one rule of a team, reads the database once."""
    asked = list(team_ids)
    cache = _ties_cache()
    wanted = sorted({t for t in asked if (user.id, t) not in cache})
    if wanted:
        rows = db.session.execute(_TEAM_TIES, {"user_id": user.id, "organisation_id": user.organisation_id,
                                               "now": utcnow(), "team_ids": wanted})
        for team_id, lead, practitioner, coach, *has_role in rows:
            _remember_ties(user, team_id, lead, practitioner, coach, has_role)
        for team_id in wanted:
            cache.setdefault((user.id, team_id), TeamTies())
    return {t: cache[user.id, t] for t in asked}


def team_with_ties(user: User, team_id: int) -> Team | None:
    """The team with this id (any organisation's: the caller checks), with the user's ties to it
    read in the same statement and kept for the request as team_ties keeps them. A dashboard page
    read both along with the user already (PAGE_TEAM)."""
    read: tuple[int, int, Team | None] | None = g.get("_page_team")
    if read is not None and read[:2] == (user.id, team_id):
        return read[2]
    row = db.session.execute(_TEAM_WITH_TIES, {"user_id": user.id, "organisation_id": user.organisation_id,
                                               "now": utcnow(), "team_id": team_id}).one_or_none()
    if row is None:
        return None
    team, lead, practitioner, coach, *has_role = row
    _remember_ties(user, team.id, lead, practitioner, coach, has_role)
    found: Team = team
    return found


def teams_with_ties(user: User, teams: Select[Team], now: datetime) -> list[Team]:
    """The teams that `teams` selects (it may bind user_id, organisation_id and now), with the
    user's ties to each read in the same statement and kept for the request as team_ties keeps them."""
    rows = db.session.execute(_with_ties(teams), {"user_id": user.id, "organisation_id": user.organisation_id,
                                                  "now": now})
    found = []
    for team, lead, practitioner, coach, *has_role in rows:
        _remember_ties(user, team.id, lead, practitioner, coach, has_role)
        found.append(team)
    return found


@cache
def _with_ties(teams: Select[Team]) -> Select[Any]:
    """`teams` with the columns of _TEAM_TIES, built once per statement (they are module constants)."""
    return teams.add_columns(*list(_TEAM_TIES.selected_columns)[1:])


def can_view_team_dashboard(user: User, team: Team) -> bool:
    """A team's aggregates: its lead, coaches of its members, its own practitioners, and the
    organisation's admins. Everyone sees what the lead sees, under the same privacy rules."""
    if not same_organisation(user, team):
        return False
    ties = team_ties(user, [team.id])[team.id]
    return ties.lead or ties.practitioner or ties.coach or is_admin(user)


def can_view_organisation_dashboard(user: User, organisation_id: int) -> bool:
    """The overview of every team side by side is for the organisation's admins."""
    return can_manage_organisation(user, organisation_id)


def can_set_team_target(user: User, team: Team) -> bool:
    """The adoption target a team measures itself against: its lead, or an admin."""
    return same_organisation(user, team) and (team_ties(user, [team.id])[team.id].lead or is_admin(user))


# --- client voice: the young person's or parent's rating of a session (core-elements.md) -------


def can_ask_client_feedback(user: User, log: Any) -> bool:
    """Only the author asks the young person or parent to rate one of their sessions."""
    return can_change_log(user, log)


def can_read_client_rating(user: User, rating: Any) -> bool:
    """A shared answer is read as part of its log (the author; the coach unless the log is private).

    An answer the respondent did not share is read by nobody on its own: it only counts in
    aggregates (privacy.md, "client-voice answers on a log").
    """
    from app.practice.models import PracticeLog

    return bool(rating.shared) and can_read_log(user, db.session.get(PracticeLog, rating.log_id))


def can_answer_handover(user: User, request_row: Any, session_request_id: object) -> bool:
    """The hand-over form is answered on the device, and in the session, where its author started it."""
    return bool(
        request_row.channel == "handover"
        and request_row.practitioner_id == user.id
        and request_row.id == session_request_id
    )


def handover_locked(user: User) -> bool:
    """True while a hand-over waits for the practitioner's password in this session.

    The mark is on the user row, so a copy of the session cookie from before the hand-over does
    not get round it; a session that began after it (a fresh sign-in) needed the password anyway.
    """
    locked_at = getattr(user, "handover_locked_at", None)
    if locked_at is None:
        return False
    started: float = session.get("started_at", 0)
    return bool(started <= locked_at.timestamp())


# --- second factor and the access log (privacy.md) ------------------------------------------


def needs_second_factor(user: User) -> bool:
    """Admins, privacy officers, leads (a running lead membership) and coaches (a running
    assignment) sign in with a second factor; everyone does where the organisation asks it."""
    if user.organisation.second_factor_for_all:
        return True
    known_roles = g.get("_org_roles", {}).get(user.id)
    if known_roles:
        return True
    statement = select(_holds_second_factor_role(roles_known=known_roles is not None))
    return bool(db.session.scalar(statement, {"user_id": user.id, "now": utcnow()}))


@cache
def _holds_second_factor_role(*, roles_known: bool) -> ColumnElement[bool]:
    """SQL: the user (bound parameter user_id) is a lead or a coach at `now`, or has an
    organisation role (unless those are known already); one expression, built once per process."""
    user_id = bindparam("user_id", type_=Integer())
    now = bindparam("now", type_=UTCDateTime())
    leads = exists().where(Membership.user_id == user_id, Membership.role == "lead",
                           Membership.ended_on.is_(None))
    coaches = exists().where(CoachAssignment.coach_id == user_id,
                             CoachAssignment.runs_at(cast(datetime, now)))
    has_roles = exists().where(OrganisationRole.user_id == user_id)
    return or_(leads, coaches) if roles_known else or_(has_roles, leads, coaches)


def _needs_second_factor_now(user: User) -> bool:
    """needs_second_factor for the signed-in user of this request, with the roles that were read
    along with the user (load_user) when the session had no second factor."""
    holds_role: bool | None = g.pop("_second_factor_role", {}).get(user.id)
    if holds_role is None:
        return needs_second_factor(user)
    return user.organisation.second_factor_for_all or holds_role


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
    # A session without a second factor is checked for one on every page (_default_deny): the
    # roles that ask for it are read in the same query. So are, for a page, its facts (PageFacts).
    with_roles = has_request_context() and not signed_in_with_second_factor()
    facts = _page_facts()
    params: dict[str, Any] = {"user_id": int(raw_id), "now": utcnow()}
    if facts is not None and facts.params is not None:
        params.update(facts.params())
    row = db.session.execute(_user_by_id(with_roles=with_roles, facts=facts), params).one_or_none()
    if row is None:
        return None
    user: User = row[0]
    if not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    if with_roles:
        g._second_factor_role = {user.id: bool(row[1])}
    if facts is not None:
        facts.keep(user, row[2 if with_roles else 1:])
    return user


@dataclass(frozen=True, eq=False)
class PageFacts:
    """What a page shows of the signed-in user (app.menu's badges and roles, the reflection pages'
    sub-menu, the dashboard's team), as columns that take the bound parameters `user_id` and `now`
    (and may read the user's own columns). On a GET, load_user reads them in its own statement (one
    statement fewer per page) and hands their values to `keep`.

    A part may read a row of another table through an outer join that matches one row at most
    (`joins`: the table and the condition), with bound parameters of its own taken from the request
    (`params`)."""

    columns: tuple[Any, ...]  # column expressions, or a mapped class joined in `joins`
    keep: Callable[[User, Sequence[Any]], None]
    joins: tuple[tuple[Any, ColumnElement[bool]], ...] = ()
    params: Callable[[], Mapping[str, Any]] | None = None


def _url_id(url_arg: str) -> int | None:
    """The page URL's id argument `url_arg` (the routes' bounded int), or None when it has none."""
    value = (request.view_args or {}).get(url_arg)
    return value if isinstance(value, int) else None


def _page_team_id() -> dict[str, Any]:
    return {"page_team_id": _url_id("team_id")}


def _keep_page_team(user: User, row: Sequence[Any]) -> None:
    team, lead, practitioner, coach = row
    asked = _url_id("team_id")
    if asked is None:
        return
    g._page_team = (user.id, asked, team)
    if team is not None:
        _keep_ties(user, team.id, lead, practitioner, coach)


# The team of a dashboard page (its URL's team_id) and the user's ties to it, read with the user
# (load_user) on a GET; team_with_ties then finds them. The organisation roles come with the menu.
_PAGE_TEAM_ID: BindParameter[int] = bindparam("page_team_id")
PAGE_TEAM = PageFacts(
    (Team, _member_as(_user, Team.id, "lead"), _member_as(_user, Team.id, "practitioner"),
     _coaches_member(_user, User.organisation_id, Team.id, _now)),
    _keep_page_team,
    joins=((Team, Team.id == _PAGE_TEAM_ID),),
    params=_page_team_id,
)


def read_page_facts_with_user(app: Flask, facts: PageFacts, pages: Iterable[str] = ()) -> None:
    """From now on load_user reads `facts` along with the user on this app's GET requests: on every
    page, or only on the pages of the named blueprints and endpoints ("dashboards",
    "practice.view_log")."""
    registered: list[tuple[PageFacts, frozenset[str]]] = app.extensions.setdefault("page_facts", [])
    registered.append((facts, frozenset(pages)))
    app.extensions["page_facts_of"] = {}  # the combinations per endpoint, made again when asked


def _page_facts() -> PageFacts | None:
    if not has_request_context() or request.method != "GET" or request.endpoint == "static":
        return None
    made: dict[str | None, PageFacts | None] = current_app.extensions.get("page_facts_of", {})
    endpoint = request.endpoint
    if endpoint not in made:
        registered = current_app.extensions.get("page_facts", [])
        blueprint = request.blueprint
        made[endpoint] = _combined(tuple(
            f for f, only in registered if not only or blueprint in only or endpoint in only))
    return made[endpoint]


def page_row(model: Any, url_arg: str) -> PageFacts:
    """PageFacts for a page about one row (a log, a reflection): the row of `model` whose id is the
    URL's `url_arg`, read with the user. The session then holds it, so the page's own
    `db.session.get(model, id)` finds it without a statement; the permission checks that follow
    are the page's as ever. (None when there is no such row: the page's get asks again, and 404s.)"""
    name = f"page_{model.__tablename__}_id"

    def params() -> dict[str, Any]:
        return {name: _url_id(url_arg)}

    def keep(_user: User, row: Sequence[Any]) -> None:
        # The session keeps what it loaded only while something refers to it: the request does.
        g.setdefault("_page_rows", []).append(row[0])

    return PageFacts((model,), keep, joins=((model, model.id == bindparam(name)),), params=params)


@dataclass(frozen=True, eq=False)
class PageHas:
    """Whether the row of a page's URL has rows of a kind (page_has): `facts` to register for the
    page (read_page_facts_with_user), `absent` for the part of the page that reads those rows."""

    facts: PageFacts
    name: str

    def absent(self, item_id: int) -> bool:
        """True when this request's facts found no such rows for the row `item_id`; False when
        they found some, or were not read for it (then read the rows as ever)."""
        return has_request_context() and g.get("_page_has", {}).get(self.name) == (item_id, False)


def page_has(name: str, url_arg: str, rows: Callable[[BindParameter[int]], ColumnElement[bool]]
             ) -> PageHas:
    """Whether the row of a page's URL (its `url_arg`: a log, a reflection) has rows of a kind,
    named `name`: `rows(id)` is their EXISTS for a bound id, read with the user. The part of the
    page that reads such rows asks `absent` first and skips its statement when there are none (on
    most log pages there is no feedback and no client answer to read)."""
    param = f"page_has_{name}"

    def params() -> dict[str, Any]:
        return {param: _url_id(url_arg)}

    def keep(_user: User, row: Sequence[Any]) -> None:
        g.setdefault("_page_has", {})[name] = (_url_id(url_arg), bool(row[0]))

    return PageHas(PageFacts((rows(bindparam(param, type_=Integer())),), keep, params=params), name)


@cache
def _combined(parts: tuple[PageFacts, ...]) -> PageFacts | None:
    """One PageFacts reading all of `parts`, made once per process for each combination (apps that
    register the same facts share it), so load_user's query is built once for it."""
    if len(parts) <= 1:
        return parts[0] if parts else None
    sizes = [len(part.columns) for part in parts]

    def keep(user: User, row: Sequence[Any]) -> None:
        start = 0
        for part, size in zip(parts, sizes, strict=True):
            part.keep(user, row[start:start + size])
            start += size

    asked = [part.params for part in parts if part.params is not None]

    def params() -> dict[str, Any]:
        return {name: value for made in asked for name, value in made().items()}

    return PageFacts(tuple(column for part in parts for column in part.columns), keep,
                     tuple(join for part in parts for join in part.joins), params if asked else None)


@cache
def _user_by_id(*, with_roles: bool, facts: PageFacts | None = None) -> Select[Any]:
    """load_user's query, built once per process. With the organisation: its catalogue revision
    keys the log form's catalogue, and the second-factor rule reads it."""
    statement = select(User).options(joinedload(User.organisation)).where(
        User.id == bindparam("user_id", type_=Integer()))
    if with_roles:
        statement = statement.add_columns(_holds_second_factor_role(roles_known=False))
    if facts is None:
        return statement
    for target, condition in facts.joins:
        statement = statement.outerjoin(target, condition)
    return statement.add_columns(*facts.columns)


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


# How stale the session's "last seen" stamp may get before a request renews it. The idle timeout is
# counted in minutes, so renewing it at most once a minute keeps it exact to the minute, and spares
# every other request a new session cookie.
SEEN_RESOLUTION_SECONDS = 60


def _note_activity() -> None:
    now = time.time()
    if now - session.get("seen_at", 0) >= SEEN_RESOLUTION_SECONDS:
        session["seen_at"] = now


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
    user = current_user._get_current_object()  # once, not through the proxy for every check
    if user.is_authenticated:
        if _session_expired():
            from app.privacy.services import record_access

            record_access(user, "self", "sign_out", "user", user.id, subject_id=user.id,
                          detail="session expired")
            db.session.commit()  # this request's one write: it ends here
            logout_user()
            session.clear()
            flash(_("You were signed out because your session expired. Please sign in again."), "info")
            return redirect(url_for("auth.login", next=_return_path()))
        _note_activity()
        if handover_locked(user) and endpoint not in HANDOVER_ENDPOINTS:
            return redirect(url_for("clientvoice.unlock"))
        if (not signed_in_with_second_factor() and endpoint not in SETUP_ENDPOINTS
                and _needs_second_factor_now(user)):
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
