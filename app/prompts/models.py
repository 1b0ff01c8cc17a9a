"""Prompt tables: schedules (who is invited to reflect, when) and the prompts they deliver."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow
from app.teams.models import Team

SCHEDULE_KINDS = ("recurring", "after_sessions", "targeted", "one_off")


TARGETS = ("least_logged", "lowest_rated", "learning_goal")


PROMPT_STATUSES = ("open", "answered", "dismissed", "expired")


class Schedule(Base):
    """Who gets which prompt when: a team's rhythm (lead or coach) or a practitioner's own.

    recurring/targeted: every `interval_weeks` weeks on `weekday` at `local_time`
    (Europe/Amsterdam), counted from the week of `anchor_date`; targeted adds the element the
    person logged least or rated lowest, or the element of their current learning goal.
    after_sessions: after every `every_n`-th logged session
    (of `element_id`, or any). one_off: once, at `once_at`.
    """

    __tablename__ = "reflection_schedules"
    __table_args__ = (
        CheckConstraint(one_of("kind", SCHEDULE_KINDS), name="kind"),
        CheckConstraint("(team_id IS NULL) <> (owner_id IS NULL)", name="one_owner"),
        CheckConstraint("interval_weeks IS NULL OR interval_weeks BETWEEN 1 AND 12", name="interval"),
        CheckConstraint("every_n IS NULL OR every_n >= 1", name="every_n"),
        Index("ix_reflection_schedules_active", "active", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    template_key: Mapped[str | None] = mapped_column(String(12))
    theme: Mapped[str | None] = mapped_column(String(300))
    weekday: Mapped[int | None] = mapped_column(Integer)
    local_time: Mapped[time | None] = mapped_column(Time)
    interval_weeks: Mapped[int | None] = mapped_column(Integer)
    anchor_date: Mapped[date | None] = mapped_column(Date)
    every_n: Mapped[int | None] = mapped_column(Integer)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("core_elements.id"))
    target: Mapped[str | None] = mapped_column(String(16))
    once_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Occurrences before this instant never become prompts (creation, or the last resume).
    active_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class Prompt(Base):
    """One invitation to reflect, for one person and one occurrence of a schedule.

    The unique key (schedule, user, occurrence) makes delivery idempotent: every writer inserts
    with ON CONFLICT DO NOTHING. `run_id` names the materialiser run that created the row, so that
    run (and only that run) queues its instant e-mails.
    """

    __tablename__ = "reflection_prompts"
    __table_args__ = (
        UniqueConstraint("schedule_id", "user_id", "occurrence_key"),
        CheckConstraint(one_of("status", PROMPT_STATUSES), name="status"),
        Index("ix_reflection_prompts_inbox", "user_id", "status", "due_at"),
        Index("ix_reflection_prompts_expiry", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("reflection_schedules.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    occurrence_key: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="open")
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("core_elements.id"))
    practice_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_logs.id", ondelete="SET NULL")
    )
    run_id: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    schedule: Mapped[Schedule] = relationship()
