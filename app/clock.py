"""Time in the Netherlands: every calendar day the app shows or checks is an Amsterdam day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from app.db import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_date(instant: datetime) -> date:
    """The calendar day in the Netherlands at `instant`."""
    return instant.astimezone(AMSTERDAM).date()


def local_today() -> date:
    """Today in the Netherlands (a log's default date, and the latest it may have)."""
    return local_date(utcnow())


def local_instant(day: date, at: time) -> datetime:
    """`day` at `at` in Amsterdam, as a UTC instant.

    A time that does not exist (the spring-forward hour) lands an hour later in summer time; a
    time that exists twice (the autumn hour) is its first, summer-time, instance (fold=0).
    """
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)
