"""Core elements (fixed, shared by all organisations) and techniques (one set per organisation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class Bilingual:
    """Something with a Dutch and an English label."""

    label_nl: str
    label_en: str

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_nl


class HasHowTo:
    """Something with a short work-floor explanation in Dutch and English."""

    howto_nl: str
    howto_en: str

    def howto(self, locale: str) -> str:
        return self.howto_en if locale == "en" else self.howto_nl


class CoreElement(Bilingual, Base):
    """One of the three core elements; the same rows for every organisation (seed data)."""

    __tablename__ = "core_elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))


class Technique(Bilingual, HasHowTo, Base):
    """An observable technique of an element in one organisation's catalogue; retired, never deleted.

    Each organisation owns its rows (copied from the seed by `seed_catalogue`), so renaming or
    retiring here never changes another organisation's catalogue, and a log keeps pointing at the
    very row that was ticked.
    """

    __tablename__ = "techniques"
    __table_args__ = (
        UniqueConstraint("organisation_id", "key"),
        Index("ix_techniques_catalogue", "organisation_id", "element_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    element_id: Mapped[int] = mapped_column(ForeignKey("core_elements.id"))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    howto_nl: Mapped[str] = mapped_column(String(500), default="")
    howto_en: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    element: Mapped[CoreElement] = relationship()

    @property
    def retired(self) -> bool:
        return self.retired_at is not None
