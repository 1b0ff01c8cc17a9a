"""Reads for the coaching pages: the queue, the overview of coachees, feedback and its replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ColumnExpressionArgument,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from app.auth.models import User
from app.clock import local_date
from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest
from app.dashboards.queries import ElementStats, element_stats_per_author
from app.db import UTCDateTime, db
from app.elements.queries import ElementEntry, element_entries
from app.goals.models import LearningGoal
from app.goals.queries import GoalLink, open_goals_of
from app.practice.models import PracticeLog, PracticeLogElement
from app.reflection.models import Reflection, ReflectionShare
from app.reflection.queries import CoachesAndOpen, coaches_and_open
from app.security import coachee_ids_now, page_has, remember_coachees
from app.teams.models import CoachAssignment
from app.teams.queries import Page, paginate

OVERVIEW_DAYS = 28


def _coaching(coach_id: Any, coachee: ColumnExpressionArgument[int], now: Any) -> ColumnElement[bool]:
    return exists().where(CoachAssignment.coach_id == coach_id, CoachAssignment.coachee_id == coachee,
                          CoachAssignment.runs_at(now))


def _answered(coach_id: Any, column: InstrumentedAttribute[int | None], item: InstrumentedAttribute[int],
              asked: InstrumentedAttribute[datetime]) -> ColumnElement[bool]:
    return exists().where(column == item, CoachFeedback.coach_id == coach_id,
                          CoachFeedback.requested_at == asked)


# --- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """Something a coachee shared with the coach that still waits for feedback."""

    kind: str  # "log" or "reflection"
    object_id: int
    coachee_id: int
    coachee_name: str
    asked_at: datetime
    item_date: date

    def waited(self, now: datetime) -> timedelta:
        return max(now - self.asked_at, timedelta(0))


# Built once per process; each request only binds the coach and the time.
_COACH = bindparam("coach_id", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime)

# Both kinds in one statement: a log brings its session date, a reflection its creation time.
_LOG_REQUESTS = (
    select(literal("log").label("kind"), PracticeLog.id, PracticeLog.author_id, User.display_name,
           FeedbackRequest.requested_at.label("asked_at"), PracticeLog.session_date,
           cast(null(), UTCDateTime).label("created_at"))
    .join(PracticeLog, PracticeLog.id == FeedbackRequest.practice_log_id)
    .join(User, User.id == PracticeLog.author_id)
    .where(FeedbackRequest.coach_id == _COACH, FeedbackRequest.withdrawn_at.is_(None),
           PracticeLog.private.is_(False), _coaching(_COACH, PracticeLog.author_id, _NOW),
           ~_answered(_COACH, CoachFeedback.practice_log_id, PracticeLog.id, FeedbackRequest.requested_at))
)

_SHARED_REFLECTIONS = (
    select(literal("reflection"), Reflection.id, Reflection.author_id, User.display_name,
           ReflectionShare.shared_at, cast(null(), Date), Reflection.created_at)
    .join(Reflection, Reflection.id == ReflectionShare.reflection_id)
    .join(User, User.id == Reflection.author_id)
    .where(ReflectionShare.coach_id == _COACH, ReflectionShare.withdrawn_at.is_(None),
           _coaching(_COACH, Reflection.author_id, _NOW),
           ~_answered(_COACH, CoachFeedback.reflection_id, Reflection.id, ReflectionShare.shared_at))
)

_QUEUE = union_all(_LOG_REQUESTS, _SHARED_REFLECTIONS)


def queue_for(coach_id: int, now: datetime) -> list[QueueItem]:
    """Logs whose author asks this coach for feedback and reflections shared with them, still
    unanswered, while the coaching runs: the longest waiting first.
    """
    items = [
        QueueItem(kind, object_id, author_id, name, asked,
                  session_date if kind == "log" else local_date(created))
        for kind, object_id, author_id, name, asked, session_date, created
        in db.session.execute(_QUEUE, {"coach_id": coach_id, "now": now})
    ]
    return sorted(items, key=lambda i: (i.asked_at, i.kind, i.object_id))


def is_coach(user_id: int, now: datetime) -> bool:
    """Whether the user coaches anyone now."""
    return db.session.scalar(select(coaches_clause(user_id, now))) or False


def coaches_clause(user_id: int, now: datetime) -> ColumnElement[bool]:
    """SQL for is_coach (the menu asks it in its one query, app/menu.py)."""
    return exists().where(CoachAssignment.coach_id == user_id, CoachAssignment.runs_at(now))


def has_own_coaching(user_id: int, now: datetime) -> bool:
    """Whether the user has a coach now, or ever received feedback or set a learning goal."""
    return bool(db.session.scalar(select(own_coaching_clause(user_id, now))))


def own_coaching_clause(user_id: int, now: datetime) -> ColumnElement[bool]:
    """SQL for has_own_coaching (the menu asks it in its one query, app/menu.py)."""
    coached = exists().where(CoachAssignment.coachee_id == user_id, CoachAssignment.runs_at(now))
    received = exists().where(CoachFeedback.practitioner_id == user_id)
    goals = exists().where(LearningGoal.owner_id == user_id)
    return or_(coached, received, goals)


# From the coach's assignments (their index) to the users; not a test of every user's assignments.
_COACHEES = (
    select(User)
    .where(User.id.in_(coachee_ids_now(_COACH, bindparam("organisation_id", type_=Integer), _NOW)))
    .order_by(func.lower(User.display_name))
)


def coachees_of(coach: User, now: datetime) -> list[User]:
    """The people this user coaches now (running assignments in their organisation), by name.

    The list follows the access rule (app.security.coachee_ids_now), so the rest of the request
    takes it as that rule's answer (remember_coachees): whoever is not on it is not coached by
    them now.
    """
    coachees = list(db.session.scalars(_COACHEES, {"coach_id": coach.id, "now": now,
                                                   "organisation_id": coach.organisation_id}))
    remember_coachees(coach, [c.id for c in coachees])
    return coachees


_COACHEES_AND_LAST_FEEDBACK = _COACHEES.add_columns(
    select(func.max(CoachFeedback.created_at))
    .where(CoachFeedback.coach_id == _COACH, CoachFeedback.practitioner_id == User.id)
    .scalar_subquery()
)


def coachees_and_last_feedback(coach: User, now: datetime) -> tuple[list[User], dict[int, datetime]]:
    """coachees_of, and when this coach last gave each of them feedback, in one statement."""
    rows = db.session.execute(_COACHEES_AND_LAST_FEEDBACK, {
        "coach_id": coach.id, "now": now, "organisation_id": coach.organisation_id}).all()
    coachees = [coachee for coachee, _last in rows]
    remember_coachees(coach, [c.id for c in coachees])
    return coachees, {coachee.id: last for coachee, last in rows if last is not None}


# --- the overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoacheeCard:
    coachee: User
    sessions: list[tuple[ElementEntry, int]]
    open_goals: list[GoalLink]
    last_feedback_at: datetime | None


_LAST_FEEDBACK = (
    select(CoachFeedback.practitioner_id, func.max(CoachFeedback.created_at))
    .where(CoachFeedback.coach_id == _COACH,
           CoachFeedback.practitioner_id.in_(bindparam("ids", expanding=True)))
    .group_by(CoachFeedback.practitioner_id)
)


def overview_for(coach_id: int, coachees: list[User], today: date,
                 last_feedback: dict[int, datetime] | None = None) -> list[CoacheeCard]:
    """Per coachee: sessions per element in the last 4 weeks (logs they share), open learning
    goals, and when this coach last gave them feedback (read here unless given, by coachee id)."""
    ids = [c.id for c in coachees]
    if not ids:
        return []
    start, end = today - timedelta(days=OVERVIEW_DAYS - 1), today + timedelta(days=1)
    stats = element_stats_per_author(ids, start, end, shared_only=True)
    elements = element_entries(coachees[0].organisation_id)  # cached per catalogue revision
    goals = open_goals_of(ids)
    last: dict[int, datetime] = last_feedback if last_feedback is not None else {
        pid: at for pid, at in db.session.execute(_LAST_FEEDBACK, {"coach_id": coach_id, "ids": ids})}
    none = ElementStats(0, 0.0)
    return [
        CoacheeCard(c, [(e, stats.get(c.id, {}).get(e.id, none).sessions) for e in elements],
                    goals.get(c.id, []), last.get(c.id))
        for c in coachees
    ]


def coachee_logs_page(coachee_id: int, page: int) -> Page[PracticeLog]:
    """One page of a coachee's logs that a coach may read: everything not marked private."""
    query = select(PracticeLog).options(
        selectinload(PracticeLog.elements).selectinload(PracticeLogElement.element),
    ).where(PracticeLog.author_id == coachee_id, PracticeLog.private.is_(False))
    return paginate(query, page, PracticeLog.session_date.desc(), PracticeLog.id.desc())


