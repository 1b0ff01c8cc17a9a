"""Every metric's one definition (metrics.md), in SQL with GROUP BY.

The dashboards to come use these for teams, with the privacy rules for aggregates on top; the
practitioner's own overview and the targeted reflection prompts use them for one person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.db import db
from app.practice.models import PracticeLog, PracticeLogElement


@dataclass(frozen=True)
class ElementStats:
    """For one element in a period: `sessions` applying it and its mean `self_rating`."""

    sessions: int
    self_rating: float


def element_stats_per_author(
    author_ids: Sequence[int], start: date, end: date, *, shared_only: bool = False
) -> dict[int, dict[int, ElementStats]]:
    """Per author and element applied, over logs dated in [start, end): the number of logs applying
    the element (`sessions` of E) and their mean self-rating (`self_rating` of E).

    A log applies an element when it has the element's row (which holds its self-rating).
    Elements an author did not apply in the period are absent. `shared_only` leaves out the logs
    an author keeps to themselves (for what their coach sees).
    """
    query = (
        select(PracticeLog.author_id, PracticeLogElement.element_id,
               func.count(), func.avg(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id.in_(author_ids),
               PracticeLog.session_date >= start, PracticeLog.session_date < end)
        .group_by(PracticeLog.author_id, PracticeLogElement.element_id)
    )
    if shared_only:
        query = query.where(PracticeLog.private.is_(False))
    rows = db.session.execute(query)
    stats: dict[int, dict[int, ElementStats]] = {}
    for author_id, element_id, sessions, mean in rows:
        stats.setdefault(author_id, {})[element_id] = ElementStats(int(sessions), float(mean))
    return stats


@dataclass(frozen=True)
class WeekStats:
    """One ISO week (starting Monday `week_start`): logs applying an element and their mean rating."""

    week_start: date
    sessions: int
    self_rating: float | None

    @property
    def iso_week(self) -> tuple[int, int]:
        """(ISO year, ISO week number): the last days of December can be week 1 of the next year."""
        year, week, _day = self.week_start.isocalendar()
        return year, week


def element_weeks_of_author(author_id: int, element_id: int, start: date, end: date) -> list[WeekStats]:
    """Per ISO week from the week of `start` to the week of `end` (both included): the `sessions`
    and `self_rating` of element E for one author, over logs dated in those weeks.

    Counted per day in SQL (count and sum of ratings), then summed per week, so the week
    arithmetic is the same on SQLite and PostgreSQL. Every week appears; one without logs has
    0 sessions and no mean.
    """
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    rows = db.session.execute(
        select(PracticeLog.session_date, func.count(), func.sum(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id == author_id, PracticeLogElement.element_id == element_id,
               PracticeLog.session_date >= first, PracticeLog.session_date < last + timedelta(days=7))
        .group_by(PracticeLog.session_date)
    )
    totals: dict[date, list[int]] = {}
    for day, count, rating_sum in rows:
        week = day - timedelta(days=day.weekday())
        bucket = totals.setdefault(week, [0, 0])
        bucket[0] += int(count)
        bucket[1] += int(rating_sum)
    weeks = []
    week = first
    while week <= last:
        sessions, rating_sum = totals.get(week, [0, 0])
        weeks.append(WeekStats(week, sessions, rating_sum / sessions if sessions else None))
        week += timedelta(days=7)
    return weeks
