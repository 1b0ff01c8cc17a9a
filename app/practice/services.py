"""Practice-log writes: create (idempotent per form), edit, delete, private switch. Flush only."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Integer, String, Table, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.auth.models import User
from app.clock import local_date
from app.db import db, dialect_insert
from app.elements.queries import ElementCatalogue, catalogue_for
from app.practice import queries
from app.practice.models import (
    AGE_BANDS,
    DURATION_MAX,
    DURATION_MIN,
    NOTE_MAX,
    PARTICIPANTS,
    PHASES,
    RATINGS,
    SETTINGS,
    PracticeLog,
    PracticeLogElement,
    PracticeLogParticipant,
    PracticeLogTechnique,
)
from app.privacy import services as privacy
from app.privacy.guard import find_identifiers, guard_message
from app.privacy.text import clean_text
from app.security import can_change_log, can_read_log, require
from app.services import ServiceError


@dataclass(frozen=True)
class LogInput:
    """What a practitioner fills in; `ratings` maps each applied element's id to its self-rating."""

    session_date: date
    setting: str
    participants: tuple[str, ...]
    age_band: str
    phase: str
    ratings: dict[int, int]
    technique_ids: frozenset[int] = field(default_factory=frozenset)
    duration_minutes: int | None = None
    note: str | None = None
    private: bool = False


def _check(data: LogInput, now: datetime, catalogue: list[ElementCatalogue]) -> None:
    """Refuse what the form should already have refused (the service is also used without it).

    `catalogue` is what the log may tick: the organisation's offered techniques, plus those it
    already has when it is edited.
    """
    if data.session_date > local_date(now):
        raise ServiceError(_("The date cannot be in the future."), "session_date")
    if data.duration_minutes is not None and not DURATION_MIN <= data.duration_minutes <= DURATION_MAX:
        raise ServiceError(_("Fill in between 5 and 480 minutes."), "duration_minutes")
    if data.setting not in SETTINGS:
        raise ServiceError(_("Choose where the session took place."), "setting")
    if not data.participants or not set(data.participants) <= set(PARTICIPANTS):
        raise ServiceError(_("Choose who took part."), "participants")
    if data.age_band not in AGE_BANDS:
        raise ServiceError(_("Choose the age of the young person."), "age_band")
    if data.phase not in PHASES:
        raise ServiceError(_("Choose the phase of the help."), "phase")
    if data.note and len(data.note) > NOTE_MAX:
        raise ServiceError(_("Write at most 500 characters."), "note")
    findings = find_identifiers(data.note, local_date(now))
    if findings:
        raise ServiceError(guard_message(findings), "note")
    if not data.ratings:
        raise ServiceError(_("Tick at least one element you applied in this session."))
    elements = {entry.element.id for entry in catalogue}
    if not set(data.ratings) <= elements or any(r not in RATINGS for r in data.ratings.values()):
        raise ServiceError(_("Choose how well it went."))
    allowed = {t.id: t for entry in catalogue for t in entry.techniques}
    for technique_id in data.technique_ids:
        technique = allowed.get(technique_id)
        if technique is None:
            raise ServiceError(_("This technique cannot be chosen."))
        if technique.element_id not in data.ratings:
            raise ServiceError(_("Choose how well it went."))


def _fill(log: PracticeLog, data: LogInput) -> None:
    """Copy `data` onto `log`, changing child rows in place (no delete-and-insert of the same key)."""
    log.session_date = data.session_date
    log.duration_minutes = data.duration_minutes
    log.setting, log.age_band, log.phase = data.setting, data.age_band, data.phase
    log.note = (data.note or "").strip() or None
    log.private = data.private
    log.team_id = queries.team_on(log.author_id, data.session_date)
    wanted = set(data.participants)
    log.participants = [p for p in log.participants if p.participant in wanted] + [
        PracticeLogParticipant(participant=k) for k in PARTICIPANTS
        if k in wanted and k not in log.participant_keys
    ]
    current = {pe.element_id: pe for pe in log.elements}
    for element_id, rating in data.ratings.items():
        if element_id in current:
            current[element_id].self_rating = rating
    log.elements = [pe for pe in log.elements if pe.element_id in data.ratings] + [
        PracticeLogElement(element_id=e, self_rating=r) for e, r in data.ratings.items() if e not in current
    ]
    have = {pt.technique_id for pt in log.techniques}
    log.techniques = [pt for pt in log.techniques if pt.technique_id in data.technique_ids] + [
        PracticeLogTechnique(technique_id=t) for t in sorted(data.technique_ids - have)
    ]


def create_log(actor: User, data: LogInput, submission_key: str, now: datetime) -> tuple[int, bool]:
    """Save a new log of `actor`'s own practice; returns (the log's id, created).

    The form's submission key makes this idempotent: when a log with that key exists (a double
    tap, a resent POST, or a concurrent request that won the race) that log's id is returned and
    nothing new is written. Raises ServiceError for invalid input. Flushes.
    """
    data = replace(data, note=clean_text(data.note))
    _check(data, now, catalogue_for(actor.organisation_id))
    log_id = _insert(actor, data, submission_key, now)
    if log_id is not None:
        return log_id, True
    # The key is taken: this form was saved before, or a concurrent submit of it won the race.
    existing = queries.log_by_submission_key(submission_key)
    assert existing is not None
    require(can_change_log(actor, existing))
    return existing.id, False


