"""Practice logs with their participants, applied elements (self-rating) and ticked techniques."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, utcnow
from app.elements.models import CoreElement, Technique

# Enumerations of core-elements.md ("Session context fields"); labels live in practice/choices.py.
SETTINGS = ("home", "office", "online", "phone", "school", "other")
PARTICIPANTS = ("youth", "parent", "family", "network", "other_professional")
AGE_BANDS = ("0-4", "4-12", "12-18", "18-23")
PHASES = ("relationship", "clarifying", "analysis", "goals", "working", "evaluating")
RATINGS = (1, 2, 3, 4, 5)
NOTE_MAX = 500
DURATION_MIN, DURATION_MAX = 5, 480


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PracticeLog(Base):
    """One session as the practitioner logged it: context, no client identifiers."""

    __tablename__ = "practice_logs"
    __table_args__ = (
        # Dashboards read one team's (or organisation's) window; "my logs" read one author's.
        Index("ix_practice_logs_team_date", "team_id", "session_date"),
        Index("ix_practice_logs_org_date", "organisation_id", "session_date"),
        Index("ix_practice_logs_author_date", "author_id", "session_date"),
        # The log form's defaults come from the author's latest written log (migration 0022).
        Index("ix_practice_logs_author_created", "author_id", "created_at", "id"),
        CheckConstraint(_in("setting", SETTINGS), name="setting"),
        CheckConstraint(_in("age_band", AGE_BANDS), name="age_band"),
        CheckConstraint(_in("phase", PHASES), name="phase"),
        CheckConstraint(
            f"duration_minutes IS NULL OR duration_minutes BETWEEN {DURATION_MIN} AND {DURATION_MAX}",
            name="duration",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The author's team on the session date; kept as it was, so team history stays true.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    session_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    setting: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(8))
    phase: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made when the form is shown; a second POST of the same form finds the first log.
    submission_key: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User] = relationship()
    participants: Mapped[list[PracticeLogParticipant]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PracticeLogParticipant.participant"
    )
    elements: Mapped[list[PracticeLogElement]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    techniques: Mapped[list[PracticeLogTechnique]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def participant_keys(self) -> list[str]:
        """Who took part, in the fixed order of PARTICIPANTS."""
        present = {p.participant for p in self.participants}
        return [k for k in PARTICIPANTS if k in present]


class PracticeLogParticipant(Base):
    """Who took part in the session (several per log), one row each so it can be counted."""

    __tablename__ = "practice_log_participants"
    __table_args__ = (CheckConstraint(_in("participant", PARTICIPANTS), name="participant"),)

    log_id: Mapped[int] = mapped_column(
        ForeignKey("practice_logs.id", ondelete="CASCADE"), primary_key=True
    )
    participant: Mapped[str] = mapped_column(String(20), primary_key=True)


class PracticeLogElement(Base):
    """An element applied in the session, with the practitioner's self-rating (1-5)."""

    __tablename__ = "practice_log_elements"
    __table_args__ = (
        CheckConstraint("self_rating BETWEEN 1 AND 5", name="self_rating"),
        Index("ix_practice_log_elements_element", "element_id", "log_id"),
    )

    log_id: Mapped[int] = mapped_column(
        ForeignKey("practice_logs.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[int] = mapped_column(ForeignKey("core_elements.id"), primary_key=True)
    self_rating: Mapped[int] = mapped_column(Integer)

    element: Mapped[CoreElement] = relationship()


class PracticeLogTechnique(Base):
    """A technique ticked in the session; points at the catalogue row as it was (never deleted)."""

    __tablename__ = "practice_log_techniques"
    __table_args__ = (Index("ix_practice_log_techniques_technique", "technique_id", "log_id"),)

    log_id: Mapped[int] = mapped_column(
        ForeignKey("practice_logs.id", ondelete="CASCADE"), primary_key=True
    )
    technique_id: Mapped[int] = mapped_column(ForeignKey("techniques.id"), primary_key=True)

    technique: Mapped[Technique] = relationship()
