"""Learning-goal tables: a goal (set by the practitioner, or proposed by a coach) and its comments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow
from app.elements.models import CoreElement, Technique

STATUSES = ("proposed", "open", "achieved", "dropped", "declined")
TEXT_MAX = 500
COMMENT_MAX = 2000


class LearningGoal(Base):
    """A practitioner's learning goal on an element (and optionally one technique), with a target date.

    A coach's proposal is `proposed` until its owner accepts (`open`) or declines it. A goal made
    from feedback ("I will try this") names that feedback; the unique key makes that one goal.
    """

    __tablename__ = "learning_goals"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status"),
        Index("ix_learning_goals_owner_status", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    element_id: Mapped[int] = mapped_column(ForeignKey("core_elements.id"))
    technique_id: Mapped[int | None] = mapped_column(ForeignKey("techniques.id"))
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    target_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    source_feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("coach_feedback.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    element: Mapped[CoreElement] = relationship()
    technique: Mapped[Technique | None] = relationship()


class GoalComment(Base):
    """A remark of the owner or a coach on a goal."""

    __tablename__ = "learning_goal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("learning_goals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
