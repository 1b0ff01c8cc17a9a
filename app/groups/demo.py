"""Demo data for group reflection: two recorded sessions of a team, for its SKJ pages.

Idempotent: a team that has any group session gets none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.clock import local_date
from app.db import db
from app.groups.models import GroupParticipant, GroupSession
from app.organisations.models import Organisation
from app.teams.models import Membership, Team


def seed_group_demo(org: Organisation, team_name: str, now: datetime) -> None:
    """Two recorded sessions for the SKJ page: an intervisie that counts, a short one that does not."""
    team = db.session.scalar(select(Team).where(Team.organisation_id == org.id, Team.name == team_name))
    if team is None:
        return
    if db.session.scalar(select(GroupSession.id).where(GroupSession.team_id == team.id).limit(1)):
        return
    lead_id = db.session.scalar(select(Membership.user_id).where(
        Membership.team_id == team.id, Membership.role == "lead").limit(1))
    members = list(db.session.scalars(select(Membership.user_id).where(
        Membership.team_id == team.id, Membership.role == "practitioner").order_by(Membership.id).limit(5)))
    today = local_date(now)
    for days, minutes, form in ((21, 120, "peer_consultation"), (7, 45, "work_supervision")):
        group = GroupSession(organisation_id=org.id, team_id=team.id, created_by_id=lead_id,
                             session_date=today - timedelta(days=days), duration_minutes=minutes, form=form,
                             facilitator_name="Externe supervisor" if form == "work_supervision" else None,
                             facilitator_id=None if form == "work_supervision" else members[0])
        group.participants = [GroupParticipant(user_id=uid) for uid in members]
        db.session.add(group)
    db.session.flush()
