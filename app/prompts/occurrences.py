"""When a schedule falls due: pure functions on local (Europe/Amsterdam) calendars, DST-safe.

A weekly rhythm is "Friday at 14:00 in Amsterdam", not "every 168 hours": occurrences are built as
local dates and times, then converted to UTC, so the clock time survives both DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.clock import AMSTERDAM, local_date, local_instant


@dataclass(frozen=True)
class Occurrence:
    """One due moment of a schedule: a stable key (part of the prompt's unique key) and when."""

    key: str
    due_at: datetime


def first_on_or_after(anchor: date, weekday: int) -> date:
    """The first date on or after `anchor` that falls on `weekday` (0 = Monday)."""
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)


def weekly(
    weekday: int, at: time, interval_weeks: int, anchor: date, start: datetime, end: datetime
) -> list[Occurrence]:
    """Occurrences with start <= due_at <= end of "every `interval_weeks` weeks on `weekday` at `at`".

    Weeks are counted from the first matching day on or after `anchor`; keys are the local date.
    """
    if end < start:
        return []
    first = first_on_or_after(anchor, weekday)
    period = 7 * max(interval_weeks, 1)
    day = max(first, local_date(start) - timedelta(days=1))
    # Step to the first day of the cycle on or after `day`.
    day += timedelta(days=(-(day - first).days) % period)
    last = local_date(end) + timedelta(days=1)
    found: list[Occurrence] = []
    while day <= last:
        due = local_instant(day, at)
        if start <= due <= end:
            found.append(Occurrence(day.isoformat(), due))
        day += timedelta(days=period)
    return found


def once(at: datetime | None, start: datetime, end: datetime) -> list[Occurrence]:
    """The one occurrence of a one-off schedule, if it falls in [start, end]."""
    if at is None or not start <= at <= end:
        return []
    return [Occurrence("once", at)]


def next_weekly(
    weekday: int, at: time, interval_weeks: int, anchor: date, after: datetime
) -> datetime | None:
    """The first occurrence strictly after `after` (for showing "next prompt" on the list)."""
    horizon = after + timedelta(weeks=max(interval_weeks, 1) + 1)
    for occurrence in weekly(weekday, at, interval_weeks, anchor, after, horizon):
        if occurrence.due_at > after:
            return occurrence.due_at
    return None


def iso_week(instant: datetime) -> str:
    """The ISO week of an instant in Amsterdam, e.g. "2026-W13" (digest idempotency key)."""
    year, week, _day = instant.astimezone(AMSTERDAM).isocalendar()
    return f"{year}-W{week:02d}"
