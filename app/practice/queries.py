"""Reads for the practice pages: one author's logs, summaries, exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import selectinload

from app.dashboards.queries import element_stats_per_author
from app.db import db
from app.elements.models import CoreElement, Technique
from app.practice.models import (
    PracticeLog,
    PracticeLogElement,
    PracticeLogTechnique,
)
from app.teams.models import Membership
from app.teams.queries import Page, paginate

RECENT = 5
OVERVIEW_DAYS = 28


@dataclass
class AppliedElement:
    element: CoreElement
    self_rating: int
    techniques: list[Technique] = field(default_factory=list)


@dataclass(frozen=True)
class ElementSummary:
    element: CoreElement
    sessions: int
    mean_rating: float | None


@dataclass(frozen=True)
class LogContext:
    """The context of someone's latest log, offered as the defaults of their next one."""

    setting: str | None = None
    participants: tuple[str, ...] = ()
    age_band: str | None = None
    duration_minutes: int | None = 60


def _with_children(query: Select[PracticeLog]) -> Select[PracticeLog]:
    return query.options(
        selectinload(PracticeLog.participants),
        selectinload(PracticeLog.elements).selectinload(PracticeLogElement.element),
        selectinload(PracticeLog.techniques).selectinload(PracticeLogTechnique.technique),
    )


def log_in_org(organisation_id: int, log_id: int) -> PracticeLog | None:
    """The log with this id when it belongs to the organisation (permission is checked apart)."""
    log = db.session.scalar(_with_children(select(PracticeLog).where(PracticeLog.id == log_id)))
    return log if log is not None and log.organisation_id == organisation_id else None


def log_by_submission_key(key: str) -> PracticeLog | None:
    return db.session.scalar(select(PracticeLog).where(PracticeLog.submission_key == key))


def applied_elements(log: PracticeLog) -> list[AppliedElement]:
    """The log's applied elements in catalogue order, each with its ticked techniques in order."""
    applied = {pe.element_id: AppliedElement(pe.element, pe.self_rating) for pe in log.elements}
    techniques = sorted((pt.technique for pt in log.techniques), key=lambda t: (t.position, t.id))
    for technique in techniques:
        if technique.element_id in applied:
            applied[technique.element_id].techniques.append(technique)
    return sorted(applied.values(), key=lambda a: a.element.position)


def _logs_query(
    author_id: int, start: date | None, end: date | None, element_id: int | None
) -> Select[PracticeLog]:
    query = select(PracticeLog).where(PracticeLog.author_id == author_id)
    if start is not None:
        query = query.where(PracticeLog.session_date >= start)
    if end is not None:
        query = query.where(PracticeLog.session_date <= end)
    if element_id is not None:
        query = query.where(exists().where(
            PracticeLogElement.log_id == PracticeLog.id, PracticeLogElement.element_id == element_id
        ))
    return query


def _page(query: Select[PracticeLog], page: int) -> Page[PracticeLog]:
    return paginate(_with_children(query), page, PracticeLog.session_date.desc(), PracticeLog.id.desc())


def logs_page(
    author_id: int, page: int, *, start: date | None = None, end: date | None = None,
    element_id: int | None = None,
) -> Page[PracticeLog]:
    """One page (25) of the author's own logs, newest session first, filtered by period/element."""
    return _page(_logs_query(author_id, start, end, element_id), page)


def recent_logs(author_id: int, limit: int = RECENT) -> list[PracticeLog]:
    """The author's latest logs (by session date), for the home page."""
    return list(db.session.scalars(
        _with_children(select(PracticeLog).where(PracticeLog.author_id == author_id))
        .order_by(PracticeLog.session_date.desc(), PracticeLog.id.desc()).limit(limit)
    ))


def element_overview(author_id: int, today: date, days: int = OVERVIEW_DAYS) -> list[ElementSummary]:
    """Per element, over the last `days` days up to today: logs applying it and the mean self-rating.

    Every element appears, with 0 and no mean when it was not applied. The numbers are the
    `sessions` and `self_rating` metrics of app/dashboards/queries.py for one person.
    """
    start, end = today - timedelta(days=days - 1), today + timedelta(days=1)
    mine = element_stats_per_author([author_id], start, end).get(author_id, {})
    summaries = []
    for element in db.session.scalars(select(CoreElement).order_by(CoreElement.position)):
        stats = mine.get(element.id)
        summaries.append(ElementSummary(element, stats.sessions if stats else 0,
                                        stats.self_rating if stats else None))
    return summaries


def last_context(author_id: int) -> LogContext:
    """Defaults for a new log taken from the author's latest one (fewer taps, same kind of work)."""
    log = db.session.scalar(
        select(PracticeLog).options(selectinload(PracticeLog.participants))
        .where(PracticeLog.author_id == author_id)
        .order_by(PracticeLog.created_at.desc(), PracticeLog.id.desc()).limit(1)
    )
    if log is None:
        return LogContext()
    return LogContext(log.setting, tuple(log.participant_keys), log.age_band, log.duration_minutes)


def team_on(author_id: int, day: date) -> int | None:
    """The team in which the author was a practitioner on `day` (the latest started), if any."""
    return db.session.scalar(team_on_query(author_id, day))


def team_on_query(author_id: int | ColumnElement[int], day: date | ColumnElement[date]) -> Select[int]:
    """team_on as a query, to embed in an INSERT (one round trip fewer); takes bound parameters too."""
    return (
        select(Membership.team_id)
        .where(Membership.user_id == author_id, Membership.role == "practitioner",
               Membership.started_on <= day,
               or_(Membership.ended_on.is_(None), Membership.ended_on > day))
        .order_by(Membership.started_on.desc(), Membership.id.desc()).limit(1)
    )


def logs_for_export(author_id: int) -> list[PracticeLog]:
    """Every log of the author (and nobody else's), oldest first, with all their details."""
    return list(db.session.scalars(
        _with_children(select(PracticeLog).where(PracticeLog.author_id == author_id))
        .order_by(PracticeLog.session_date, PracticeLog.id)
    ))


def has_logs(author_id: int) -> bool:
    return db.session.scalar(select(exists().where(PracticeLog.author_id == author_id))) or False



@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows about someone's practice."""

    shows_practice: bool
    recent: list[PracticeLog]
    overview: list[ElementSummary]


def home_summary(user_id: int, today: date) -> HomeSummary:
    """The home page's practice block: shown to practitioners and to anyone who has logged."""
    practitioner = db.session.scalar(select(exists().where(
        Membership.user_id == user_id, Membership.role == "practitioner", Membership.ended_on.is_(None)
    )))
    shows = bool(practitioner) or has_logs(user_id)
    return HomeSummary(
        shows_practice=shows,
        recent=recent_logs(user_id) if shows else [],
        overview=element_overview(user_id, today) if shows else [],
    )
