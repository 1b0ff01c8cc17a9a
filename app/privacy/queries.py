"""Privacy reads: who can see a person's data now, and who has looked at it (their own trail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.privacy.models import AccessLog
from app.teams.models import CoachAssignment, OrganisationRole
from app.teams.queries import Page, paginate


@dataclass(frozen=True)
class CoachRow:
    """A running coach of someone: their name and since when."""

    name: str
    since: datetime


@dataclass(frozen=True)
class AccessRow:
    """One access-log row about someone's data, as they may see it (no address, no object id)."""

    at: datetime
    actor_id: int
    actor_name: str | None  # None: the account no longer exists
    actor_role: str
    action: str
    object_type: str


def current_coaches_of(user: User, now: datetime) -> list[CoachRow]:
    """The coaches whose assignment for `user` runs at `now` (the ones who can read their logs)."""
    rows = db.session.execute(
        select(User.display_name, CoachAssignment.started_at)
        .join(User, User.id == CoachAssignment.coach_id)
        .where(
            CoachAssignment.coachee_id == user.id,
            CoachAssignment.organisation_id == user.organisation_id,
            CoachAssignment.runs_at(now),
        )
        .order_by(CoachAssignment.started_at, CoachAssignment.id)
    )
    return [CoachRow(name, since) for name, since in rows]


def access_about(user: User, page: int) -> Page[AccessRow]:
    """One page (newest first) of the access-log rows about `user`'s data, as AccessRow items.

    Only rows whose subject is `user`, in their own organisation; the address and object id stay
    out. Actors are looked up by id afterwards: the log outlives the accounts it names.
    """
    query = select(AccessLog).where(
        AccessLog.subject_id == user.id, AccessLog.organisation_id == user.organisation_id
    )
    found = paginate(query, page, AccessLog.at.desc(), AccessLog.id.desc())
    actor_ids = {row.actor_id for row in found.items}
    names: dict[int, str] = {}
    if actor_ids:
        names = {uid: name for uid, name in
                 db.session.execute(select(User.id, User.display_name).where(User.id.in_(actor_ids)))}
    items = [
        AccessRow(row.at, row.actor_id, names.get(row.actor_id), row.actor_role, row.action, row.object_type)
        for row in found.items
    ]
    return Page(items, found.page, found.pages, found.total)


def privacy_officers_of(organisation_id: int) -> list[User]:
    """The organisation's privacy officers (FG), by name: whom to ask about one's data."""
    return list(db.session.scalars(
        select(User)
        .join(OrganisationRole, OrganisationRole.user_id == User.id)
        .where(User.organisation_id == organisation_id, User.active.is_(True),
               OrganisationRole.role == "privacy_officer")
        .order_by(User.display_name)
    ))
