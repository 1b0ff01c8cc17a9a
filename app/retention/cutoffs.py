"""Where a retention period starts counting back from, and running one delete with its count."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from app.db import cast_result, db


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def at_months_before(now: datetime, months: int) -> datetime:
    """The same moment `months` calendar months before `now`."""
    day = months_before(now.date(), months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def deleted(statement: Any) -> int:
    """Run a DELETE and return how many rows it removed (the rows its cascades take are not counted)."""
    return int(cast_result(db.session.execute(statement)).rowcount or 0)
