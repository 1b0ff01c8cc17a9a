"""Periods and their buckets: whole ISO weeks (Monday to Monday) and calendar months, half-open.

Every period a dashboard shows is made of whole weeks, so each week is the same cell whatever
period is chosen: two overlapping periods never differ by part of a week (privacy: no
differencing by shifting a custom period by a day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PRESETS = (4, 12, 26, 52)  # weeks
DEFAULT_WEEKS = 12
MAX_WEEKS = 104
SUSTAINED_MONTHS = 3


@dataclass(frozen=True)
class Bucket:
    """[start, end) in local days."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole weeks [start, end): start and end are Mondays."""

    start: date
    end: date

    @property
    def weeks(self) -> list[Bucket]:
        return [Bucket(self.start + timedelta(weeks=i), self.start + timedelta(weeks=i + 1))
                for i in range((self.end - self.start).days // 7)]

    @property
    def whole(self) -> Bucket:
        return Bucket(self.start, self.end)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_weeks(weeks: int, today: date) -> Period:
    """The `weeks` whole weeks before the current one (the current week is not over yet)."""
    end = monday(today)
    return Period(end - timedelta(weeks=weeks), end)


def custom(first_day: date, last_day: date) -> Period:
    """The whole weeks from the week of `first_day` up to and including the week of `last_day`."""
    return Period(monday(first_day), monday(last_day) + timedelta(weeks=1))


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def sustained_months(period: Period, count: int = SUSTAINED_MONTHS) -> list[Bucket]:
    """The `count` last whole calendar months that end on or before the period's end."""
    # The month of the period's end is not over at the end, unless the end is its first day.
    last_end = add_months(period.end, 0)
    return [Bucket(add_months(last_end, -i - 1), add_months(last_end, -i)) for i in reversed(range(count))]
