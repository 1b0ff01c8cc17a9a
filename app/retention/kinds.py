"""The kinds of data with a retention period: label, default (privacy.md) and how expired rows go.

One entry per kind in `KINDS`. A kind's `purge(organisation_id, now, months)` deletes what has
expired for one organisation and returns how many rows went; the retention job calls each in turn,
in the order of `KINDS`. New data gets its period by adding an entry here: the admins' page and the
job follow. The purges of client voice and coaching are in client_voice.py and coaching.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, text

from app.auth.models import User
from app.clock import local_date
from app.db import db, utcnow
from app.mail.models import OutboxEmail
from app.practice.models import PracticeLog
from app.privacy.models import AccessLog
from app.reflection.models import Reflection, ReflectionDraft
from app.retention import client_voice, coaching
from app.retention.cutoffs import at_months_before, deleted, months_before
from app.retention.models import ACCESS_LOG, ACCESS_LOG_MIN_MONTHS

Purge = Callable[[int, datetime, int], int]


@dataclass(frozen=True)
class Kind:
    label: str  # a lazy string, read as str
    default_months: int
    min_months: int
    purge: Purge
    counted_from: str  # a lazy string: from when the months count, for the admins' page


def purge_practice_logs(organisation_id: int, now: datetime, months: int) -> int:
    """Logs of sessions more than `months` before today (Amsterdam), with their elements and
    techniques; reflections and prompts about such a log keep their own life (the link empties)."""
    cutoff = months_before(local_date(now), months)
    return deleted(delete(PracticeLog).where(
        PracticeLog.organisation_id == organisation_id, PracticeLog.session_date < cutoff))


def purge_leavers(organisation_id: int, now: datetime, months: int) -> int:
    """Reflections and drafts of people whose account was deactivated more than `months` ago, and
    the mail still addressed to them (privacy.md: "until the author leaves + 3 months")."""
    leavers = select(User.id).where(
        User.organisation_id == organisation_id, User.active.is_(False),
        User.deactivated_at < at_months_before(now, months))
    emails = select(User.email_normalized).where(User.id.in_(leavers))
    return sum(deleted(statement) for statement in (
        delete(Reflection).where(Reflection.author_id.in_(leavers)),
        delete(ReflectionDraft).where(ReflectionDraft.user_id.in_(leavers)),
        delete(OutboxEmail).where(func.lower(OutboxEmail.recipient).in_(emails)),
    ))


def purge_access_log(organisation_id: int, now: datetime, months: int) -> int:
    """Access-log rows older than the period: the one delete the database lets through (see
    migrations/versions/0014_*: on SQLite the trigger checks the same rule against its own clock,
    on PostgreSQL only purge_access_logs may delete). Never later than the real now."""
    now = min(now, utcnow())
    if db.session.get_bind().dialect.name == "postgresql":
        count = db.session.scalar(text("SELECT purge_access_logs(:now, :organisation)"),
                                  {"now": now, "organisation": organisation_id})
        return int(count or 0)
    return deleted(delete(AccessLog).where(
        AccessLog.organisation_id == organisation_id, AccessLog.at < at_months_before(now, months)))


# The client-voice kinds come before the logs they hang on: an answer or link that expires with
# its log is counted as what it is, not gone unseen in the log's cascade.
KINDS: dict[str, Kind] = {
    "client_voice": Kind(_l("Client-voice answers"), 24, 1, client_voice.purge_client_ratings,
                         _l("Counted from the date of the session the client rated.")),
    "client_feedback_request": Kind(
        _l("Requests for client feedback"), 24, 1, client_voice.purge_client_requests,
        _l("Counted from the moment the request expired (link or device).")),
    "practice_log": Kind(_l("Practice logs"), 24, 1, purge_practice_logs,
                         _l("Counted from the date of the session.")),
    "coach_feedback": Kind(_l("Feedback from coaches"), 24, 1, coaching.purge_coach_feedback,
                           _l("Counted from the day the coach gave the feedback.")),
    "observation": Kind(_l("Observations"), 24, 1, coaching.purge_observations,
                        _l("Counted from the date of the observed session.")),
    "learning_goal": Kind(
        _l("Finished learning goals"), 24, 1, coaching.purge_learning_goals,
        _l("Counted from the day a goal was achieved, dropped or declined. Open goals stay.")),
    "reflection_after_leaving": Kind(_l("Reflections after someone leaves"), 3, 1, purge_leavers,
                                     _l("Counted from the day the account was deactivated.")),
    ACCESS_LOG: Kind(
        _l("Access log"), 60, ACCESS_LOG_MIN_MONTHS, purge_access_log,
        _l("Counted from the moment of the access. At least %(n)d months.", n=ACCESS_LOG_MIN_MONTHS)),
}
