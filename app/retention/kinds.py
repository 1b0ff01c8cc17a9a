"""The kinds of data with a retention period: label, default (privacy.md) and how expired rows go.

One entry per kind in `KINDS`. A kind's `purge(organisation_id, now, months)` deletes what has
expired for one organisation and returns how many rows went; the retention job calls each in turn.
New data (client-voice answers, coach feedback) gets its period by adding an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, text

from app.auth.models import User
from app.clock import local_date
from app.db import cast_result, db, utcnow
from app.mail.models import OutboxEmail
from app.practice.models import PracticeLog
from app.privacy.models import AccessLog
from app.reflection.models import Reflection, ReflectionDraft
from app.retention.models import ACCESS_LOG, ACCESS_LOG_MIN_MONTHS

Purge = Callable[[int, datetime, int], int]


@dataclass(frozen=True)
class Kind:
    label: str  # a lazy string, read as str
    default_months: int
    min_months: int
    purge: Purge | None  # None: the data is not in the app yet; the setting waits for it


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def _at_months_before(now: datetime, months: int) -> datetime:
    day = months_before(now.date(), months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def purge_practice_logs(organisation_id: int, now: datetime, months: int) -> int:
    """Logs of sessions more than `months` before today (Amsterdam), with their elements and
    techniques; reflections and prompts about such a log keep their own life (the link empties)."""
    cutoff = months_before(local_date(now), months)
    result = db.session.execute(delete(PracticeLog).where(
        PracticeLog.organisation_id == organisation_id, PracticeLog.session_date < cutoff))
    return int(cast_result(result).rowcount or 0)


def purge_leavers(organisation_id: int, now: datetime, months: int) -> int:
    """Reflections and drafts of people whose account was deactivated more than `months` ago, and
    the mail still addressed to them (privacy.md: "until the author leaves + 3 months")."""
    leavers = select(User.id).where(
        User.organisation_id == organisation_id, User.active.is_(False),
        User.deactivated_at < _at_months_before(now, months))
    emails = select(User.email_normalized).where(User.id.in_(leavers))
    gone = 0
    for statement in (
        delete(Reflection).where(Reflection.author_id.in_(leavers)),
        delete(ReflectionDraft).where(ReflectionDraft.user_id.in_(leavers)),
        delete(OutboxEmail).where(func.lower(OutboxEmail.recipient).in_(emails)),
    ):
        gone += int(cast_result(db.session.execute(statement)).rowcount or 0)
    return gone


def purge_access_log(organisation_id: int, now: datetime, months: int) -> int:
    """Access-log rows older than the period: the one delete the database lets through (see
    migrations/versions/0014_*: on SQLite the trigger checks the same rule against its own clock,
    on PostgreSQL only purge_access_logs may delete). Never later than the real now."""
    now = min(now, utcnow())
    if db.session.get_bind().dialect.name == "postgresql":
        deleted = db.session.scalar(text("SELECT purge_access_logs(:now, :organisation)"),
                                    {"now": now, "organisation": organisation_id})
        return int(deleted or 0)
    result = db.session.execute(delete(AccessLog).where(
        AccessLog.organisation_id == organisation_id, AccessLog.at < _at_months_before(now, months)))
    return int(cast_result(result).rowcount or 0)


KINDS: dict[str, Kind] = {
    "practice_log": Kind(_l("Practice logs"), 24, 1, purge_practice_logs),
    "client_voice": Kind(_l("Client-voice answers"), 24, 1, None),
    "reflection_after_leaving": Kind(_l("Reflections after someone leaves"), 3, 1, purge_leavers),
    ACCESS_LOG: Kind(_l("Access log"), 60, ACCESS_LOG_MIN_MONTHS, purge_access_log),
}
