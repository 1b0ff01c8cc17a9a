"""Reads for the reflection pages: settings, the prompt inbox, reflections, shares, drafts, reminders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, exists, select, union
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.db import UTCDateTime, db, utcnow
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.reflection import catalogue
from app.reflection.models import (
    DEFAULT_EMAIL_MODE,
    Reflection,
    ReflectionDraft,
    ReflectionPreference,
    ReflectionSettings,
    ReflectionShare,
)
from app.teams.models import CoachAssignment


@dataclass(frozen=True)
class Settings:
    """An organisation's reflection rules (defaults when it never changed them)."""

    skj_target_hours: int = 60
    skj_cycle_years: int = 5
    skj_min_session_minutes: int = 60
    prompt_expiry_days: int = 7


def settings_for(organisation_id: int) -> Settings:
    row = db.session.get(ReflectionSettings, organisation_id)
    if row is None:
        return Settings()
    return Settings(row.skj_target_hours, row.skj_cycle_years, row.skj_min_session_minutes,
                    row.prompt_expiry_days)


def preference_for(user_id: int) -> ReflectionPreference:
    """The user's stored preference, or an unsaved one with the defaults."""
    row = db.session.get(ReflectionPreference, user_id)
    return row or ReflectionPreference(user_id=user_id, email_mode=DEFAULT_EMAIL_MODE)


# --- reflections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionRow:
    reflection: Reflection
    element: CoreElement | None
    author_name: str
    shared_with: tuple[str, ...] = ()

    def template_name(self, locale: str) -> str:
        tpl = catalogue.template(self.reflection.template_key)
        return tpl.name(locale) if tpl else self.reflection.template_key

    @property
    def excerpt(self) -> str:
        text = next((str(v) for v in self.reflection.answers.values() if v), "")
        return text if len(text) <= 120 else text[:117].rstrip() + "…"


def reflection_by_id(reflection_id: int) -> Reflection | None:
    """The reflection page's came with the user (app.security.page_row): the session has it."""
    return db.session.get(Reflection, reflection_id)


def reflections_for(author_id: int) -> list[ReflectionRow]:
    """The author's own reflections, newest first, with whom each is shared (by name), in one
    statement: a reflection comes once per coach it is shared with, or once without one."""
    found: dict[int, tuple[Reflection, CoreElement | None, str, list[str]]] = {}
    for reflection, element, author_name, coach_name in db.session.execute(
            _REFLECTIONS_OF, {"author_id": author_id}):
        entry = found.setdefault(reflection.id, (reflection, element, author_name, []))
        if coach_name is not None:
            entry[3].append(coach_name)
    return [ReflectionRow(r, e, n, tuple(names)) for r, e, n, names in found.values()]


def shared_with_coach(coach_id: int, now: datetime | None = None) -> list[ReflectionRow]:
    """Reflections shared with this coach, while the share stands and the coaching runs."""
    rows = db.session.execute(_SHARED_WITH_COACH, {"coach_id": coach_id, "now": now or utcnow()}).all()
    return [ReflectionRow(r, e, n) for r, e, n in rows]


# The statements of the reflection lists above, built once per process: a call binds its values.
_SHARED_WITH = aliased(User)
_REFLECTIONS_OF = (
    select(Reflection, CoreElement, User.display_name, _SHARED_WITH.display_name)
    .join(User, User.id == Reflection.author_id)
    .outerjoin(CoreElement, CoreElement.id == Reflection.element_id)
    .outerjoin(ReflectionShare, and_(ReflectionShare.reflection_id == Reflection.id,
                                     ReflectionShare.withdrawn_at.is_(None)))
    .outerjoin(_SHARED_WITH, _SHARED_WITH.id == ReflectionShare.coach_id)
    .where(Reflection.author_id == bindparam("author_id", type_=Integer))
    .order_by(Reflection.created_at.desc(), Reflection.id.desc(), _SHARED_WITH.display_name)
)
_COACH = bindparam("coach_id", type_=Integer)
_SHARED_WITH_COACH = (
    select(Reflection, CoreElement, User.display_name)
    .join(ReflectionShare, ReflectionShare.reflection_id == Reflection.id)
    .join(User, User.id == Reflection.author_id)
    .outerjoin(CoreElement, CoreElement.id == Reflection.element_id)
    .where(
        ReflectionShare.coach_id == _COACH,
        ReflectionShare.withdrawn_at.is_(None),
        exists().where(
            CoachAssignment.coach_id == _COACH,
            CoachAssignment.coachee_id == Reflection.author_id,
            CoachAssignment.runs_at(bindparam("now", type_=UTCDateTime)),
        ),
    )
    .order_by(ReflectionShare.shared_at.desc())
)


# Built once per process: each call binds only the user and the time.
_COACHES = (
    select(User)
    .join(CoachAssignment, CoachAssignment.coach_id == User.id)
    .where(
        CoachAssignment.coachee_id == bindparam("user_id", type_=Integer),
        CoachAssignment.runs_at(bindparam("now", type_=UTCDateTime)),
        User.active.is_(True),
    )
    .order_by(User.display_name)
    .distinct()
)


def coaches_of(user_id: int, now: datetime | None = None) -> list[User]:
    """The user's running coaches, by name (whom a reflection can be shared with)."""
    return list(db.session.scalars(_COACHES, {"user_id": user_id, "now": now or utcnow()}))


