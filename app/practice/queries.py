"""Reads for the practice pages: one author's logs, summaries, exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, exists, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from app.clientvoice.models import ClientRating
from app.dashboards.queries import ElementStats, element_stats_per_author
from app.db import db, row_count
from app.elements.queries import ElementEntry, TechniqueEntry, catalogue_for, element_entries
from app.practice.models import (
    PARTICIPANTS,
    PracticeLog,
    PracticeLogElement,
    PracticeLogParticipant,
)
from app.teams.models import Membership
from app.teams.queries import PAGE_SIZE, Page

RECENT = 5
OVERVIEW_DAYS = 28


@dataclass
class AppliedElement:
    element: ElementEntry
    self_rating: int
    techniques: list[TechniqueEntry] = field(default_factory=list)


@dataclass(frozen=True)
class ElementSummary:
    element: ElementEntry
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
    """The log's participants, element ratings and ticked techniques; their names come from the
    cached catalogue (applied_elements), not from the database again."""
    return query.options(
        selectinload(PracticeLog.participants), selectinload(PracticeLog.elements),
        selectinload(PracticeLog.techniques),
    )


# One log's few participants, ratings and techniques come joined to it: one statement, not four.
_ONE_LOG = select(PracticeLog).where(PracticeLog.id == bindparam("log_id")).options(
    joinedload(PracticeLog.participants), joinedload(PracticeLog.elements),
    joinedload(PracticeLog.techniques),
)


def log_in_org(organisation_id: int, log_id: int) -> PracticeLog | None:
    """The log with this id when it belongs to the organisation (permission is checked apart)."""
    log = db.session.scalars(_ONE_LOG, {"log_id": log_id}).unique().one_or_none()
    return log if log is not None and log.organisation_id == organisation_id else None


def log_alone_in_org(organisation_id: int, log_id: int) -> PracticeLog | None:
    """log_in_org without its child rows, for a page that keeps what it shows of them
    (practice.views.log_details); touching them reads them. The log page's log came with the
    user (app.security.page_row): the session has it."""
    log = db.session.get(PracticeLog, log_id)
    return log if log is not None and log.organisation_id == organisation_id else None


def log_by_submission_key(key: str) -> PracticeLog | None:
    return db.session.scalar(select(PracticeLog).where(PracticeLog.submission_key == key))


def applied_elements(log: PracticeLog) -> list[AppliedElement]:
    """The log's applied elements in catalogue order, each with its ticked techniques in order.

    Names and order come from the organisation's cached catalogue, retired techniques included.
    """
    ratings = {pe.element_id: pe.self_rating for pe in log.elements}
    ticked = {pt.technique_id for pt in log.techniques}
    return [
        AppliedElement(entry.element, ratings[entry.element.id],
                       [t for t in entry.techniques if t.id in ticked])
        for entry in catalogue_for(log.organisation_id, include_retired=True) if entry.element.id in ratings
    ]


def first_applied_element(log: PracticeLog) -> int | None:
    """The id of the log's first applied element in catalogue order (None when none is)."""
    applied = applied_elements(log)
    return applied[0].element.id if applied else None


@dataclass(frozen=True)
class AppliedRating:
    """An element applied in a listed log, with the self-rating given to it."""

    element: ElementEntry
    self_rating: int


@dataclass(frozen=True)
class LogRow:
    """A log as a list shows it: no ORM object, only the columns the list item needs."""

    id: int
    session_date: date
    setting: str
    duration_minutes: int | None
    private: bool
    applied: tuple[AppliedRating, ...]


@lru_cache(maxsize=8)
def _filtered(start: bool, end: bool, element: bool) -> ColumnElement[bool]:
    """The author's logs, with the filters asked for as bound parameters (built once per set)."""
    clauses = [PracticeLog.author_id == bindparam("author_id")]
    if start:
        clauses.append(PracticeLog.session_date >= bindparam("start"))
    if end:
        clauses.append(PracticeLog.session_date <= bindparam("end"))
    if element:
        clauses.append(exists().where(PracticeLogElement.log_id == PracticeLog.id,
                                      PracticeLogElement.element_id == bindparam("element_id")))
    return and_(*clauses)


