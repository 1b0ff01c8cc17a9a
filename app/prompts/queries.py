"""Reads for the prompt pages: the inbox and its badge, one prompt, the schedules a person sees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from app.auth.models import User
from app.db import UTCDateTime, db, row_count, utcnow
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.prompts import occurrences
from app.prompts.models import Prompt, Schedule
from app.teams import queries as teams_queries
from app.teams.models import Team


def nagging(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """A prompt that asks for attention now: open, due, not expired, not snoozed."""
    return and_(
        Prompt.status == "open",
        Prompt.due_at <= now,
        Prompt.expires_at > now,
        or_(Prompt.snoozed_until.is_(None), Prompt.snoozed_until <= now),
    )


def inbox_count(user_id: int, now: datetime | None = None) -> int:
    """How many prompts wait for the user (the badge): one indexed COUNT."""
    return int(db.session.scalar(inbox_count_query(user_id, now or utcnow())) or 0)


def inbox_count_query(user_id: int, now: datetime) -> Select[int]:
    """inbox_count as a query, for the menu's one query per page (app/menu.py)."""
    return select(func.count(Prompt.id)).where(Prompt.user_id == user_id, nagging(now))


@dataclass(frozen=True)
class PromptItem:
    """A prompt as the inbox shows it (no text from anyone else, only the schedule's theme)."""

    prompt: Prompt
    schedule: Schedule
    element: CoreElement | None
    session_date: object | None
    team_name: str | None


_ITEMS = (
    select(Prompt, Schedule, CoreElement, PracticeLog.session_date, Team.name)
    .join(Schedule, Schedule.id == Prompt.schedule_id)
    .outerjoin(CoreElement, CoreElement.id == Prompt.element_id)
    .outerjoin(PracticeLog, PracticeLog.id == Prompt.practice_log_id)
    .outerjoin(Team, Team.id == Schedule.team_id)
)
_NEWEST_FIRST = (Prompt.due_at.desc(), Prompt.id.desc())


def _items(rows: Iterable[Any]) -> list[PromptItem]:
    return [PromptItem(p, s, e, d, t) for p, s, e, d, t in rows]


def _prompt_items(query: object, limit: int = 100) -> list[PromptItem]:
    return _items(db.session.execute(
        _ITEMS.where(query).order_by(*_NEWEST_FIRST).limit(row_count(value=limit))  # type: ignore[arg-type]
    ).all())


# The inbox's two lists, built once per process (each request binds the user and the time).
_USER = bindparam("user_id", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime)
_SNOOZED = and_(Prompt.status == "open", Prompt.expires_at > _NOW, Prompt.snoozed_until > _NOW)


def _newest(waiting: bool, condition: ColumnElement[bool]) -> Select[Any]:
    """The ids of the user's 100 newest prompts that meet `condition`, marked waiting or not."""
    newest = (select(Prompt.id).where(Prompt.user_id == _USER, condition)
              .order_by(*_NEWEST_FIRST).limit(row_count(value=100)).subquery())
    return select(newest.c.id, literal(waiting).label("waiting"))


# Both lists in one statement: the newest 100 of each kind (a prompt is never both: a snoozed one
# does not nag until its snooze ends).
_CHOSEN = union_all(_newest(True, nagging(_NOW)), _newest(False, _SNOOZED)).subquery()
_INBOX = (_ITEMS.add_columns(_CHOSEN.c.waiting).join(_CHOSEN, _CHOSEN.c.id == Prompt.id)
          .order_by(*_NEWEST_FIRST))


def inbox_for(user_id: int, now: datetime) -> tuple[list[PromptItem], list[PromptItem]]:
    """The prompts waiting now, and the snoozed ones that will come back (newest first)."""
    waiting: list[PromptItem] = []
    snoozed: list[PromptItem] = []
    for *item, is_waiting in db.session.execute(_INBOX, {"user_id": user_id, "now": now}):
        (waiting if is_waiting else snoozed).append(PromptItem(*item))
    return waiting, snoozed


