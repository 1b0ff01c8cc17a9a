"""Helpers for the client-voice tests: answers stored directly, a valid form post, and DB reads."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.db import db
from app.practice.models import PracticeLog
from tests.factories import committed


def rating(log: PracticeLog, items: tuple[int, int, int], *, shared: bool, respondent: str = "youth",
           channel: str = "link") -> ClientRating:
    """An answer about `log`, stored as the services would (its request is not needed here)."""
    with committed() as s:
        row = ClientRating(log_id=log.id, author_id=log.author_id, respondent=respondent, channel=channel,
                           effort_understand=items[0], effort_listen=items[1], effort_include=items[2],
                           shared=shared)
        s.add(row)
    return row


def answer_form(**overrides: Any) -> dict[str, Any]:
    """A complete answer as the client's browser posts it (without the CSRF token)."""
    data: dict[str, Any] = {"respondent": "youth", "effort_understand": "3", "effort_listen": "4",
                            "effort_include": "2", "shared": "no"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ratings(app: Flask) -> list[ClientRating]:
    with app.app_context():
        return list(db.session.scalars(select(ClientRating).order_by(ClientRating.id)))


def requests(app: Flask) -> list[ClientFeedbackRequest]:
    with app.app_context():
        return list(db.session.scalars(select(ClientFeedbackRequest).order_by(ClientFeedbackRequest.id)))


def count_ratings(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ClientRating)) or 0


def link_path(page: str) -> str:
    """The one-time link's path as the practitioner's link page shows it."""
    match = re.search(r'value="http://localhost(/f/[A-Za-z0-9_-]+)"', page)
    assert match, "the link page shows no link"
    return match.group(1)
