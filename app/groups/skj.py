"""SKJ reflection hours: group sessions per registration cycle against the organisation's target.

Only reflection with others counts (intervisie, methodische werkbegeleiding, supervisie,
leerbijeenkomst), each session for at least the minimum length; solo reflections are listed apart
as self-reflection that does not count. Target, cycle and minimum are organisation settings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.clock import local_instant
from app.db import db
from app.groups.models import GroupParticipant, GroupSession
from app.reflection.models import Reflection
from app.reflection.queries import Settings, preference_for, settings_for


@dataclass(frozen=True)
class SkjSession:
    group: GroupSession
    notes: GroupParticipant
    counts: bool  # at least the minimum length

    @property
    def hours(self) -> float:
        return self.group.duration_minutes / 60


@dataclass
class SkjSummary:
    user: User
    settings: Settings
    cycle_start: date
    cycle_end: date  # the last day of the cycle
    registration_known: bool
    sessions: list[SkjSession] = field(default_factory=list)
    solo: list[Reflection] = field(default_factory=list)

    @property
    def counted_minutes(self) -> int:
        return sum(s.group.duration_minutes for s in self.sessions if s.counts)

    @property
    def counted_hours(self) -> float:
        return round(self.counted_minutes / 60, 2)

    @property
    def short_sessions(self) -> int:
        return sum(1 for s in self.sessions if not s.counts)

    @property
    def missing_hours(self) -> float:
        return max(round(self.settings.skj_target_hours - self.counted_hours, 2), 0.0)

    @property
    def progress_percent(self) -> int:
        target = self.settings.skj_target_hours or 1
        return min(int(self.counted_hours * 100 // target), 100)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cycle_for(registration: date | None, years: int, today: date) -> tuple[date, date, bool]:
    """The cycle containing `today`: from the registration date in steps of `years` years.

    Without a registration date it is the `years` years up to today (a rolling window).
    Returns (first day, last day, whether the registration date was known).
    """
    if registration is None or registration > today:
        return add_years(today, -years) + timedelta(days=1), today, False
    start = registration
    while add_years(start, years) <= today:
        start = add_years(start, years)
    return start, add_years(start, years) - timedelta(days=1), True


def skj_summary(user: User, today: date) -> SkjSummary:
    """The user's group sessions and solo reflections in their current cycle, oldest first."""
    settings = settings_for(user.organisation_id)
    start, end, known = cycle_for(preference_for(user.id).skj_cycle_start, settings.skj_cycle_years, today)
    rows = db.session.execute(
        select(GroupSession, GroupParticipant)
        .join(GroupParticipant, GroupParticipant.session_id == GroupSession.id)
        .where(GroupParticipant.user_id == user.id, GroupSession.session_date.between(start, end))
        .order_by(GroupSession.session_date, GroupSession.id)
    ).all()
    minimum = settings.skj_min_session_minutes
    sessions = [SkjSession(g, p, g.duration_minutes >= minimum) for g, p in rows]
    solo = list(db.session.scalars(
        select(Reflection)
        .where(
            Reflection.author_id == user.id,
            Reflection.created_at >= local_instant(start, time(0)),
            Reflection.created_at < local_instant(end + timedelta(days=1), time(0)),
        )
        .order_by(Reflection.created_at)
    ))
    return SkjSummary(user, settings, start, end, known, sessions, solo)


CSV_INJECTION = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts with = + - @ as a formula: quote it.
    return "'" + text if text.startswith(CSV_INJECTION) else text


def skj_csv(summary: SkjSummary, form_labels: dict[str, str], headers: list[str]) -> str:
    """One row per group session (the evidence for re-registration), with the user's own notes."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for s in summary.sessions:
        writer.writerow([_cell(v) for v in (
            s.group.session_date.isoformat(), form_labels.get(s.group.form, s.group.form),
            s.group.duration_minutes, f"{s.hours:.2f}".replace(".", ","),
            "1" if s.counts else "0", s.group.facilitator_label, s.notes.learning_question,
            s.notes.notes_technical, s.notes.notes_normative, s.notes.notes_personal,
        )])
    return out.getvalue()
