"""The access log: who read or changed someone else's data, when, in which role (never content)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class AccessLog(Base):
    """One append-only row per access (in the spirit of NEN 7513).

    Append-only in the database itself (migration 0014): on SQLite triggers refuse every UPDATE
    and every DELETE of a row that has not expired; on PostgreSQL the app's role has no UPDATE or
    DELETE, and the retention job deletes expired rows through the function purge_access_logs.

    Ids are plain integers without foreign keys on purpose: the trail must outlive the accounts
    and objects it mentions (retention: 5 years), and deleting those must never rewrite it.
    """

    __tablename__ = "access_logs"
    __table_args__ = (
        Index("ix_access_logs_org_at", "organisation_id", "at"),
        Index("ix_access_logs_subject", "subject_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    organisation_id: Mapped[int] = mapped_column(Integer)
    # None: the app itself (the retention job).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # Whose data it was (the author of a log), so a person's trail can be shown to them.
    subject_id: Mapped[int | None] = mapped_column(Integer)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    # A fact about the event that is not content: the new roles, a count, the search filters.
    detail: Mapped[str | None] = mapped_column(String(200))
