"""The home page's figures of one's own practice, kept per process until something they count changes.

The last four weeks per element, and shared decision-making beside the young people's and parents'
answers (app/clientvoice), take five statements to count. A mark of one statement says whether any
of it can have changed: the number and latest change of one's logs of the last HOME_DAYS days
(which hold the four weeks), and the number and latest id of the answers on one's logs (the
unshared figure counts them all). Answers are never edited, only added or deleted. The figures are
kept by that mark and the day (app/dashboards/cache.py), so a new, edited or deleted log or answer
shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select, true

from app.clientvoice.models import ClientRating
from app.clientvoice.queries import HOME_DAYS, HomeClientVoice, home_figures
from app.dashboards.cache import cached
from app.dashboards.queries import ElementStats
from app.db import db
from app.practice.models import PracticeLog
from app.practice.queries import (
    OVERVIEW_DAYS,
    ElementSummary,
    LogRow,
    overview_of,
    overview_stats,
    recent_logs,
)

assert OVERVIEW_DAYS <= HOME_DAYS  # the mark's window holds the four weeks of the overview


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows about someone's practice."""

    shows_practice: bool
    recent: list[LogRow]
    overview: list[ElementSummary]
    voice: HomeClientVoice | None


@dataclass(frozen=True)
class _Figures:
    overview: dict[int, ElementStats]
    voice: HomeClientVoice


def home_summary(user_id: int, organisation_id: int, today: date, practises: bool) -> HomeSummary:
    """The home page's practice block: shown to practitioners (`practises`, from the menu's facts)
    and to anyone who has logged (their recent logs say so)."""
    recent = recent_logs(user_id, organisation_id)
    if not (practises or recent):
        return HomeSummary(False, recent, [], None)
    figures = cached(("home", user_id, today, practice_mark(user_id, today)), lambda: _Figures(
        overview_stats(user_id, today), home_figures(user_id, organisation_id, today)))
    return HomeSummary(True, recent, overview_of(figures.overview, organisation_id), figures.voice)


_LOGS = (
    select(func.count().label("logs"), func.max(PracticeLog.updated_at).label("changed"))
    .where(PracticeLog.author_id == bindparam("author_id"), PracticeLog.session_date >= bindparam("first"),
           PracticeLog.session_date < bindparam("end"))
    .subquery()
)
_ANSWERS = (
    select(func.count().label("answers"), func.max(ClientRating.id).label("last"))
    .where(ClientRating.author_id == bindparam("author_id"))
    .subquery()
)
_MARK = select(_LOGS.c.logs, _LOGS.c.changed, _ANSWERS.c.answers, _ANSWERS.c.last).select_from(
    _LOGS.join(_ANSWERS, true()))


def practice_mark(user_id: int, today: date) -> tuple[int, datetime | None, int, int | None]:
    """One statement whose answer changes whenever the home figures can (see the module's note)."""
    first, end = today - timedelta(days=HOME_DAYS - 1), today + timedelta(days=1)
    row = db.session.execute(_MARK, {"author_id": user_id, "first": first, "end": end}).one()
    return int(row.logs), row.changed, int(row.answers), row.last
