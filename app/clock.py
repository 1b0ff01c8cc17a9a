"""Time in the Netherlands: every calendar day the app shows or checks is an Amsterdam day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.db import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_date(instant: datetime) -> date:
    """The calendar day in the Netherlands at `instant`."""
    return instant.astimezone(AMSTERDAM).date()


def local_today() -> date:
    """Today in the Netherlands (a log's default date, and the latest it may have)."""
    return local_date(utcnow())
