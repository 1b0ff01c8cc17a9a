"""An organisation's retention periods (one row per kind it changed) and the job's last run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

ACCESS_LOG = "access_log"
# The access log is kept at least a year, whatever an admin chooses; the database holds it to that
# too (migration 0014: the SQLite triggers and purge_access_logs on PostgreSQL read this table).
ACCESS_LOG_MIN_MONTHS = 12
MAX_MONTHS = 240


class RetentionPeriod(Base):
    """How many months the organisation keeps one kind of data; a kind without a row has its default."""

    __tablename__ = "retention_periods"
    __table_args__ = (
        CheckConstraint(
            f"months >= 1 AND months <= {MAX_MONTHS} AND "
            f"(kind <> '{ACCESS_LOG}' OR months >= {ACCESS_LOG_MIN_MONTHS})", name="months"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)


class RetentionRun(Base):
    """When the retention job last ran for an organisation, and how many rows it deleted then."""

    __tablename__ = "retention_runs"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted: Mapped[int] = mapped_column(Integer)
