"""Group reflection tables: sessions (intervisie and the like) and their participants' own notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, one_of, utcnow
from app.teams.models import Team

GROUP_FORMS = ("peer_consultation", "work_supervision", "supervision", "learning_meeting")


class GroupSession(Base):
    """A group reflection (intervisie, werkbegeleiding …) recorded by a lead or coach of the team."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        CheckConstraint(one_of("form", GROUP_FORMS), name="form"),
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
