"""The organisation: the tenant every account, team and catalogue belongs to, with its settings."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Smallest group an aggregate may describe (metrics.md: default 5, never below 3).
    min_group_size: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Everyone signs in with a second factor (coaches, leads, admins and privacy officers always do).
    second_factor_for_all: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Changes with every change to the organisation's techniques: the key of the catalogue cache.
    catalogue_revision: Mapped[str] = mapped_column(
        String(32), default=lambda: uuid4().hex, server_default=""
    )

    __table_args__ = (CheckConstraint("min_group_size >= 3", name="min_group_size"),)