def _insert(actor: User, data: LogInput, submission_key: str, now: datetime) -> int | None:
    """Write the log and its child rows; None when the key is already taken.

    The hottest write of the app, so it skips the ORM and is built once per database kind
    (`_log_insert`). On PostgreSQL the log and its children go in one statement (one round trip);
    on SQLite, which has no round trips, the children follow in one executemany per table. A log
    is written once here and edited through the ORM in update_log.
    """
    participants = sorted(set(data.participants))
    techniques = sorted(data.technique_ids)
    connection = db.session.connection()
    postgresql = connection.dialect.name == "postgresql"
    params: dict[str, Any] = {
        "organisation_id": actor.organisation_id, "author_id": actor.id,
        "session_date": data.session_date, "duration_minutes": data.duration_minutes,
        "setting": data.setting, "age_band": data.age_band, "phase": data.phase,
        "note": (data.note or "").strip() or None, "private": data.private,
        "submission_key": submission_key, "created_at": now, "updated_at": now,
    }
    if postgresql:
        params |= {"participants": participants, "element_ids": list(data.ratings),
                   "ratings": list(data.ratings.values()), "technique_ids": techniques}
    log_id = connection.execute(_log_insert(connection.dialect.name), params).scalar()
    if log_id is None or postgresql:
        return log_id
    children = (
        (PracticeLogParticipant, [{"log_id": log_id, "participant": p} for p in participants]),
        (PracticeLogElement, [{"log_id": log_id, "element_id": e, "self_rating": r}
                              for e, r in data.ratings.items()]),
        (PracticeLogTechnique, [{"log_id": log_id, "technique_id": t} for t in techniques]),
    )
    for model, rows in children:
        if rows:
            connection.execute(insert(cast(Table, model.__table__)), rows)
    return int(log_id)


@lru_cache(maxsize=2)
def _log_insert(dialect: str) -> Any:
    """The log's INSERT … ON CONFLICT DO NOTHING RETURNING id, built once per database kind.

    Its team is looked up inside it, and all values are bound parameters, so the statement and
    its cache key are made once. On PostgreSQL the child rows are written by the same statement:
    each is an INSERT in a WITH clause that unnests an array parameter for the new log's id, so
    nothing is written when the key was taken.
    """
    columns = ("organisation_id", "author_id", "session_date", "duration_minutes", "setting",
               "age_band", "phase", "note", "private", "submission_key", "created_at", "updated_at")
    table = cast(Table, PracticeLog.__table__)
    values: dict[str, Any] = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    values["team_id"] = queries.team_on_query(values["author_id"], values["session_date"]).scalar_subquery()
    log = (
        dialect_insert(table, dialect).values(values)
        .on_conflict_do_nothing(index_elements=["submission_key"])
        .returning(table.c.id)
    )
    if dialect != "postgresql":
        return log
    new_log = log.cte("new_log")

    def unnest(name: str, item: Any) -> Any:
        return func.unnest(bindparam(name, type_=ARRAY(item)))

    children = (
        (PracticeLogParticipant, ["participant"], [unnest("participants", String)]),
        (PracticeLogElement, ["element_id", "self_rating"],
         [unnest("element_ids", Integer), unnest("ratings", Integer)]),
        (PracticeLogTechnique, ["technique_id"], [unnest("technique_ids", Integer)]),
    )
    return select(new_log.c.id).add_cte(*(
        insert(cast(Table, model.__table__))
        .from_select(["log_id", *names], select(new_log.c.id, *arrays))
        .cte(f"new_{model.__tablename__}")
        for model, names, arrays in children
    ))


def update_log(actor: User, log: PracticeLog, data: LogInput, now: datetime) -> None:
    """Change a log; only its author may. Techniques retired since stay when still ticked. Flushes."""
    require(can_change_log(actor, log))
    ticked = [pt.technique_id for pt in log.techniques]
    data = replace(data, note=clean_text(data.note))
    _check(data, now, catalogue_for(actor.organisation_id, keep_ids=ticked))
    _fill(log, data)
    log.updated_at = now
    db.session.flush()


def delete_log(actor: User, log: PracticeLog) -> None:
    """Delete a log with its elements and techniques; only its author may. Flushes."""
    require(can_change_log(actor, log))
    db.session.delete(log)
    db.session.flush()


def set_private(actor: User, log: PracticeLog, private: bool, now: datetime) -> None:
    """Hide a log from the coach (private) or share it again; only its author may. Flushes."""
    require(can_change_log(actor, log))
    log.private = private
    log.updated_at = now
    db.session.flush()


def record_log_read(actor: User, log: PracticeLog) -> None:
    """Log a coach's read of someone else's log in the access log; the author's own reads are not.

    Checks `can_read_log` first (404 otherwise).
    """
    require(can_read_log(actor, log))
    privacy.record_read(actor, "practice_log", log.id, log.author_id)
