"""Teams, memberships, organisation roles and coaching assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BindParameter,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UTCDateTime, utcnow
from app.organisations.models import Organisation

TEAM_ROLES = ("practitioner", "lead")
ORG_ROLES = ("admin", "privacy_officer")


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("adoption_target BETWEEN 1 AND 100", name="adoption_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The share of practitioners (per cent) that should apply an element each month: the
    # dashboard's "sustained" compares adoption with it (metrics.md).
    adoption_target: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class Membership(Base):
    """A role in a team for a span of days; ending it keeps history for the metrics."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
    team: Mapped[Team] = relationship()

    __table_args__ = (CheckConstraint("role IN ('practitioner', 'lead')", name="role"),)


class OrganisationRole(Base):
    __tablename__ = "organisation_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint("role IN ('admin', 'privacy_officer')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class CoachAssignment(Base):
    """A coach coaches a coachee from started_at until ended_at (None: still running)."""

    __tablename__ = "coach_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    coachee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    coachee: Mapped[User] = relationship(foreign_keys=[coachee_id])

    __table_args__ = (CheckConstraint("coach_id <> coachee_id", name="not_self"),)

    @classmethod
    def runs_at(cls, now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
        """SQL: the assignment runs at `now` (started, and not ended yet). The one definition.
        `now` may be a bind parameter, for statements built once per process."""
        return and_(cls.started_at <= now, or_(cls.ended_at.is_(None), cls.ended_at > now))
