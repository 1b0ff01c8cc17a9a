"""Privacy reads: who can see a person's data now, and who has looked at it (their own trail)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select

from app.auth.models import User
from app.clock import local_instant
from app.csv_cells import safe_cell
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
    actor_id: int | None  # None: Werkzaam itself
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
        AccessLog.subject_id == user.id, AccessLog.organisation_id == user.organisation_id,
        AccessLog.actor_role != "self",  # their own sign-ins and settings: in the download, not here
    )
    found = paginate(query, page, AccessLog.at.desc(), AccessLog.id.desc())
    actor_ids = {row.actor_id for row in found.items}
    names: dict[int, str] = {}
    if actor_ids:
        names = {uid: name for uid, name in
                 db.session.execute(select(User.id, User.display_name).where(User.id.in_(actor_ids)))}
    items = [
        AccessRow(row.at, row.actor_id, names.get(row.actor_id) if row.actor_id else None, row.actor_role,
                  row.action, row.object_type)
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


# --- the access log, as the privacy officer searches it -----------------------------------------


@dataclass(frozen=True)
class LogSearch:
    """What the privacy officer looks for; every part is optional."""

    person: str = ""  # a name, an e-mail address or an account number: as actor or as subject
    object_type: str = ""
    object_id: int | None = None
    action: str = ""
    start: date | None = None  # Amsterdam days, both included
    end: date | None = None

    def describe(self) -> str:
        """The search as a line for the access log itself (the officer's own reading is logged)."""
        parts = {"person": self.person, "object": f"{self.object_type}#{self.object_id or ''}".strip("#"),
                 "action": self.action, "from": self.start or "", "to": self.end or ""}
        return " ".join(f"{k}={v}" for k, v in parts.items() if v)


@dataclass(frozen=True)
class LogRow:
    """One row of the access log with the names of whom it mentions (None: no such account now)."""

    row: AccessLog
    actor_name: str | None
    subject_name: str | None


def _people(organisation_id: int, person: str) -> Select[int]:
    text = person.strip().lower()
    query = select(User.id).where(User.organisation_id == organisation_id)
    if text.lstrip("#").isdigit() and len(text) < 10:
        return query.where(User.id == int(text.lstrip("#")))
    like = f"%{text}%"
    return query.where(or_(func.lower(User.display_name).like(like), User.email_normalized.like(like)))


def _search(organisation_id: int, search: LogSearch) -> Select[AccessLog]:
    query = select(AccessLog).where(AccessLog.organisation_id == organisation_id)
    if search.person.strip():
        people = _people(organisation_id, search.person)
        query = query.where(or_(AccessLog.actor_id.in_(people), AccessLog.subject_id.in_(people)))
    if search.object_type:
        query = query.where(AccessLog.object_type == search.object_type)
    if search.object_id is not None:
        query = query.where(AccessLog.object_id == search.object_id)
    if search.action:
        query = query.where(AccessLog.action == search.action)
    if search.start:
        query = query.where(AccessLog.at >= local_instant(search.start, time()))
    if search.end:
        query = query.where(AccessLog.at < local_instant(search.end + timedelta(days=1), time()))
    return query


def _named(rows: list[AccessLog]) -> list[LogRow]:
    ids = {i for row in rows for i in (row.actor_id, row.subject_id) if i is not None}
    names: dict[int, str] = {}
    if ids:
        names = {uid: name or f"#{uid}" for uid, name in
                 db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))}
    return [LogRow(row, names.get(row.actor_id) if row.actor_id else None,
                   names.get(row.subject_id) if row.subject_id else None) for row in rows]


def access_log_page(organisation_id: int, search: LogSearch, page: int) -> Page[LogRow]:
    """One page (newest first) of the organisation's access log that matches `search`."""
    found = paginate(_search(organisation_id, search), page, AccessLog.at.desc(), AccessLog.id.desc())
    return Page(_named(found.items), found.page, found.pages, found.total)


def access_log_rows(organisation_id: int, search: LogSearch, batch: int = 1000) -> Iterator[LogRow]:
    """Every matching row, oldest first, fetched in batches (for the CSV export)."""
    after = 0
    while True:
        rows = list(db.session.scalars(_search(organisation_id, search).where(AccessLog.id > after)
                                       .order_by(AccessLog.id).limit(batch)))
        yield from _named(rows)
        if len(rows) < batch:
            return
        after = rows[-1].id


def access_log_csv(rows: Iterable[LogRow]) -> str:
    """The rows as CSV: every column of the log, and the names of the people it mentions."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor_id", "actor_name", "actor_role", "action", "object_type", "object_id",
                     "subject_id", "subject_name", "ip_address", "detail"])
    for found in rows:
        r = found.row
        writer.writerow([safe_cell(v) for v in (
            r.at.isoformat(), r.actor_id, found.actor_name, r.actor_role, r.action, r.object_type,
            r.object_id, r.subject_id, found.subject_name, r.ip_address, r.detail)])
    return out.getvalue()
