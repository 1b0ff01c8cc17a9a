"""Prompt delivery: turn due schedule occurrences into prompts, set-based and idempotent.

Every insert goes through ON CONFLICT DO NOTHING on (schedule, user, occurrence), so running the
materialiser twice, in parallel, or after hours of downtime gives each person one prompt per
occurrence. Only occurrences that are still alive (younger than the expiry window) are delivered.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Select, String, exists, func, literal, or_, select

from app.auth.models import User
from app.clock import local_date
from app.dashboards.queries import ElementStats, element_stats_per_author
from app.db import UTCDateTime, db, dialect_insert
from app.elements.models import CoreElement
from app.goals.queries import current_goal_elements
from app.practice.models import PracticeLog, PracticeLogElement
from app.prompts import occurrences
from app.prompts.models import Prompt, Schedule
from app.reflection.models import ReflectionSettings
from app.reflection.queries import Settings
from app.teams.models import Membership

DEFAULT_EXPIRY_DAYS = Settings().prompt_expiry_days
TARGET_WINDOW = timedelta(weeks=4)
_COLUMNS = [
    "schedule_id", "user_id", "occurrence_key", "due_at", "expires_at", "status",
    "element_id", "practice_log_id", "run_id", "created_at",
]


@dataclass
class Run:
    """One materialiser pass: its id (stamped on the prompts it creates) and its counts."""

    now: datetime
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    schedules: int = 0


def _on_conflict(stmt: Any) -> Any:
    return stmt.on_conflict_do_nothing(index_elements=["schedule_id", "user_id", "occurrence_key"])


def recipients(schedule: Schedule, on_day: Any) -> Select[Any]:
    """The user ids a schedule reaches: the team's current practitioners, or its owner."""
    if schedule.owner_id is not None:
        return select(User.id).where(User.id == schedule.owner_id, User.active.is_(True))
    return (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.team_id == schedule.team_id,
            Membership.role == "practitioner",
            Membership.started_on <= on_day,
            or_(Membership.ended_on.is_(None), Membership.ended_on > on_day),
            User.active.is_(True),
        )
        .distinct()
    )


def _deliver_to_all(run: Run, schedule: Schedule, occ: occurrences.Occurrence, expiry: timedelta) -> None:
    """One INSERT … SELECT: a prompt for every recipient of this occurrence."""
    who = recipients(schedule, local_date(occ.due_at)).subquery()
    rows = select(
        literal(schedule.id, Integer),
        who.c[0],
        literal(occ.key, String),
        literal(occ.due_at, UTCDateTime()),
        literal(occ.due_at + expiry, UTCDateTime()),
        literal("open", String),
        literal(schedule.element_id, Integer),
        literal(None, Integer),
        literal(run.run_id, String),
        literal(run.now, UTCDateTime()),
    ).where(who.c[0].is_not(None)).order_by(who.c[0])
    # The WHERE keeps SQLite's parser clear of ON CONFLICT; the ORDER BY makes parallel runs take
    # the unique-index locks in the same order (no deadlock on PostgreSQL).
    db.session.execute(_on_conflict(dialect_insert(Prompt).from_select(_COLUMNS, rows)))


def _deliver_rows(run: Run, rows: Sequence[dict[str, Any]]) -> None:
    """Insert prompts computed per person (targeted, after-sessions) in one executemany."""
    if rows:
        ordered = sorted(rows, key=lambda r: (r["user_id"], r["occurrence_key"]))  # same lock order
        stamped = [{**r, "status": "open", "run_id": run.run_id, "created_at": run.now} for r in ordered]
        db.session.execute(_on_conflict(dialect_insert(Prompt)), stamped)


def _targeted_rows(
    schedule: Schedule, occ: occurrences.Occurrence, expiry: timedelta
) -> list[dict[str, Any]]:
    """Per recipient, the element they logged least (or rated lowest) in the 4 weeks before, or
    the element of their current learning goal (without an open goal: the one logged least)."""
    day = local_date(occ.due_at)
    user_ids = list(db.session.scalars(recipients(schedule, day)))
    if not user_ids:
        return []
    element_ids = list(db.session.scalars(select(CoreElement.id).order_by(CoreElement.position)))
    # The window ends with the due day: (day - 4 weeks, day], as [start, end) dates.
    counts = element_stats_per_author(user_ids, day - TARGET_WINDOW + timedelta(days=1),
                                      day + timedelta(days=1))
    goals = current_goal_elements(user_ids) if schedule.target == "learning_goal" else {}
    return [
        {
            "schedule_id": schedule.id, "user_id": uid, "occurrence_key": occ.key,
            "due_at": occ.due_at, "expires_at": occ.due_at + expiry,
            "element_id": goals.get(uid) or pick_element(schedule.target or "least_logged", element_ids,
                                                         counts.get(uid, {})),
            "practice_log_id": None,
        }
        for uid in user_ids
    ]