@lru_cache(maxsize=8)
def _counted_page_query(start: bool, end: bool, element: bool) -> Select[*tuple[Any, ...]]:
    """The number of the author's logs (filtered) beside one page of them, in one statement.

    The page asked for by its offset, or the last page when that lies past the end: the database
    clamps the offset with the count, so a page past the end costs no second statement. The count
    comes on every row, and on a row of its own (the log columns NULL) when there are no logs.
    The asked offset is written into the statement, as the page size is (see _page_rows).
    """
    total = select(func.count().label("total")).select_from(PracticeLog).where(
        _filtered(start, end, element)).cte("total")
    asked = row_count("offset")
    last = case((total.c.total == 0, 0), else_=(total.c.total - 1) // PAGE_SIZE * PAGE_SIZE)
    logs = _page_rows(start, end, element, select(case((asked > last, last), else_=asked))
                      .scalar_subquery()).subquery()
    return (
        select(total.c.total, *logs.c)
        .select_from(total).outerjoin(logs, true())
        .order_by(logs.c.session_date.desc(), logs.c.id.desc())
    )


def _page_rows(start: bool, end: bool, element: bool, offset: Any) -> Select[*tuple[Any, ...]]:
    """One page of the author's logs with their applied elements.

    The page is chosen on the author's index (author, date) alone; only its rows are read in full.
    The page's size is written into the statement: PostgreSQL plans a statement with a bound LIMIT
    anew on every run, where this one (prepared) is planned once per connection.
    """
    page = (
        select(PracticeLog.id).where(_filtered(start, end, element))
        .order_by(PracticeLog.session_date.desc(), PracticeLog.id.desc())
        .limit(row_count("limit", PAGE_SIZE))
        .offset(offset).subquery()
    )
    return (
        select(PracticeLog.id, PracticeLog.session_date, PracticeLog.setting, PracticeLog.duration_minutes,
               PracticeLog.private, PracticeLogElement.element_id, PracticeLogElement.self_rating)
        .join(page, page.c.id == PracticeLog.id)
        .outerjoin(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .order_by(PracticeLog.session_date.desc(), PracticeLog.id.desc())
    )


# The home page's latest logs: the first page, of the size asked for (`limit`), no filters. No
# OFFSET: a bound one (even 0) makes PostgreSQL's plan for any offset look dearer than a plan for
# the values at hand, so it planned the statement anew on every run (on a million logs, planning
# took 1.3 ms and running it 0.3 ms).
_RECENT_ROWS = _page_rows(False, False, False, None)


def _log_rows(organisation_id: int, rows: Iterable[Any]) -> list[LogRow]:
    """The list items of these rows (a log's row once per applied element)."""
    elements = {e.id: e for e in element_entries(organisation_id)}
    found: dict[int, tuple[Any, list[AppliedRating]]] = {}
    for row in rows:
        log = found.get(row.id)
        if log is None:
            log = found[row.id] = (row, [])
        if row.element_id is not None and row.element_id in elements:
            log[1].append(AppliedRating(elements[row.element_id], row.self_rating))
    return [
        LogRow(row.id, row.session_date, row.setting, row.duration_minutes, bool(row.private),
               tuple(sorted(applied, key=lambda a: a.element.position)))
        for row, applied in found.values()
    ]


def logs_page(
    author_id: int, organisation_id: int, page: int, *, start: date | None = None,
    end: date | None = None, element_id: int | None = None,
) -> Page[LogRow]:
    """One page (25) of the author's own logs, newest session first, filtered by period/element;
    past the last page gives the last. One statement counts the logs and reads the page."""
    filters = (start is not None, end is not None, element_id is not None)
    params = {"author_id": author_id, "start": start, "end": end, "element_id": element_id,
              "offset": (max(page, 1) - 1) * PAGE_SIZE}
    rows = db.session.connection().execute(_counted_page_query(*filters), params).all()
    total = int(rows[0].total)
    pages = max(1, -(-total // PAGE_SIZE))
    return Page(_log_rows(organisation_id, [row for row in rows if row.id is not None]),
                min(max(page, 1), pages), pages, total)


def overview_stats(author_id: int, today: date, days: int = OVERVIEW_DAYS) -> dict[int, ElementStats]:
    """Per element id, over the last `days` days up to today: logs applying it and the mean
    self-rating. The numbers are the `sessions` and `self_rating` metrics of
    app/dashboards/queries.py for one person."""
    start, end = today - timedelta(days=days - 1), today + timedelta(days=1)
    return element_stats_per_author([author_id], start, end).get(author_id, {})


def overview_of(stats: dict[int, ElementStats], organisation_id: int) -> list[ElementSummary]:
    """overview_stats as the home page shows them: every element of the catalogue in order, with 0
    and no mean when it was not applied."""
    summaries = []
    for element in element_entries(organisation_id):
        found = stats.get(element.id)
        summaries.append(ElementSummary(element, found.sessions if found else 0,
                                        found.self_rating if found else None))
    return summaries


_LAST_LOG = (
    select(PracticeLog.id, PracticeLog.setting, PracticeLog.age_band, PracticeLog.duration_minutes)
    .where(PracticeLog.author_id == bindparam("author_id"))
    .order_by(PracticeLog.created_at.desc(), PracticeLog.id.desc()).limit(row_count(value=1))
    .subquery()
)
_LAST_CONTEXT = (
    select(_LAST_LOG, PracticeLogParticipant.participant)
    .outerjoin(PracticeLogParticipant, PracticeLogParticipant.log_id == _LAST_LOG.c.id)
)


def last_context(author_id: int) -> LogContext:
    """Defaults for a new log taken from the author's latest one (fewer taps, same kind of work)."""
    rows = db.session.connection().execute(_LAST_CONTEXT, {"author_id": author_id}).all()
    if not rows:
        return LogContext()
    present = {row.participant for row in rows}
    last = rows[0]
    return LogContext(last.setting, tuple(k for k in PARTICIPANTS if k in present), last.age_band,
                      last.duration_minutes)


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


class OwnMark(NamedTuple):
    """See own_mark."""

    logs: int
    changed: datetime | None
    answers: int
    last_answer: int | None


_OWN_LOGS = (
    select(func.count().label("logs"), func.max(PracticeLog.updated_at).label("changed"))
    .where(PracticeLog.author_id == bindparam("author_id"), PracticeLog.session_date >= bindparam("first"),
           PracticeLog.session_date < bindparam("end"))
    .subquery()
)
_OWN_ANSWERS = (
    select(func.count().label("answers"), func.max(ClientRating.id).label("last_answer"))
    .where(ClientRating.author_id == bindparam("author_id"))
    .subquery()
)
_OWN_MARK = select(_OWN_LOGS, _OWN_ANSWERS).select_from(_OWN_LOGS.join(_OWN_ANSWERS, true()))


def own_mark(author_id: int, first: date, end: date) -> OwnMark:
    """A mark, in one statement, that changes whenever the author adds, edits or deletes a log dated
    from `first` up to (not including) `end` (their number and latest change), and whenever an
    answer about any of their logs is added or deleted (their number and highest id: answers are
    never edited, and their ids never used twice, migration 0020). Figures of one's own kept for a
    while are made again when it changes."""
    row = db.session.execute(_OWN_MARK, {"author_id": author_id, "first": first, "end": end}).one()
    return OwnMark(int(row.logs), row.changed, int(row.answers), row.last_answer)


@cache
def _recent_and_mark() -> Select[Any]:
    """recent_logs_and_mark's statement, built once per process: the mark on every row (and on a
    row of its own, the log columns NULL, when there are no logs)."""
    mark = _OWN_MARK.cte("mark")
    recent = _RECENT_ROWS.subquery()
    return (select(mark, recent).select_from(mark).outerjoin(recent, true())
            .order_by(recent.c.session_date.desc(), recent.c.id.desc()))


def recent_logs_and_mark(author_id: int, organisation_id: int, first: date, end: date,
                         limit: int = RECENT) -> tuple[list[LogRow], OwnMark]:
    """The author's latest logs (by session date) and own_mark (from `first` up to `end`), in one
    statement, for the home page."""
    rows = db.session.connection().execute(
        _recent_and_mark(), {"author_id": author_id, "first": first, "end": end, "limit": limit}).all()
    mark = rows[0]
    return (_log_rows(organisation_id, [row for row in rows if row.id is not None]),
            OwnMark(int(mark.logs), mark.changed, int(mark.answers), mark.last_answer))


def logs_for_export(author_id: int) -> list[PracticeLog]:
    """Every log of the author (and nobody else's), oldest first, with all their details."""
    return list(db.session.scalars(
        _with_children(select(PracticeLog).where(PracticeLog.author_id == author_id))
        .order_by(PracticeLog.session_date, PracticeLog.id)
    ))


def shows_practice_clause(user_id: Any) -> ColumnElement[bool]:
    """Whether the home page shows the user's own practice: they are a practitioner of a team now,
    or they have logged a session (the menu's facts read it, so the home page of someone with
    neither reads no logs)."""
    return or_(exists().where(Membership.user_id == user_id, Membership.role == "practitioner",
                              Membership.ended_on.is_(None)),
               exists().where(PracticeLog.author_id == user_id))
