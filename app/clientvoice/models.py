"""Requests for a client's rating (a one-time link or a hand-over) and the anonymous answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, one_of, utcnow

# Who answered: the only thing stored about the respondent (core-elements.md, client voice).
RESPONDENTS = ("youth", "parent", "together")
CHANNELS = ("link", "handover")
# The three CollaboRATE items, each 0 (no effort) .. 4 (every effort), in the order asked.
ITEMS = ("effort_understand", "effort_listen", "effort_include")
ITEM_MAX = 4


class ClientFeedbackRequest(Base):
    """One invitation to rate a session: a one-time link (only its SHA-256 is stored) or a hand-over.

    Used once: `used_at` is set in the same transaction that stores the answer. Whether it was used
    is never shown to the practitioner, so an answer kept private looks like no answer yet.
    """

    __tablename__ = "client_feedback_requests"
    __table_args__ = (CheckConstraint(one_of("channel", CHANNELS), name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("practice_logs.id", ondelete="CASCADE"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClientRating(Base):
    """One anonymous answer about a session: who answered, three items, and whether it is shared.

    No time, no request and nothing about the person is kept with it: an unshared answer must not
    be traceable to the moment a link was used. `shared` is the respondent's choice (default no).
    Answers are added and deleted, never edited.
    """

    __tablename__ = "client_ratings"
    __table_args__ = (
        CheckConstraint(one_of("respondent", RESPONDENTS), name="respondent"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        *(CheckConstraint(f"{item} BETWEEN 0 AND {ITEM_MAX}", name=item) for item in ITEMS),
        Index("ix_client_ratings_log", "log_id", "shared"),
        Index("ix_client_ratings_author", "author_id", "shared", "id"),
        # Ids are never used twice, also on SQLite: the home figures' mark relies on it (0020).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("practice_logs.id", ondelete="CASCADE"))
    # The rated log's author, which never changes: their answers are one index range (migration 0019).
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    respondent: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    effort_understand: Mapped[int] = mapped_column(Integer)
    effort_listen: Mapped[int] = mapped_column(Integer)
    effort_include: Mapped[int] = mapped_column(Integer)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