# --- feedback ----------------------------------------------------------------------------------


def feedback_by_id(feedback_id: int) -> CoachFeedback | None:
    return db.session.get(CoachFeedback, feedback_id)


def _coach_may_read(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """SQL for can_read_feedback's coach side: coaching runs and the item is still shared."""
    asked = exists().where(FeedbackRequest.practice_log_id == CoachFeedback.practice_log_id,
                           FeedbackRequest.coach_id == CoachFeedback.coach_id,
                           FeedbackRequest.withdrawn_at.is_(None))
    private = exists().where(PracticeLog.id == CoachFeedback.practice_log_id, PracticeLog.private.is_(True))
    shared = exists().where(ReflectionShare.reflection_id == CoachFeedback.reflection_id,
                            ReflectionShare.coach_id == CoachFeedback.coach_id,
                            ReflectionShare.withdrawn_at.is_(None))
    return and_(
        exists().where(CoachAssignment.coach_id == CoachFeedback.coach_id,
                       CoachAssignment.coachee_id == CoachFeedback.practitioner_id,
                       CoachAssignment.runs_at(now)),
        or_(and_(CoachFeedback.item_kind == "log", asked, ~private),
            and_(CoachFeedback.item_kind == "reflection", shared)),
    )


def _feedback_query(where: ColumnElement[bool]) -> Select[CoachFeedback]:
    return (select(CoachFeedback)
            .options(selectinload(CoachFeedback.coach), selectinload(CoachFeedback.element))
            .where(where).order_by(CoachFeedback.created_at.desc(), CoachFeedback.id.desc()))


def _feedback(where: ColumnElement[bool]) -> list[CoachFeedback]:
    return list(db.session.scalars(_feedback_query(where)))


def feedback_received(practitioner_id: int) -> list[CoachFeedback]:
    """All feedback a practitioner received, from running and former coaches, newest first."""
    return _feedback(CoachFeedback.practitioner_id == practitioner_id)


def feedback_given(coach_id: int, coachee_id: int, now: datetime) -> list[CoachFeedback]:
    """The feedback this coach gave a coachee that they may still read, newest first."""
    return _feedback(and_(CoachFeedback.coach_id == coach_id, CoachFeedback.practitioner_id == coachee_id,
                          _coach_may_read(now)))


def _feedback_on(column: InstrumentedAttribute[int | None]) -> Select[CoachFeedback]:
    viewer = bindparam("viewer_id", type_=Integer)
    own = CoachFeedback.practitioner_id == viewer
    as_coach = and_(CoachFeedback.coach_id == viewer, _coach_may_read(_NOW))
    return _feedback_query(and_(column == bindparam("item_id", type_=Integer), or_(own, as_coach)))


# Built once per process: a log or reflection page binds only the item, the viewer and the time.
_FEEDBACK_ON = {"log": _feedback_on(CoachFeedback.practice_log_id),
                "reflection": _feedback_on(CoachFeedback.reflection_id)}


# Whether the log or reflection of a page has any feedback, read with the user (registered for those
# pages in app/__init__.py): most have none, and then feedback_on needs no statement.
FEEDBACK_ON_PAGE = {
    "log": page_has("feedback_log", "log_id",
                    lambda item: exists().where(CoachFeedback.practice_log_id == item)),
    "reflection": page_has("feedback_reflection", "reflection_id",
                           lambda item: exists().where(CoachFeedback.reflection_id == item)),
}


def feedback_on(kind: str, item_id: int, viewer_id: int, now: datetime) -> list[CoachFeedback]:
    """Feedback on one log or reflection that the viewer may read (its author: all of it)."""
    if FEEDBACK_ON_PAGE[kind].absent(item_id):
        return []
    values = {"item_id": item_id, "viewer_id": viewer_id, "now": now}
    return list(db.session.scalars(_FEEDBACK_ON[kind], values))


def asking(log_id: int, author_id: int, now: datetime) -> CoachesAndOpen:
    """A log's feedback requests that run (oldest first, with their coach) and the coaches its
    author can ask: their running coaches."""
    return coaches_and_open(FeedbackRequest, FeedbackRequest.practice_log_id, "requested_at",
                            log_id, author_id, now)


@dataclass(frozen=True)
class ReplyRow:
    author_name: str | None
    body: str
    created_at: datetime


def replies_to(feedback_id: int) -> list[ReplyRow]:
    rows = db.session.scalars(select(FeedbackReply).options(selectinload(FeedbackReply.author))
                              .where(FeedbackReply.feedback_id == feedback_id)
                              .order_by(FeedbackReply.created_at, FeedbackReply.id))
    return [ReplyRow(r.author.display_name if r.author else None, r.body, r.created_at) for r in rows]
