"""Reads for learning goals: one person's goals, the current goal's element, progress, comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, bindparam, case, select
from sqlalchemy.orm import selectinload

from app.clock import local_date
from app.dashboards.queries import WeekStats, element_weeks_of_author
from app.db import db, row_count
from app.goals.models import GoalComment, LearningGoal

BASELINE = timedelta(weeks=4)  # the progress chart starts four weeks before the goal was set
MAX_WEEKS = 26
_ORDER = case({"proposed": 0, "open": 1, "achieved": 2, "dropped": 3, "declined": 4},
              value=LearningGoal.status)


def goal_by_id(goal_id: int) -> LearningGoal | None:
    return db.session.get(LearningGoal, goal_id)


def goals_of(owner_id: int) -> list[LearningGoal]:
    """The owner's goals: proposals first, then open ones by target date, then the closed ones."""
    return list(db.session.scalars(_GOALS_OF, {"owner_id": owner_id}))


_GOALS_OF = (  # goals_of's statement, built once per process
    select(LearningGoal)
    .options(selectinload(LearningGoal.element), selectinload(LearningGoal.technique))
    .where(LearningGoal.owner_id == bindparam("owner_id", type_=Integer))
    .order_by(_ORDER, LearningGoal.target_date, LearningGoal.id)
)


@dataclass(frozen=True)
class GoalLink:
    """An open goal as a link to it: its id and its text."""

    id: int
    text: str


def open_goals_of(owner_ids: Sequence[int]) -> dict[int, list[GoalLink]]:
    """Per owner, their open goals by target date, as links (for a coach's overview of coachees,
    which shows how many there are and the first one's text)."""
    goals: dict[int, list[GoalLink]] = {}
    if not owner_ids:
        return goals
    for owner_id, goal_id, text in db.session.connection().execute(
            _OPEN_GOALS, {"owner_ids": list(owner_ids)}):
        goals.setdefault(owner_id, []).append(GoalLink(goal_id, text))
    return goals


# open_goals_of's statement, built once per process (building it cost more than running it).
_OPEN_GOALS = (
    select(LearningGoal.owner_id, LearningGoal.id, LearningGoal.text)
    .where(LearningGoal.owner_id.in_(bindparam("owner_ids", expanding=True)), LearningGoal.status == "open")
    .order_by(LearningGoal.target_date, LearningGoal.id)
)


_FIRST_OPEN = (
    select(LearningGoal.id, LearningGoal.text)
    .where(LearningGoal.owner_id == bindparam("owner_id"), LearningGoal.status == "open")
    .order_by(LearningGoal.target_date, LearningGoal.id).limit(row_count("limit"))
)


def first_open_goals(owner_id: int, limit: int) -> list[GoalLink]:
    """The owner's first `limit` open goals in the order of open_goals_of (for the home page)."""
    rows = db.session.connection().execute(_FIRST_OPEN, {"owner_id": owner_id, "limit": limit})
    return [GoalLink(goal_id, text) for goal_id, text in rows]


def current_goal_elements(user_ids: Sequence[int]) -> dict[int, int]:
    """Per person, the element of their current goal: the open one with the nearest target date
    (the newest when two share it). People without an open goal are absent.
    """
    current: dict[int, int] = {}
    if not user_ids:
        return current
    rows = db.session.execute(
        select(LearningGoal.owner_id, LearningGoal.element_id)
        .where(LearningGoal.owner_id.in_(list(user_ids)), LearningGoal.status == "open")
        .order_by(LearningGoal.owner_id, LearningGoal.target_date, LearningGoal.id.desc())
    )
    for owner_id, element_id in rows:
        current.setdefault(owner_id, element_id)
    return current


def progress_of(goal: LearningGoal, today: date) -> list[WeekStats]:
    """Per ISO week, the owner's logs applying the goal's element and their mean self-rating.

    From four weeks before the goal was set up to this week (at most the last 26 weeks).
    """
    start = local_date(goal.created_at) - BASELINE
    end = max(today, start)
    return element_weeks_of_author(goal.owner_id, goal.element_id, start, end)[-MAX_WEEKS:]


@dataclass(frozen=True)
class CommentRow:
    author_name: str | None
    body: str
    created_at: datetime


def comments_on(goal_id: int) -> list[CommentRow]:
    comments = db.session.scalars(
        select(GoalComment).options(selectinload(GoalComment.author))
        .where(GoalComment.goal_id == goal_id).order_by(GoalComment.created_at, GoalComment.id)
    )
    return [CommentRow(c.author.display_name if c.author else None, c.body, c.created_at) for c in comments]


def goal_made_from(feedback_id: int) -> LearningGoal | None:
    """The goal made from this feedback's next step, if there is one."""
    return db.session.scalar(select(LearningGoal).where(LearningGoal.source_feedback_id == feedback_id))
