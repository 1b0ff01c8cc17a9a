"""Reads for schedules and group sessions: which teams a person guides, lists and details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from app.auth.models import User
from app.db import db
from app.elements.models import CoreElement
from app.reflection import occurrences
from app.reflection.models import GroupParticipant, GroupSession, Prompt, Schedule
from app.teams.models import CoachAssignment, Membership, Team


def teams_guided_by(user: User, now: datetime) -> list[Team]:
    """Teams whose rhythms and group sessions `user` may set up: led, or with a coachee in it."""
    led = select(Membership.team_id).where(
        Membership.user_id == user.id, Membership.role == "lead", Membership.ended_on.is_(None)
    )
    coached = (
        select(Membership.team_id)
        .join(CoachAssignment, CoachAssignment.coachee_id == Membership.user_id)
        .where(
            CoachAssignment.coach_id == user.id,
            CoachAssignment.runs_at(now),
            Membership.ended_on.is_(None),
        )
    )
    return list(db.session.scalars(
        select(Team)
        .where(Team.organisation_id == user.organisation_id, or_(Team.id.in_(led), Team.id.in_(coached)))
        .order_by(Team.name)
    ))


@dataclass(frozen=True)
class ScheduleRow:
    schedule: Schedule
    team_name: str | None
    element: CoreElement | None
    next_due: datetime | None
    open_prompts: int


def next_due(schedule: Schedule, now: datetime) -> datetime | None:
    """When the schedule next prompts (None for session-based or past one-off schedules)."""
    if not schedule.active:
        return None
    if schedule.kind == "one_off":
        return schedule.once_at if schedule.once_at and schedule.once_at > now else None
    if schedule.kind in ("recurring", "targeted") and schedule.weekday is not None \
            and schedule.local_time is not None and schedule.anchor_date is not None:
        return occurrences.next_weekly(schedule.weekday, schedule.local_time,
                                       schedule.interval_weeks or 1, schedule.anchor_date, now)
    return None


def schedules_for(user: User, now: datetime) -> list[ScheduleRow]:
    """The user's own schedules and those of the teams they guide, with open-prompt counts."""
    team_ids = [t.id for t in teams_guided_by(user, now)]
    open_counts = (
        select(Prompt.schedule_id, func.count(Prompt.id).label("n"))
        .where(Prompt.status == "open", Prompt.expires_at > now)
        .group_by(Prompt.schedule_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Schedule, Team.name, CoreElement, func.coalesce(open_counts.c.n, 0))
        .outerjoin(Team, Team.id == Schedule.team_id)
        .outerjoin(CoreElement, CoreElement.id == Schedule.element_id)
        .outerjoin(open_counts, open_counts.c.schedule_id == Schedule.id)
        .where(Schedule.organisation_id == user.organisation_id,
               or_(Schedule.owner_id == user.id, Schedule.team_id.in_(team_ids)))
        .order_by(Team.name.is_not(None), Team.name, Schedule.created_at)
    ).all()
    return [ScheduleRow(s, t, e, next_due(s, now), int(n)) for s, t, e, n in rows]


def schedule_by_id(organisation_id: int, schedule_id: int) -> Schedule | None:
    schedule = db.session.get(Schedule, schedule_id)
    return schedule if schedule is not None and schedule.organisation_id == organisation_id else None


# --- group sessions --------------------------------------------------------------------------


def team_members(team_id: int) -> list[User]:
    """The team's current members (any role), by name: the people a session can list."""
    current = select(Membership.user_id).where(Membership.team_id == team_id, Membership.ended_on.is_(None))
    return list(db.session.scalars(
        select(User)
        .where(User.id.in_(current), User.active.is_(True))
        .order_by(func.lower(User.display_name))
    ))


@dataclass(frozen=True)
class GroupRow:
    group: GroupSession
    team_name: str
    participants: int
    mine: bool


def group_sessions_for(user: User) -> list[GroupRow]:
    """Sessions the user took part in, recorded, or (as lead) whose team they lead; newest first."""
    led = select(Membership.team_id).where(
        Membership.user_id == user.id, Membership.role == "lead", Membership.ended_on.is_(None)
    )
    mine = select(GroupParticipant.session_id).where(GroupParticipant.user_id == user.id)
    counts = (
        select(GroupParticipant.session_id, func.count(GroupParticipant.id).label("n"))
        .group_by(GroupParticipant.session_id)
        .subquery()
    )
    rows = db.session.execute(
        select(GroupSession, Team.name, func.coalesce(counts.c.n, 0), GroupSession.id.in_(mine))
        .join(Team, Team.id == GroupSession.team_id)
        .outerjoin(counts, counts.c.session_id == GroupSession.id)
        .where(
            GroupSession.organisation_id == user.organisation_id,
            or_(
                GroupSession.id.in_(mine),
                GroupSession.created_by_id == user.id,
                GroupSession.team_id.in_(led),
            ),
        )
        .order_by(GroupSession.session_date.desc(), GroupSession.id.desc())
    ).all()
    return [GroupRow(g, t, int(n), bool(m)) for g, t, n, m in rows]


def group_by_id(organisation_id: int, group_id: int) -> GroupSession | None:
    group = db.session.get(GroupSession, group_id)
    return group if group is not None and group.organisation_id == organisation_id else None


def participant_names(group_id: int) -> list[str]:
    return list(db.session.scalars(
        select(User.display_name)
        .join(GroupParticipant, GroupParticipant.user_id == User.id)
        .where(GroupParticipant.session_id == group_id)
        .order_by(func.lower(User.display_name))
    ))


def own_notes(group_id: int, user_id: int) -> GroupParticipant | None:
    """The user's own participant row (their learning question and notes), or None."""
    return db.session.scalar(select(GroupParticipant).where(
        GroupParticipant.session_id == group_id, GroupParticipant.user_id == user_id))
