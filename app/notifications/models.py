"""Notification tables: one row per thing to tell someone, and the weekly digest already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow

KINDS = (
    "feedback", "reply", "observation", "comment", "goal_proposed", "goal_comment",
    "coach_assigned", "coach_ended",
)


class Notification(Base):
    """Something new for `user_id`: who caused it, whose coaching it concerns, and what it points at.

    It holds no text of its own: the page it leads to decides (again) who may read what.
    `emailed_at` is set once a mail (instant or digest) has mentioned it.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        Index("ix_notifications_inbox", "user_id", "read_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The practitioner whose coaching this is about: a coach sees it only while coaching them.
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("coach_feedback.id", ondelete="CASCADE"), index=True)
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_goals.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class NotificationDigest(Base):
    """The weekly digest of one ISO week ("2026-W12") for one person: the key makes it once a week."""

    __tablename__ = "notification_digests"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
