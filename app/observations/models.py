"""Observation tables: a coach's observation of a session, rated like a log, and its comments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow
from app.elements.models import CoreElement, Technique
from app.practice.models import PracticeLog

SOURCES = ("live", "recording")
TEXT_MAX = 2000


class Observation(Base):
    """A coach's observation of a session (live or from a recording), rated like a log."""

    __tablename__ = "observations"
    __table_args__ = (
        CheckConstraint(one_of("source", SOURCES), name="source"),
        Index("ix_observations_practitioner", "practitioner_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    practice_log_id: Mapped[int | None] = mapped_column(ForeignKey("practice_logs.id", ondelete="SET NULL"))
    session_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    practitioner: Mapped[User] = relationship(foreign_keys=[practitioner_id])
    practice_log: Mapped[PracticeLog | None] = relationship()
    elements: Mapped[list[ObservationElement]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    techniques: Mapped[list[ObservationTechnique]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)


class ObservationElement(Base):
    """An element the coach saw applied, with the observer's rating (1-5)."""

    __tablename__ = "observation_elements"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),)

    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("core_elements.id"), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)

    element: Mapped[CoreElement] = relationship()


class ObservationTechnique(Base):
    """A technique the coach saw used."""

    __tablename__ = "observation_techniques"

    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), primary_key=True)
    technique_id: Mapped[int] = mapped_column(ForeignKey("techniques.id"), primary_key=True)

    technique: Mapped[Technique] = relationship()


class ObservationComment(Base):
    """A comment on an observation, by the practitioner or the coach."""

    __tablename__ = "observation_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
