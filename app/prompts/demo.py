"""Demo data for prompts: a weekly team rhythm and a one-off team theme.

Idempotent: the schedules are made once per demo team; prompts come from the real materialiser,
whose unique key makes a second run add nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.clock import local_date
from app.db import db
from app.organisations.models import Organisation
from app.prompts.jobs import materialise_prompts
from app.prompts.models import Schedule
from app.teams.models import Membership, Team

DEMO_THEME = "Voorbereiding intervisie: een moment waarop samen beslissen niet lukte"


def seed_prompt_demo(org: Organisation, team_name: str, now: datetime) -> int:
    """Give `team_name` a weekly Friday-14:00-style rhythm (on the weekday two days ago, so the
    last occurrence is in the inbox) and a one-off theme of yesterday; returns prompts created.
    """
    team = db.session.scalar(select(Team).where(Team.organisation_id == org.id, Team.name == team_name))
    if team is None:
        return 0
    exists = db.session.scalar(select(Schedule.id).where(Schedule.team_id == team.id).limit(1))
    if exists is None:
        lead_id = db.session.scalar(select(Membership.user_id).where(
            Membership.team_id == team.id, Membership.role == "lead").limit(1))
        since = now - timedelta(days=14)
        two_days_ago = local_date(now - timedelta(days=2))
        db.session.add_all([
            Schedule(organisation_id=org.id, team_id=team.id, created_by_id=lead_id, kind="recurring",
                     template_key="alact", weekday=two_days_ago.weekday(), local_time=time(14, 0),
                     interval_weeks=1, anchor_date=local_date(since), active=True,
                     active_since=since, created_at=since),
            Schedule(organisation_id=org.id, team_id=team.id, created_by_id=lead_id, kind="one_off",
                     template_key="starr", theme=DEMO_THEME, once_at=now - timedelta(days=1),
                     active=True, active_since=since, created_at=since),
        ])
        db.session.flush()
    return materialise_prompts(now)["prompts"]
