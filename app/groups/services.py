"""Group reflection writes: record, correct and delete sessions; each participant's own notes.

Flush only. The record holds no client data: a date, a duration, a form, a facilitator, who took
part. What a participant learned is theirs alone (learning question and three SKJ dimensions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.clock import local_date
from app.db import db
from app.groups.models import GROUP_FORMS, GroupParticipant, GroupSession
from app.privacy import services as privacy
from app.privacy.guard import check_text
from app.privacy.text import clean_text
from app.reflection.services import ANSWER_MAX
from app.security import can_change_group_session, can_guide_team, can_write_group_notes, require
from app.services import ServiceError
from app.teams.models import Membership, Team

DURATION_MAX = 720


@dataclass(frozen=True)
class GroupSessionInput:
    session_date: date
    duration_minutes: int
    form: str
    participant_ids: frozenset[int]
    facilitator_id: int | None = None
    facilitator_name: str | None = None


def current_member_ids(team_id: int) -> set[int]:
    """Everyone with a running membership of the team (practitioners and leads)."""
    return set(db.session.scalars(
        select(Membership.user_id).where(Membership.team_id == team_id, Membership.ended_on.is_(None))
    ))


def _validated(
    team: Team, data: GroupSessionInput, now: datetime, keep: Iterable[int] = ()
) -> GroupSessionInput:
    if data.form not in GROUP_FORMS:
        raise ServiceError(_("Choose the form of the session."), "form")
    if not 1 <= data.duration_minutes <= DURATION_MAX:
        raise ServiceError(_("Fill in a duration between 1 and 720 minutes."), "duration_minutes")
    if data.session_date > local_date(now):
        raise ServiceError(_("Record a session after it took place."), "session_date")
    allowed = current_member_ids(team.id) | set(keep)
    if not data.participant_ids:
        raise ServiceError(_("Choose who took part."), "participant_ids")
    if not data.participant_ids <= allowed:
        raise ServiceError(_("Choose participants from the team."), "participant_ids")
    name = clean_text(data.facilitator_name or "").strip() or None
    if data.facilitator_id:
        if data.facilitator_id not in data.participant_ids:
            raise ServiceError(_("The facilitator must be one of the participants."), "facilitator_id")
        name = None
    elif not name:
        raise ServiceError(_("Choose a facilitator, or type their name."), "facilitator_name")
    check_text(name, "facilitator_name")
    return GroupSessionInput(data.session_date, data.duration_minutes, data.form, data.participant_ids,
                             data.facilitator_id or None, name[:120] if name else None)


def record_group_session(actor: User, team: Team, data: GroupSessionInput, now: datetime) -> GroupSession:
    """Record a session of the team (its lead, or a coach of one of its members); flushes."""
    require(can_guide_team(actor, team))
    clean = _validated(team, data, now)
    group = GroupSession(
        organisation_id=team.organisation_id, team_id=team.id, created_by_id=actor.id,
        session_date=clean.session_date, duration_minutes=clean.duration_minutes, form=clean.form,
        facilitator_id=clean.facilitator_id, facilitator_name=clean.facilitator_name, created_at=now,
    )
    group.participants = [GroupParticipant(user_id=uid) for uid in sorted(clean.participant_ids)]
    db.session.add(group)
    db.session.flush()
    return group


def update_group_session(actor: User, group: GroupSession, data: GroupSessionInput, now: datetime) -> None:
    """Correct the record; a participant taken off loses their notes with it; flushes."""
    require(can_change_group_session(actor, group))
    clean = _validated(group.team, data, now, keep=[p.user_id for p in group.participants])
    group.session_date, group.form = clean.session_date, clean.form
    group.duration_minutes = clean.duration_minutes
    group.facilitator_id, group.facilitator_name = clean.facilitator_id, clean.facilitator_name
    present = {p.user_id: p for p in group.participants}
    group.participants = [
        present.get(uid) or GroupParticipant(user_id=uid) for uid in sorted(clean.participant_ids)
    ]
    db.session.flush()


def delete_group_session(actor: User, group: GroupSession) -> None:
    """Delete the record with every participant's notes; flushes."""
    require(can_change_group_session(actor, group))
    db.session.delete(group)
    db.session.flush()


def save_group_notes(
    actor: User, group: GroupSession, *, learning_question: str | None, technical: str | None,
    normative: str | None, personal: str | None, now: datetime,
) -> GroupParticipant:
    """A participant's own learning question and notes per SKJ dimension (guarded); flushes."""
    require(can_write_group_notes(actor, group))
    texts = {
        "learning_question": learning_question, "notes_technical": technical,
        "notes_normative": normative, "notes_personal": personal,
    }
    clean = {k: clean_text(v or "").strip()[:ANSWER_MAX] or None for k, v in texts.items()}
    for field, text in clean.items():
        check_text(text, field)
    row = next(p for p in group.participants if p.user_id == actor.id)
    for field, text in clean.items():
        setattr(row, field, text)
    row.updated_at = now
    db.session.flush()
    return row


def record_skj_export(actor: User) -> None:
    """Every export is logged (privacy.md), also of one's own data."""
    privacy.record_access(actor, "author", "export", "skj_hours_csv", actor.id, subject_id=actor.id)
