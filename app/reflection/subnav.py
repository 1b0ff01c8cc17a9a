"""What the reflection pages' sub-menu knows about the signed-in user, read in one query per page.

Every reflection page shows the sub-menu: "Schedules" for who plans prompts, "Group sessions" and
"SKJ hours" for who takes part in groups, "Shared with me" for a coach. Each rule is written once
where it belongs (prompts, groups, coaching); this module asks the first two, and takes the third
from the menu's facts (app/menu.py). On a GET of a reflection page they come in load_user's own
statement (PAGE_FACTS, registered for these pages' blueprints in app/__init__.py); otherwise in one
SELECT of their own. Both are built once per process with bind parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from sqlalchemy import Integer, bindparam, select

from app.auth.models import User
from app.db import UTCDateTime, db
from app.groups.queries import takes_part_clause
from app.prompts.queries import plans_prompts_clause
from app.security import PageFacts


@dataclass(frozen=True)
class SubnavFacts:
    plans: bool  # plans_prompts: the schedules page is of use
    groups: bool  # takes_part_clause: group sessions and SKJ hours are of use


_USER = bindparam("user_id", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime)
# The user's organisation is their row's own column: the statements below read it where users.id
# is the user's (load_user's statement, or _STATEMENT).
_COLUMNS = (plans_prompts_clause(_USER, User.organisation_id, _NOW), takes_part_clause(_USER))
_STATEMENT = select(*_COLUMNS).where(User.id == _USER)


def _keep(_user: User, row: Sequence[Any]) -> None:
    plans, groups = row
    g.reflection_subnav = SubnavFacts(bool(plans), bool(groups))


PAGE_FACTS = PageFacts(_COLUMNS, _keep)
BLUEPRINTS = ("reflection", "prompts", "groups")  # the pages under /reflection that show the sub-menu


def subnav_facts(user: User, now: datetime) -> SubnavFacts:
    """The user's sub-menu facts, read once per request (on a GET, with the user: PAGE_FACTS)."""
    if "reflection_subnav" not in g:
        _keep(user, db.session.execute(_STATEMENT, {"user_id": user.id, "now": now}).one())
    facts: SubnavFacts = g.reflection_subnav
    return facts
