"""Reads for the administration pages, always within one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Integer, Select, bindparam, case, exists, func, or_, select

from app.auth.models import User
from app.db import UTCDateTime, db, row_count
from app.security import teams_with_ties
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team

PAGE_SIZE = 25
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    pages: int
    total: int


def team_in_org(organisation_id: int, team_id: int) -> Team | None:
    team = db.session.get(Team, team_id)
    return team if team is not None and team.organisation_id == organisation_id else None


def user_in_org(organisation_id: int, user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.organisation_id == organisation_id else None


def membership_in_org(organisation_id: int, membership_id: int) -> Membership | None:
    m = db.session.get(Membership, membership_id)
    return m if m is not None and m.team.organisation_id == organisation_id else None


def assignment_in_org(organisation_id: int, assignment_id: int) -> CoachAssignment | None:
    a = db.session.get(CoachAssignment, assignment_id)
    return a if a is not None and a.organisation_id == organisation_id else None


def teams_for(organisation_id: int) -> list[tuple[Team, int]]:
    """Teams of the organisation with their number of current members, by name.

    The members are counted per team on the team's index, so the cost follows the organisation's
    teams, not every membership of every organisation."""
    rows = db.session.execute(_TEAMS_WITH_MEMBERS, {"organisation_id": organisation_id})
    return [(team, int(n or 0)) for team, n in rows]


_TEAMS_WITH_MEMBERS = select(  # teams_for's statement, built once per process
    Team,
    select(func.count(func.distinct(Membership.user_id)))
    .where(Membership.team_id == Team.id, Membership.ended_on.is_(None))
    .correlate(Team)
    .scalar_subquery(),
).where(Team.organisation_id == bindparam("organisation_id", type_=Integer)).order_by(Team.name)


def users_page(organisation_id: int, page: int, search: str = "") -> Page[User]:
    """One page of the organisation's accounts, by name, optionally filtered by name or e-mail.

    A deleted account (a nameless row its anonymous logs point to) is no account to manage.
    """
    query = select(User).where(User.organisation_id == organisation_id, User.deleted_at.is_(None))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.display_name).like(like), User.email_normalized.like(like))
        )
    return paginate(query, page, func.lower(User.display_name), User.id)


def paginate(query: Select[T], page: int, *order_by: Any) -> Page[T]:
    """Page `page` (from 1; past the end gives the last) of `query`'s rows in `order_by`.

    One statement: the rows are counted in it, and the offset asked for is clamped there to the
    last page, so a page shows no rows only when there are none (and its count is then 0).
    """
    total = select(func.count().label("total")).select_from(query.order_by(None).subquery()).cte("total")
    asked = (max(page, 1) - 1) * PAGE_SIZE
    last = case((total.c.total == 0, 0), else_=(total.c.total - 1) // PAGE_SIZE * PAGE_SIZE)
    offset = select(case((last < asked, last), else_=asked)).scalar_subquery()
    rows = db.session.execute(
        query.add_columns(select(total.c.total).scalar_subquery())
        .order_by(*order_by).offset(offset).limit(row_count(value=PAGE_SIZE))
    ).all()
    count = int(rows[0][-1]) if rows else 0
    pages = max(1, -(-count // PAGE_SIZE))
    return Page([row[0] for row in rows], min(max(page, 1), pages), pages, count)


def roles_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(OrganisationRole.role)
            .where(OrganisationRole.user_id == user_id)
            .order_by(OrganisationRole.role)
        )
    )


def roles_of_users(user_ids: list[int]) -> dict[int, list[str]]:
    """The organisation roles of each of these users (one query), in the order of `roles_of`."""
    roles: dict[int, list[str]] = {uid: [] for uid in user_ids}
    if user_ids:
        for uid, role in db.session.execute(_ROLES_OF_USERS, {"user_ids": user_ids}):
            roles[uid].append(role)
    return roles


_ROLES_OF_USERS = (  # roles_of_users' statement, built once per process
    select(OrganisationRole.user_id, OrganisationRole.role)
    .where(OrganisationRole.user_id.in_(bindparam("user_ids", expanding=True)))
    .order_by(OrganisationRole.user_id, OrganisationRole.role)
)


def memberships_of(user_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user_id, Membership.ended_on.is_(None))
            .order_by(Membership.id)
        )
    )


def team_members(team_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team_id, Membership.ended_on.is_(None))
            .order_by(Membership.role, func.lower(User.display_name))
        )
    )


def coaching_of(user_id: int) -> tuple[list[CoachAssignment], list[CoachAssignment]]:
    """Running assignments where the user is coach, and where the user is coachee."""
    running = CoachAssignment.ended_at.is_(None)
    ordered = select(CoachAssignment).where(running).order_by(CoachAssignment.id)
    as_coach = db.session.scalars(ordered.where(CoachAssignment.coach_id == user_id)).all()
    as_coachee = db.session.scalars(ordered.where(CoachAssignment.coachee_id == user_id)).all()
    return list(as_coach), list(as_coachee)


def colleagues(organisation_id: int, exclude: int | None = None) -> list[User]:
    """Active accounts of the organisation, by name (for choosing a coach or coachee)."""
    query = select(User).where(User.organisation_id == organisation_id, User.active.is_(True))
    if exclude is not None:
        query = query.where(User.id != exclude)
    return list(db.session.scalars(query.order_by(func.lower(User.display_name))))


def _guided(user_id: Any, now: Any) -> ColumnElement[bool]:
    """SQL: the team is led by `user_id`, or has a member they coach at `now` (values or bindparams)."""
    led = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.role == "lead", Membership.ended_on.is_(None)
    )
    return or_(Team.id.in_(led), Team.id.in_(_coached_teams(user_id, now)))


def _coached_teams(user_id: Any, now: Any) -> Select[int]:
    """SQL: the ids of teams with a current member whom `user_id` coaches at `now`."""
    return (
        select(Membership.team_id)
        .join(CoachAssignment, CoachAssignment.coachee_id == Membership.user_id)
        .where(CoachAssignment.coach_id == user_id, CoachAssignment.runs_at(now),
               Membership.ended_on.is_(None))
    )


def teams_guided_by(user: User, now: datetime) -> list[Team]:
    """Teams whose rhythms and group sessions `user` may set up: led, or with a coachee in it."""
    return list(db.session.scalars(_TEAMS_GUIDED, _viewer(user, now)))


def _viewer(user: User, now: datetime) -> dict[str, Any]:
    return {"user_id": user.id, "organisation_id": user.organisation_id, "now": now}


# The statements of the team lists below, built once per process: a call binds the user and the time.
_USER = bindparam("user_id", type_=Integer)
_ORGANISATION = bindparam("organisation_id", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime)
_TEAMS_GUIDED = (
    select(Team).where(Team.organisation_id == _ORGANISATION, _guided(_USER, _NOW)).order_by(Team.name)
)


def guided_team_ids(user_id: Any, organisation_id: Any, now: Any) -> Select[int]:
    """SQL: the ids of the teams teams_guided_by lists (ids and time as values or bindparams)."""
    return select(Team.id).where(Team.organisation_id == organisation_id, _guided(user_id, now))


def guides_a_team_clause(user_id: Any, organisation_id: Any, now: Any) -> ColumnElement[bool]:
    """SQL: teams_guided_by is not empty (ids and time as values or bindparams)."""
    return exists().where(Team.organisation_id == organisation_id, _guided(user_id, now))


def members_by_name(team_id: int) -> list[User]:
    """The team's current members (any role), by name: the people a session can list."""
    current = select(Membership.user_id).where(Membership.team_id == team_id, Membership.ended_on.is_(None))
    return list(db.session.scalars(
        select(User)
        .where(User.id.in_(current), User.active.is_(True))
        .order_by(func.lower(User.display_name))
    ))


def teams_with_dashboard_for(user: User, now: datetime, admin: bool) -> list[Team]:
    """Teams whose dashboard `user` may open, by name: all of the organisation for an admin; else
    those led, those with a running coachee in them, and one's own practitioner teams.

    The views check app/security.can_view_team_dashboard as well; this only lists. The user's ties
    to each team come in the same statement, so those checks need no query of their own.
    """
    return teams_with_ties(user, _ORGANISATION_TEAMS if admin else _DASHBOARD_TEAMS, now)


_ORGANISATION_TEAMS = select(Team).where(Team.organisation_id == _ORGANISATION).order_by(Team.name)
_DASHBOARD_TEAMS = _ORGANISATION_TEAMS.where(or_(
    Team.id.in_(select(Membership.team_id).where(Membership.user_id == _USER, Membership.ended_on.is_(None))),
    Team.id.in_(_coached_teams(_USER, _NOW)),
))
