"""Dashboard settings: a team's adoption target and the organisation's minimum group size. Flush only."""

from __future__ import annotations

from flask_babel import gettext as _

from app.auth.models import User
from app.db import db
from app.organisations.models import Organisation
from app.privacy import services as privacy
from app.security import can_manage_organisation, can_set_team_target, require
from app.services import ServiceError
from app.teams.models import Team


def set_team_target(actor: User, team: Team, percent: int) -> None:
    """Set the share of the team (1-100 %) that should apply each element every month.

    Only the team's lead or an admin (404 otherwise). Raises ServiceError when out of range. Flushes.
    """
    require(can_set_team_target(actor, team))
    if not 1 <= percent <= 100:
        raise ServiceError(_("Fill in a number from 1 to 100."), "adoption_target")
    team.adoption_target = percent
    db.session.flush()


def set_min_group_size(actor: User, organisation: Organisation, k: int) -> None:
    """Set the minimum group size k of every aggregate (never below 3). Admins only. Flushes."""
    require(can_manage_organisation(actor, organisation.id), hide=False)
    if not 3 <= k <= 50:
        raise ServiceError(_("Fill in a number from 3 to 50."), "min_group_size")
    organisation.min_group_size = k
    db.session.flush()


def record_export(actor: User, role: str, object_type: str, object_id: int | None,
                  ip_address: str | None) -> None:
    """Every export is logged (privacy.md), aggregates too: who, in which role, what. Flushes."""
    privacy.record_access(actor, role, "export", object_type, object_id, ip_address=ip_address)