def waiting_prompts(user_id: int, now: datetime, limit: int = 3) -> list[PromptItem]:
    """The newest prompts waiting now (for the home page)."""
    return _prompt_items(and_(Prompt.user_id == user_id, nagging(now)), limit)


def prompt_item(prompt_id: int) -> PromptItem | None:
    items = _prompt_items(Prompt.id == prompt_id)
    return items[0] if items else None


def prompt_by_id(prompt_id: int) -> Prompt | None:
    return db.session.get(Prompt, prompt_id)


@dataclass(frozen=True)
class ScheduleRow:
    schedule: Schedule
    team_name: str | None
    element: CoreElement | None
    next_due: datetime | None
    open_prompts: int


def next_due(schedule: Schedule, now: datetime) -> datetime | None:
    """When the schedule next prompts (None for session-based or past one-off schedules)."""
    if not schedule.active:
        return None
    if schedule.kind == "one_off":
        return schedule.once_at if schedule.once_at and schedule.once_at > now else None
    if schedule.kind in ("recurring", "targeted") and schedule.weekday is not None \
            and schedule.local_time is not None and schedule.anchor_date is not None:
        return occurrences.next_weekly(schedule.weekday, schedule.local_time,
                                       schedule.interval_weeks or 1, schedule.anchor_date, now)
    return None


def schedules_for(user: User, now: datetime) -> list[ScheduleRow]:
    """The user's own schedules and those of the teams they guide, with open-prompt counts."""
    rows = db.session.execute(_SCHEDULES, {"user_id": user.id, "organisation_id": user.organisation_id,
                                           "now": now}).all()
    return [ScheduleRow(s, t, e, next_due(s, now), int(n)) for s, t, e, n in rows]


def _schedules() -> Select[Schedule, str, CoreElement, Any]:
    """schedules_for's statement: the user, their organisation and the time are bound parameters."""
    user_id = bindparam("user_id", type_=Integer)
    organisation_id = bindparam("organisation_id", type_=Integer)
    now = bindparam("now", type_=UTCDateTime)
    # The open prompts are few (they expire): counted once, not per schedule over its history.
    open_counts = (
        select(Prompt.schedule_id, func.count(Prompt.id).label("n"))
        .where(Prompt.status == "open", Prompt.expires_at > now)
        .group_by(Prompt.schedule_id)
        .subquery()
    )
    guided = teams_queries.guided_team_ids(user_id, organisation_id, now)
    return (
        select(Schedule, Team.name, CoreElement, func.coalesce(open_counts.c.n, 0))
        .outerjoin(Team, Team.id == Schedule.team_id)
        .outerjoin(CoreElement, CoreElement.id == Schedule.element_id)
        .outerjoin(open_counts, open_counts.c.schedule_id == Schedule.id)
        .where(Schedule.organisation_id == organisation_id,
               or_(Schedule.owner_id == user_id, Schedule.team_id.in_(guided)))
        .order_by(Team.name.is_not(None), Team.name, Schedule.created_at)
    )


_SCHEDULES = _schedules()  # built once per process


def schedule_by_id(organisation_id: int, schedule_id: int) -> Schedule | None:
    schedule = db.session.get(Schedule, schedule_id)
    return schedule if schedule is not None and schedule.organisation_id == organisation_id else None


def plans_prompts_clause(user_id: Any, organisation_id: Any, now: Any) -> ColumnElement[bool]:
    """Whether the schedules page is of use to a user: they guide a team, or keep a rhythm of their
    own (ids and time as values or bindparams), for the reflection menu's one query
    (app/reflection/subnav.py). Who may manage which schedule is `can_manage_schedule`."""
    own = exists().where(Schedule.owner_id == user_id)
    return or_(own, teams_queries.guides_a_team_clause(user_id, organisation_id, now))