def pick_element(target: str, element_ids: list[int], stats: dict[int, ElementStats]) -> int | None:
    """The element to reflect on: least logged (ties: catalogue order), or lowest mean rating.

    Without any rating in the window, "lowest rated" falls back to "least logged".
    """
    if not element_ids:
        return None
    order = {e: i for i, e in enumerate(element_ids)}
    if target == "lowest_rated":
        rated = [e for e in element_ids if e in stats]
        if rated:
            return min(rated, key=lambda e: (stats[e].self_rating, -stats[e].sessions, order[e]))
    return min(element_ids, key=lambda e: (stats[e].sessions if e in stats else 0, order[e]))


def _session_milestone_rows(
    schedule: Schedule, run: Run, start: datetime, expiry: timedelta
) -> list[dict[str, Any]]:
    """After every N-th session logged since the schedule began: one prompt per milestone log."""
    n = max(schedule.every_n or 1, 1)
    who = recipients(schedule, local_date(run.now))
    condition = [PracticeLog.author_id.in_(who), PracticeLog.created_at >= schedule.created_at]
    if schedule.element_id is not None:
        condition.append(
            exists().where(
                PracticeLogElement.log_id == PracticeLog.id,
                PracticeLogElement.element_id == schedule.element_id,
            )
        )
    numbered = (
        select(
            PracticeLog.author_id, PracticeLog.id, PracticeLog.created_at,
            func.row_number().over(
                partition_by=PracticeLog.author_id, order_by=(PracticeLog.created_at, PracticeLog.id)
            ).label("rn"),
        )
        .where(*condition)
        .subquery()
    )
    milestones = db.session.execute(
        select(numbered.c.author_id, numbered.c.id, numbered.c.created_at, numbered.c.rn).where(
            numbered.c.rn % n == 0, numbered.c.created_at >= start, numbered.c.created_at <= run.now
        )
    ).all()
    return [
        {
            "schedule_id": schedule.id, "user_id": author_id, "occurrence_key": f"sessions:{rn}",
            "due_at": logged_at, "expires_at": logged_at + expiry,
            "element_id": schedule.element_id, "practice_log_id": log_id,
        }
        for author_id, log_id, logged_at, rn in milestones
    ]


def deliver_schedule(run: Run, schedule: Schedule, expiry: timedelta) -> None:
    """Create the prompts of every live occurrence of one schedule (ON CONFLICT DO NOTHING)."""
    start = max(schedule.active_since, run.now - expiry)
    if schedule.kind == "after_sessions":
        _deliver_rows(run, _session_milestone_rows(schedule, run, start, expiry))
        return
    if schedule.kind == "one_off":
        due = occurrences.once(schedule.once_at, start, run.now)
    elif schedule.weekday is None or schedule.local_time is None or schedule.anchor_date is None:
        return
    else:
        due = occurrences.weekly(
            schedule.weekday, schedule.local_time, schedule.interval_weeks or 1,
            schedule.anchor_date, start, run.now,
        )
    for occ in due:
        if schedule.kind == "targeted":
            _deliver_rows(run, _targeted_rows(schedule, occ, expiry))
        else:
            _deliver_to_all(run, schedule, occ, expiry)


def active_schedules() -> list[tuple[Schedule, int]]:
    """Every active schedule with its organisation's prompt expiry in days."""
    rows = db.session.execute(
        select(Schedule, func.coalesce(ReflectionSettings.prompt_expiry_days, DEFAULT_EXPIRY_DAYS))
        .outerjoin(ReflectionSettings, ReflectionSettings.organisation_id == Schedule.organisation_id)
        .where(Schedule.active.is_(True))
        .order_by(Schedule.id)
    ).all()
    return [(schedule, int(days)) for schedule, days in rows]