@dataclass(frozen=True)
class CoachRef:
    """A coach as an item's page names them: whom to ask or share with, who was asked."""

    id: int
    display_name: str


@dataclass(frozen=True)
class OpenRow:
    """A share or feedback request on an item that runs: its coach, and since when."""

    coach: CoachRef
    since: datetime

    @property
    def coach_id(self) -> int:
        return self.coach.id


@dataclass(frozen=True)
class CoachesAndOpen:
    """An author's item and their coaches: what runs on the item (its shares or feedback
    requests not withdrawn, oldest first, each with its coach) and whom they can still ask."""

    opened: list[OpenRow]
    coaches: list[CoachRef]  # the author's running coaches, by name (as coaches_of)


@cache
def _coaches_and_open(model: Any, item_column: Any, since: str) -> Select[Any]:
    """coaches_and_open's statement for one kind of item, built once per process: the running
    coaches and the coaches of the item's open rows (one row each: a coach has one row per item),
    as plain columns (a page shows their names and dates only)."""
    item, user, now = (bindparam("item_id", type_=Integer), bindparam("user_id", type_=Integer),
                       bindparam("now", type_=UTCDateTime))
    is_open = and_(item_column == item, model.withdrawn_at.is_(None))
    running = exists().where(CoachAssignment.coach_id == User.id, CoachAssignment.coachee_id == user,
                             CoachAssignment.runs_at(now))
    involved = union(
        select(CoachAssignment.coach_id).where(CoachAssignment.coachee_id == user,
                                               CoachAssignment.runs_at(now)),
        select(model.coach_id).where(is_open),
    ).subquery()
    return (
        select(User.id, User.display_name, getattr(model, since), model.id,
               and_(running, User.active.is_(True)))
        .join(involved, involved.c.coach_id == User.id)
        .outerjoin(model, and_(model.coach_id == User.id, is_open))
        .order_by(User.display_name, User.id)
    )


def coaches_and_open(model: Any, item_column: Any, since: str, item_id: int, user_id: int,
                     now: datetime | None = None) -> CoachesAndOpen:
    """In one statement: the open rows of `model` (ReflectionShare or FeedbackRequest) on one item,
    oldest first by their `since` column, and the running coaches of its author `user_id`."""
    rows = db.session.execute(_coaches_and_open(model, item_column, since),
                              {"item_id": item_id, "user_id": user_id, "now": now or utcnow()}).all()
    # Each row: the coach's id and name, the open row's `since` and id (None: nothing open), runs.
    opened = sorted((row for row in rows if row[3] is not None), key=lambda row: (row[2], row[3]))
    return CoachesAndOpen(
        [OpenRow(CoachRef(coach_id, name), at) for coach_id, name, at, _id, _runs in opened],
        [CoachRef(coach_id, name) for coach_id, name, _at, _id, runs in rows if runs])


def sharing(reflection_id: int, author_id: int) -> CoachesAndOpen:
    """A reflection's shares that run (oldest first, with their coach) and whom its author can share
    it with: their running coaches."""
    return coaches_and_open(ReflectionShare, ReflectionShare.reflection_id, "shared_at",
                            reflection_id, author_id)


def element_by_id(element_id: int | None) -> CoreElement | None:
    return db.session.get(CoreElement, element_id) if element_id else None


def log_element_ids(log_id: int) -> list[int]:
    """The elements applied in a practice log, in catalogue order."""
    log = db.session.get(PracticeLog, log_id)
    if log is None:
        return []
    return [e.element_id for e in sorted(log.elements, key=lambda e: e.element.position)]


def draft_for(user_id: int, key: str) -> ReflectionDraft | None:
    return db.session.scalar(
        select(ReflectionDraft).where(ReflectionDraft.user_id == user_id, ReflectionDraft.key == key)
    )


# --- integration with practice logs ----------------------------------------------------------


@dataclass(frozen=True)
class TrialReminder:
    """The "trial" answer of the practitioner's last ALACT reflection on an element."""

    element_id: int
    text: str
    reflection_id: int
    written_at: datetime


# trial_reminders_for's statement for all elements (the log form's), built once per process.
_TRIALS = (
    select(Reflection)
    .where(Reflection.author_id == bindparam("user_id", type_=Integer),
           Reflection.template_key == catalogue.TRIAL_TEMPLATE, Reflection.element_id.is_not(None))
    .order_by(Reflection.created_at.desc(), Reflection.id.desc())
)


def trial_reminders_for(user_id: int, element_ids: Iterable[int] | None = None) -> dict[int, TrialReminder]:
    """Per element: what the user said they would try next time, from their latest ALACT reflection
    on that element (only when that reflection has a trial answer). For the practice-log form.
    """
    query = _TRIALS if element_ids is None else _TRIALS.where(Reflection.element_id.in_(list(element_ids)))
    latest: dict[int, Reflection] = {}
    for reflection in db.session.scalars(query, {"user_id": user_id}):
        latest.setdefault(int(reflection.element_id or 0), reflection)
    reminders: dict[int, TrialReminder] = {}
    for element_id, reflection in latest.items():
        text = str(reflection.answers.get(catalogue.TRIAL_STEP) or "").strip()
        if text:
            reminders[element_id] = TrialReminder(element_id, text, reflection.id, reflection.created_at)
    return reminders

