"""SQL pieces the metrics share: a date's bucket index and the local day of a timestamp.

SQLite and PostgreSQL spell date arithmetic differently; these helpers give one expression for
both, so every metric is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Integer, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

from app.clock import AMSTERDAM, local_instant
from app.dashboards.periods import Bucket


@dataclass(frozen=True)
class Bucketing:
    """Contiguous buckets, ascending: whole weeks, calendar months, or one bucket for a period."""

    buckets: tuple[Bucket, ...]
    kind: str  # "week" | "month" | "whole"

    @property
    def start(self) -> date:
        return self.buckets[0].start

    @property
    def end(self) -> date:
        return self.buckets[-1].end

    def index(self, day: Any, dialect: str) -> ColumnElement[int]:
        """The bucket index (0 …) of a date expression inside [start, end)."""
        if self.kind == "whole" or len(self.buckets) == 1:
            return literal(0, Integer)
        if self.kind == "week":
            days: ColumnElement[int] = _days_between(day, self.start, dialect)
            return days // 7
        first = self.start.year * 12 + self.start.month
        if dialect == "postgresql":
            months = func.extract("year", day) * 12 + func.extract("month", day)
            return cast(months, Integer) - first
        return (cast(func.strftime("%Y", day), Integer) * 12
                + cast(func.strftime("%m", day), Integer) - first)


def weeks(buckets: Sequence[Bucket]) -> Bucketing:
    return Bucketing(tuple(buckets), "week")


def months(buckets: Sequence[Bucket]) -> Bucketing:
    return Bucketing(tuple(buckets), "month")


def whole(bucket: Bucket) -> Bucketing:
    return Bucketing((bucket,), "whole")


def _days_between(day: Any, start: date, dialect: str) -> Any:
    if dialect == "postgresql":
        return day - literal(start, Date)
    return cast(func.julianday(day) - func.julianday(literal(start.isoformat())), Integer)


def minutes_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """The minutes from one UTC timestamp column to another (negative when `later` is earlier)."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 60
    return (func.julianday(later) - func.julianday(earlier)) * 1440


def instant(day: date) -> datetime:
    """Midnight at the start of `day` in Amsterdam, as a UTC instant (a period's bound)."""
    return local_instant(day, time(0, 0))


def local_day(column: Any, start: date, end: date, dialect: str) -> Any:
    """The Amsterdam calendar day of a UTC timestamp column, for instants in [start, end).

    PostgreSQL converts with the time-zone database. SQLite has none: its expression adds the
    UTC offset of each stretch between clock changes in the range (worked out here with zoneinfo).
    """
    if dialect == "postgresql":
        return cast(func.timezone("Europe/Amsterdam", column), Date)
    changes, offset = _clock_changes(start, end)
    whens = [(column < change, func.date(column, f"+{before} hours")) for change, before in changes]
    last = func.date(column, f"+{offset} hours")
    return case(*whens, else_=last) if whens else last


@lru_cache(maxsize=256)
def _clock_changes(start: date, end: date) -> tuple[tuple[tuple[datetime, int], ...], int]:
    """The clock changes around [start, end] as (UTC instant, UTC offset in hours before it), and
    the offset after the last one. Worked out day by day once per range (zoneinfo is slow)."""
    changes = []
    day = start - timedelta(days=1)
    offset = _offset_hours(day)
    while day <= end:
        nxt = day + timedelta(days=1)
        if _offset_hours(nxt) != offset:
            changes.append((_change_instant(day, nxt), offset))
            offset = _offset_hours(nxt)
        day = nxt
    return tuple(changes), offset


def _offset_hours(day: date) -> int:
    offset = datetime.combine(day, time(12), tzinfo=AMSTERDAM).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 3600)


def _change_instant(day: date, nxt: date) -> datetime:
    """The UTC instant of the clock change between noon of `day` and noon of `nxt` (to the hour)."""
    moment = datetime.combine(day, time(12), tzinfo=AMSTERDAM).astimezone(UTC)
    before = _offset_hours(day)
    while True:
        moment += timedelta(hours=1)
        offset = moment.astimezone(AMSTERDAM).utcoffset()
        assert offset is not None
        if int(offset.total_seconds() // 3600) != before:
            return moment
