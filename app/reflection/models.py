"""Reflection tables: settings, preferences, schedules, prompts, reflections, shares, drafts, groups."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, utcnow
from app.teams.models import Team

EMAIL_MODES = ("instant", "digest", "none")
DEFAULT_EMAIL_MODE = "instant"
SCHEDULE_KINDS = ("recurring", "after_sessions", "targeted", "one_off")
TARGETS = ("least_logged", "lowest_rated")
PROMPT_STATUSES = ("open", "answered", "dismissed", "expired")
GROUP_FORMS = ("peer_consultation", "work_supervision", "supervision", "learning_meeting")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


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
    __table_args__ = (CheckConstraint(_in("email_mode", EMAIL_MODES), name="email_mode"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default=DEFAULT_EMAIL_MODE)
    skj_cycle_start: Mapped[date | None] = mapped_column(Date)
    # ISO week ("2026-W12") of the last digest mail: at most one digest per week.
    digest_week: Mapped[str | None] = mapped_column(String(8))


class Schedule(Base):
    """Who gets which prompt when: a team's rhythm (lead or coach) or a practitioner's own.

    recurring/targeted: every `interval_weeks` weeks on `weekday` at `local_time`
    (Europe/Amsterdam), counted from the week of `anchor_date`; targeted adds the element the
    person logged least or rated lowest. after_sessions: after every `every_n`-th logged session
    (of `element_id`, or any). one_off: once, at `once_at`.
    """

    __tablename__ = "reflection_schedules"
    __table_args__ = (
        CheckConstraint(_in("kind", SCHEDULE_KINDS), name="kind"),
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
        CheckConstraint(_in("status", PROMPT_STATUSES), name="status"),
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
    __table_args__ = (UniqueConstraint("reflection_id", "coach_id"),)

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


class GroupSession(Base):
    """A group reflection (intervisie, werkbegeleiding …) recorded by a lead or coach of the team."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        CheckConstraint(_in("form", GROUP_FORMS), name="form"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 720", name="duration"),
        Index("ix_group_sessions_team_date", "team_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    session_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(String(20))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    facilitator_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    facilitator: Mapped[User | None] = relationship(foreign_keys=[facilitator_id])
    participants: Mapped[list[GroupParticipant]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, back_populates="session"
    )

    @property
    def facilitator_label(self) -> str:
        return self.facilitator.display_name if self.facilitator else (self.facilitator_name or "")


class GroupParticipant(Base):
    """A participant of a group session, with their own learning question and notes (theirs only)."""

    __tablename__ = "group_session_participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    learning_question: Mapped[str | None] = mapped_column(Text)
    notes_technical: Mapped[str | None] = mapped_column(Text)
    notes_normative: Mapped[str | None] = mapped_column(Text)
    notes_personal: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[GroupSession] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()
