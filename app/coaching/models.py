"""Coaching tables: feedback asked on a log, a coach's feedback, and its thread of replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.reflection.models import Reflection

ITEM_KINDS = ("log", "reflection")
ACKNOWLEDGEMENTS = ("seen", "trying")
TEXT_MAX = 2000
FEEDBACK_FIELDS = ("keep_doing", "work_on", "next_step", "free_text")


class FeedbackRequest(Base):
    """The author asks a coach for feedback on a practice log; withdrawn_at ends it (404 at once).

    A reflection needs no row here: sharing it with a coach (ReflectionShare) is the request.
    """

    __tablename__ = "feedback_requests"
    __table_args__ = (
        UniqueConstraint("practice_log_id", "coach_id"),
        Index("ix_feedback_requests_coach", "coach_id", "withdrawn_at"),
        Index("ix_feedback_requests_requested", "requested_at"),  # dashboards: shared in a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    practice_log_id: Mapped[int] = mapped_column(ForeignKey("practice_logs.id", ondelete="CASCADE"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[User] = relationship()


class CoachFeedback(Base):
    """A coach's structured answer to one request (a log's, or a reflection's share).

    `requested_at` names the request it answers: one feedback per request, and asking again
    later opens a new one. The practitioner keeps it after the coaching ends (the coach does not).
    """

    __tablename__ = "coach_feedback"
    __table_args__ = (
        CheckConstraint(one_of("item_kind", ITEM_KINDS), name="item_kind"),
        CheckConstraint("acknowledgement IS NULL OR " + one_of("acknowledgement", ACKNOWLEDGEMENTS),
                        name="acknowledgement"),
        UniqueConstraint("practice_log_id", "coach_id", "requested_at"),
        UniqueConstraint("reflection_id", "coach_id", "requested_at"),
        Index("ix_coach_feedback_practitioner", "practitioner_id", "created_at"),
        Index("ix_coach_feedback_coach", "coach_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    item_kind: Mapped[str] = mapped_column(String(10))
    practice_log_id: Mapped[int | None] = mapped_column(ForeignKey("practice_logs.id", ondelete="SET NULL"))
    reflection_id: Mapped[int | None] = mapped_column(ForeignKey("reflections.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("core_elements.id"))
    keep_doing: Mapped[str | None] = mapped_column(Text)
    work_on: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    free_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledgement: Mapped[str | None] = mapped_column(String(10))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    practitioner: Mapped[User] = relationship(foreign_keys=[practitioner_id])
    practice_log: Mapped[PracticeLog | None] = relationship()
    reflection: Mapped[Reflection | None] = relationship()
    element: Mapped[CoreElement | None] = relationship()


class FeedbackReply(Base):
    """A reply in a feedback thread, by the practitioner or the coach."""

    __tablename__ = "feedback_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("coach_feedback.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
