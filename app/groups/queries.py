"""Reads for the group-session pages: the sessions a person sees, one session, its participants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, exists, func, or_, select

from app.auth.models import User
from app.db import db
from app.groups.models import GroupParticipant, GroupSession
from app.teams.models import CoachAssignment, Membership, Team


@dataclass(frozen=True)
class GroupRow:
    group: GroupSession
    team_name: str
    participants: int
    mine: bool


def group_sessions_for(user: User) -> list[GroupRow]:
    """Sessions the user took part in, recorded, or (as lead) whose team they lead; newest first."""
    rows = db.session.execute(_GROUP_SESSIONS, {"user_id": user.id,
                                                "organisation_id": user.organisation_id}).all()
    return [GroupRow(g, t, int(n or 0), bool(m)) for g, t, n, m in rows]


def _group_sessions() -> Select[Any]:
    """group_sessions_for's statement: the user and their organisation are bound parameters."""
    user_id = bindparam("user_id", type_=Integer)
    led = select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.role == "lead", Membership.ended_on.is_(None)
    )
    mine = select(GroupParticipant.session_id).where(GroupParticipant.user_id == user_id)
    # Counted per session shown, on the participants' session index (not every session's first).
    participants = (
        select(func.count(GroupParticipant.id))
        .where(GroupParticipant.session_id == GroupSession.id)
        .correlate(GroupSession)
        .scalar_subquery()
    )
    return (
        select(GroupSession, Team.name, participants, GroupSession.id.in_(mine))
        .join(Team, Team.id == GroupSession.team_id)
        .where(
            GroupSession.organisation_id == bindparam("organisation_id", type_=Integer),
            or_(
                GroupSession.id.in_(mine),
                GroupSession.created_by_id == user_id,
                GroupSession.team_id.in_(led),
            ),
        )
        .order_by(GroupSession.session_date.desc(), GroupSession.id.desc())
    )


_GROUP_SESSIONS = _group_sessions()  # built once per process


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


def takes_part_clause(user_id: Any) -> ColumnElement[bool]:
    """SQL: group sessions and SKJ hours are of use to the user (the id as a value or a bindparam):
    in a team, coaching, or a participant. For the reflection menu (app/reflection/subnav.py); an
    admin or privacy officer without a team does not see them."""
    return or_(
        exists().where(Membership.user_id == user_id, Membership.ended_on.is_(None)),
        exists().where(CoachAssignment.coach_id == user_id),
        exists().where(GroupParticipant.user_id == user_id),
    )
