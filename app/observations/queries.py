"""Reads for observations: one, a practitioner's list, the side-by-side comparison, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db import db, row_count
from app.elements.models import CoreElement, Technique
from app.observations.models import Observation, ObservationComment
from app.practice.models import PracticeLog

LINKABLE_DAYS = 90


def observation_by_id(observation_id: int) -> Observation | None:
    return db.session.get(Observation, observation_id)


def observations_of(practitioner_id: int, coach_id: int | None = None) -> list[Observation]:
    """A practitioner's observations (all, or by one coach), newest session first."""
    query = select(Observation).options(selectinload(Observation.coach)).where(
        Observation.practitioner_id == practitioner_id)
    if coach_id is not None:
        query = query.where(Observation.coach_id == coach_id)
    return list(db.session.scalars(query.order_by(Observation.session_date.desc(), Observation.id.desc())))


def linkable_logs(coachee_id: int, today: date) -> list[PracticeLog]:
    """The coachee's recent logs a coach may read, to link an observation to (newest first)."""
    return list(db.session.scalars(
        select(PracticeLog).where(PracticeLog.author_id == coachee_id, PracticeLog.private.is_(False),
                                  PracticeLog.session_date >= today - timedelta(days=LINKABLE_DAYS))
        .order_by(PracticeLog.session_date.desc(), PracticeLog.id.desc()).limit(row_count(value=40))
    ))


@dataclass
class TechniqueSide:
    technique: Technique
    by_self: bool
    by_observer: bool


@dataclass
class ElementSide:
    """One element: the practitioner's self-rating (from the linked log) beside the observer's."""

    element: CoreElement
    self_rating: int | None
    observer_rating: int | None
    techniques: list[TechniqueSide] = field(default_factory=list)


def side_by_side(observation: Observation) -> list[ElementSide]:
    """Per element either of them rated, in catalogue order: both ratings and, per technique either
    of them ticked, who ticked it."""
    log = observation.practice_log
    own_ratings = {pe.element_id: pe.self_rating for pe in log.elements} if log else {}
    own_ticks: set[int] = {pt.technique_id for pt in log.techniques} if log else set()
    seen = {oe.element_id: oe.rating for oe in observation.elements}
    seen_ticks = {ot.technique_id for ot in observation.techniques}
    elements = db.session.scalars(select(CoreElement).where(CoreElement.id.in_(set(own_ratings) | set(seen)))
                                  .order_by(CoreElement.position))
    sides = {e.id: ElementSide(e, own_ratings.get(e.id), seen.get(e.id)) for e in elements}
    techniques = db.session.scalars(select(Technique).where(Technique.id.in_(own_ticks | seen_ticks))
                                    .order_by(Technique.position, Technique.id))
    for t in techniques:
        if t.element_id in sides:
            sides[t.element_id].techniques.append(TechniqueSide(t, t.id in own_ticks, t.id in seen_ticks))
    return list(sides.values())


@dataclass(frozen=True)
class CommentRow:
    author_name: str | None
    body: str
    created_at: datetime


def comments_on(observation_id: int) -> list[CommentRow]:
    comments = db.session.scalars(
        select(ObservationComment).options(selectinload(ObservationComment.author))
        .where(ObservationComment.observation_id == observation_id)
        .order_by(ObservationComment.created_at, ObservationComment.id))
    return [CommentRow(c.author.display_name if c.author else None, c.body, c.created_at) for c in comments]
