"""Reflection tables: settings, preferences, reflections, shares with a coach, drafts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow

EMAIL_MODES = ("instant", "digest", "none")
DEFAULT_EMAIL_MODE = "instant"


class ReflectionSettings(Base):
    """Per-organisation rules that change over time (SKJ target, cycle, minimum; prompt expiry).

    A missing row means the defaults below; the migration gives every column the same default.
    """

    __tablename__ = "reflection_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    skj_target_hours: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    skj_cycle_years: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    skj_min_session_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    prompt_expiry_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")


class ReflectionPreference(Base):
    """One user's choices: how prompts reach them by e-mail, and when their SKJ cycle started."""

    __tablename__ = "reflection_preferences"
    __table_args__ = (CheckConstraint(one_of("email_mode", EMAIL_MODES), name="email_mode"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default=DEFAULT_EMAIL_MODE)
    skj_cycle_start: Mapped[date | None] = mapped_column(Date)
    # ISO week ("2026-W12") of the last digest mail: at most one digest per week.
    digest_week: Mapped[str | None] = mapped_column(String(8))


class Reflection(Base):
    """A practitioner's own reflection: template answers (and optional SKJ step). Private by default."""

    __tablename__ = "reflections"
    __table_args__ = (Index("ix_reflections_author_created", "author_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template_key: Mapped[str] = mapped_column(String(12))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    skj_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("core_elements.id"))
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("reflection_prompts.id", ondelete="SET NULL"), index=True
    )
    practice_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_logs.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class ReflectionShare(Base):
    """The author shared a reflection with one coach; withdrawn_at ends it (the coach gets 404)."""

    __tablename__ = "reflection_shares"
    __table_args__ = (
        UniqueConstraint("reflection_id", "coach_id"),
        Index("ix_reflection_shares_shared", "shared_at"),  # dashboards: shared in a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflections.id", ondelete="CASCADE"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[User] = relationship()


class ReflectionDraft(Base):
    """The text being typed, saved per user and form (`key`) so nothing is lost on a timeout."""

    __tablename__ = "reflection_drafts"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


