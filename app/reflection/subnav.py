"""What the reflection pages' sub-menu knows about the signed-in user, read in one query per page.

Every reflection page shows the sub-menu: "Schedules" for who plans prompts, "Group sessions" and
"SKJ hours" for who takes part in groups, "Shared with me" for a coach. Each rule is written once
where it belongs (prompts, groups, coaching); this module asks the first two in one SELECT, built
once per process with bind parameters, and takes the third from the menu's facts (app/menu.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g
from sqlalchemy import Integer, bindparam, select

from app.auth.models import User
from app.db import UTCDateTime, db
from app.groups.queries import takes_part_clause
from app.prompts.queries import plans_prompts_clause


@dataclass(frozen=True)
class SubnavFacts:
    plans: bool  # plans_prompts: the schedules page is of use
    groups: bool  # takes_part_clause: group sessions and SKJ hours are of use


_USER = bindparam("user_id", type_=Integer)
_ORGANISATION = bindparam("organisation_id", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime)
_STATEMENT = select(plans_prompts_clause(_USER, _ORGANISATION, _NOW), takes_part_clause(_USER))


def subnav_facts(user: User, now: datetime) -> SubnavFacts:
    """The user's sub-menu facts, read once per request."""
    if "reflection_subnav" not in g:
        plans, groups = db.session.execute(
            _STATEMENT, {"user_id": user.id, "organisation_id": user.organisation_id, "now": now}).one()
        g.reflection_subnav = SubnavFacts(bool(plans), bool(groups))
    facts: SubnavFacts = g.reflection_subnav
    return facts
