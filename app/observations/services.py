"""Observation writes: a coach records what they saw in a session; both sides comment. Flush only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from app.auth.models import User
from app.clock import local_date
from app.db import db
from app.elements.queries import catalogue_for
from app.notifications.services import notify
from app.observations.models import (
    SOURCES,
    TEXT_MAX,
    Observation,
    ObservationComment,
    ObservationElement,
    ObservationTechnique,
)
from app.practice.models import PracticeLog
from app.privacy import services as privacy
from app.privacy.guard import check_text
from app.security import (
    can_comment_on_observation,
    can_observe,
    can_read_log,
    can_read_observation,
    require,
)
from app.services import ServiceError


@dataclass(frozen=True)
class ObservationInput:
    session_date: date
    source: str
    ratings: dict[int, int]
    technique_ids: frozenset[int] = field(default_factory=frozenset)
    practice_log_id: int | None = None
    note: str | None = None


def _text(value: str | None, field_name: str) -> str | None:
    text = (value or "").strip()
    if len(text) > TEXT_MAX:
        raise ServiceError(_("Write at most %(n)d characters.", n=TEXT_MAX), field_name)
    check_text(text, field_name)
    return text or None


def _check(coach: User, coachee: User, data: ObservationInput, now: datetime) -> str | None:
    """Refuse what the form should have refused; returns the cleaned note."""
    if data.session_date > local_date(now):
        raise ServiceError(_("The date cannot be in the future."), "session_date")
    if data.source not in SOURCES:
        raise ServiceError(_("Choose how you observed the session."), "source")
    note = _text(data.note, "note")
    if not data.ratings:
        raise ServiceError(_("Tick at least one element you saw applied."))
    catalogue = catalogue_for(coachee.organisation_id)
    if not set(data.ratings) <= {c.element.id for c in catalogue} \
            or any(r not in range(1, 6) for r in data.ratings.values()):
        raise ServiceError(_("Choose how well it went."))
    offered = {t.id: t for c in catalogue for t in c.techniques}
    if any(t not in offered or offered[t].element_id not in data.ratings for t in data.technique_ids):
        raise ServiceError(_("This technique cannot be chosen."))
    if data.practice_log_id is not None:
        log = db.session.get(PracticeLog, data.practice_log_id)
        if log is None or log.author_id != coachee.id or not can_read_log(coach, log):
            raise ServiceError(_("Choose one of the logs in the list."), "practice_log_id")
    return note


def record_observation(coach: User, coachee: User, data: ObservationInput, now: datetime) -> Observation:
    """A running coach records what they saw in a session, optionally linked to the coachee's own
    log of it; the coachee is notified. Flushes."""
    require(can_observe(coach, coachee))
    note = _check(coach, coachee, data, now)
    observation = Observation(
        organisation_id=coachee.organisation_id, practitioner_id=coachee.id, coach_id=coach.id,
        practice_log_id=data.practice_log_id, session_date=data.session_date, source=data.source,
        note=note, created_at=now,
        elements=[ObservationElement(element_id=e, rating=r) for e, r in sorted(data.ratings.items())],
        techniques=[ObservationTechnique(technique_id=t) for t in sorted(data.technique_ids)],
    )
    db.session.add(observation)
    db.session.flush()
    notify(coachee, "observation", now, subject_id=coachee.id, actor=coach, observation_id=observation.id)
    return observation


def comment_on_observation(actor: User, observation: Observation, body: str,
                           now: datetime) -> ObservationComment:
    """The practitioner's (or the coach's) comment; the other side is notified. Flushes."""
    require(can_comment_on_observation(actor, observation))
    text = _text(body, "body")
    if not text:
        raise ServiceError(_("Write a comment."), "body")
    comment = ObservationComment(observation_id=observation.id, author_id=actor.id, body=text, created_at=now)
    db.session.add(comment)
    db.session.flush()
    other = observation.practitioner if actor.id == observation.coach_id else observation.coach
    if other is not None:
        notify(other, "comment", now, subject_id=observation.practitioner_id, actor=actor,
               observation_id=observation.id)
    return comment


def record_observation_read(actor: User, observation: Observation, ip_address: str | None) -> None:
    """A coach reading an observation (with the coachee's comments and self-ratings) is recorded."""
    require(can_read_observation(actor, observation))
    if observation.practitioner_id != actor.id:
        privacy.record_access(actor, "coach", "read", "observation", observation.id,
                              subject_id=observation.practitioner_id, ip_address=ip_address)


def record_logs_read(actor: User, coachee: User, ip_address: str | None) -> None:
    """The observation form lists the coachee's recent logs: a coach's read of their log list."""
    require(can_observe(actor, coachee))
    privacy.record_access(actor, "coach", "list", "practice_logs", coachee.id, subject_id=coachee.id,
                          ip_address=ip_address)
