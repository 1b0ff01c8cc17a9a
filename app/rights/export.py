"""Everything that is a person's own, as one ZIP of JSON and CSV: one function per kind of data.

Each kind is a function `(user) -> rows` (plain dicts) registered in `KINDS`; the ZIP holds
`<kind>.json` and `<kind>.csv` for each. A new kind of data needs one function and one line in
`KINDS`: nothing else changes. Only what is the person's own goes in: their own notes in a group
session, not the others'; who read their data, not the readers' addresses. The coaching kinds are
in coaching_data.py, the client-voice kinds (under the app's rule for unshared answers) in
client_voice_data.py.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from app.auth.models import SecondFactor, User
from app.csv_cells import safe_cell
from app.db import db
from app.groups.models import GroupParticipant, GroupSession
from app.practice.queries import logs_for_export
from app.privacy.models import AccessLog
from app.prompts.models import Prompt, Schedule
from app.reflection.models import Reflection, ReflectionDraft, ReflectionPreference, ReflectionShare
from app.rights import client_voice_data, coaching_data
from app.rights.log_files import log_record
from app.rights.rows import Rows
from app.rights.rows import columns as _columns
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team


def account(user: User) -> Rows:
    """The account itself: name, address, language, dates, roles, and whether a second factor guards it."""
    data = _columns(user, "password_hash", "session_token", "email_normalized")
    data["organisation_roles"] = sorted(db.session.scalars(
        select(OrganisationRole.role).where(OrganisationRole.user_id == user.id)))
    data["second_factor"] = db.session.get(SecondFactor, user.id) is not None
    return [data]


def memberships(user: User) -> Rows:
    rows = db.session.execute(select(Membership, Team.name).join(Team, Team.id == Membership.team_id)
                              .where(Membership.user_id == user.id).order_by(Membership.started_on))
    return [{**_columns(m, "user_id"), "team_name": name} for m, name in rows]


def coaching(user: User) -> Rows:
    """Who coached (or coaches) them, and whom they coach: names and dates, nothing read."""
    rows: Rows = []
    for a in db.session.scalars(select(CoachAssignment).where(
            (CoachAssignment.coach_id == user.id) | (CoachAssignment.coachee_id == user.id))
            .order_by(CoachAssignment.started_at)):
        own_side = "coach" if a.coach_id == user.id else "coachee"
        other = a.coachee if own_side == "coach" else a.coach
        rows.append({"as": own_side, "with": other.display_name, "started_at": a.started_at,
                     "ended_at": a.ended_at})
    return rows


def practice_logs(user: User) -> Rows:
    return [log_record(log) for log in logs_for_export(user.id)]


def reflections(user: User) -> Rows:
    rows: Rows = []
    own = select(Reflection).where(Reflection.author_id == user.id).order_by(Reflection.id)
    for r in db.session.scalars(own):
        shares = db.session.scalars(select(ReflectionShare).where(ReflectionShare.reflection_id == r.id))
        rows.append({**_columns(r, "organisation_id", "author_id"),
                     "shared_with": [{"coach": s.coach.display_name, "shared_at": s.shared_at,
                                      "withdrawn_at": s.withdrawn_at} for s in shares]})
    return rows


def reflection_drafts(user: User) -> Rows:
    return [_columns(d, "user_id") for d in db.session.scalars(
        select(ReflectionDraft).where(ReflectionDraft.user_id == user.id).order_by(ReflectionDraft.id))]


def group_sessions(user: User) -> Rows:
    """The group sessions they took part in, with their own learning question and notes only."""
    rows = db.session.execute(
        select(GroupParticipant, GroupSession, Team.name)
        .join(GroupSession, GroupSession.id == GroupParticipant.session_id)
        .join(Team, Team.id == GroupSession.team_id)
        .where(GroupParticipant.user_id == user.id).order_by(GroupSession.session_date))
    return [{"session_date": s.session_date, "team": team, "form": s.form,
             "duration_minutes": s.duration_minutes, **_columns(p, "id", "session_id", "user_id")}
            for p, s, team in rows]


def prompts(user: User) -> Rows:
    return [_columns(p, "user_id", "run_id") for p in db.session.scalars(
        select(Prompt).where(Prompt.user_id == user.id).order_by(Prompt.due_at))]


def personal_schedules(user: User) -> Rows:
    return [_columns(s, "organisation_id", "team_id", "owner_id", "created_by_id")
            for s in db.session.scalars(select(Schedule).where(Schedule.owner_id == user.id))]


def preferences(user: User) -> Rows:
    found = db.session.get(ReflectionPreference, user.id)
    return [_columns(found, "user_id")] if found else []


def access_to_my_data(user: User) -> Rows:
    """The access-log rows about them (also their own sign-ins), without anyone's address."""
    return [_columns(row, "ip_address", "organisation_id", "subject_id") for row in db.session.scalars(
        select(AccessLog).where(AccessLog.subject_id == user.id,
                                AccessLog.organisation_id == user.organisation_id).order_by(AccessLog.id))]


KINDS: dict[str, Callable[[User], Rows]] = {
    "account": account,
    "memberships": memberships,
    "coaching": coaching,
    "practice_logs": practice_logs,
    "reflections": reflections,
    "reflection_drafts": reflection_drafts,
    "feedback_requests": coaching_data.feedback_requests,
    "feedback_received": coaching_data.feedback_received,
    "observations": coaching_data.observations,
    "learning_goals": coaching_data.learning_goals,
    "client_feedback_requests": client_voice_data.client_feedback_requests,
    "client_ratings": client_voice_data.client_ratings,
    "client_ratings_not_shared": client_voice_data.client_ratings_not_shared,
    "group_sessions": group_sessions,
    "prompts": prompts,
    "personal_schedules": personal_schedules,
    "preferences": preferences,
    "access_to_my_data": access_to_my_data,
}

README = """Werkzaam: all data that is yours, downloaded {at}.

Each kind of data is here twice: as JSON (complete) and as CSV (one row each; lists and details
as JSON inside the cell). Files: {files}.

Client ratings: the answers a client shared with you are in client_ratings, one by one. The answers
not shared with you are only in client_ratings_not_shared, as one figure over three or more answers
(as on your home page): never one answer on its own.
"""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _csv(rows: Rows) -> str:
    out = io.StringIO()
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        cells = []
        for key in header:
            value = row.get(key)
            cell = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
            cells.append(safe_cell(cell))
        writer.writerow(["" if c is None else c for c in cells])
    return out.getvalue()


def personal_data_zip(user: User, now: datetime) -> bytes:
    """The ZIP: per kind `<kind>.json` and `<kind>.csv`, and a README.txt that names them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, rows_of in KINDS.items():
            rows = [_plain(row) for row in rows_of(user)]
            archive.writestr(f"{kind}.json", json.dumps({kind: rows}, ensure_ascii=False, indent=2))
            archive.writestr(f"{kind}.csv", _csv(rows))
        archive.writestr("README.txt", README.format(at=now.isoformat(timespec="seconds"),
                                                     files=", ".join(KINDS)))
    return buffer.getvalue()
