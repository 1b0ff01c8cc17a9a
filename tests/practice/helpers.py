"""Helpers for the practice tests: a valid log form as a browser would post it, and DB reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.clock import local_today
from app.db import db
from app.practice.models import PracticeLog


def log_form(**overrides: Any) -> dict[str, Any]:
    """A complete, valid new-log form: one element applied with one technique and a rating."""
    data: dict[str, Any] = {
        "submission_key": uuid4().hex,
        "session_date": local_today().isoformat(),
        "setting": "home",
        "participants": ["youth", "parent"],
        "age_band": "12-18",
        "phase": "working",
        "duration_minutes": "60",
        "applied_shared_decision_making": "y",
        "t_sdm_goals_asked": "y",
        "rating_shared_decision_making": "4",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count_logs(app: Flask, author_id: int | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(PracticeLog)
        if author_id is not None:
            query = query.where(PracticeLog.author_id == author_id)
        return db.session.scalar(query) or 0


def log_ids(app: Flask, author_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(
            select(PracticeLog.id).where(PracticeLog.author_id == author_id).order_by(PracticeLog.id)
        ))


def checked(html: str, input_id: str) -> bool:
    """Whether the input with this id is rendered checked."""
    match = re.search(rf'<input[^>]*\bid="{re.escape(input_id)}"[^>]*>', html)
    return match is not None and re.search(r"\schecked[\s>=]", match.group(0)) is not None


@pytest.fixture(autouse=True)
def english_ui(app: Flask) -> Iterator[Callable[[str], None]]:
    """These tests read the English msgids (the Dutch catalogue is filled apart from the code).

    Returns a setter for tests that check another language, e.g. the catalogue's Dutch labels.
    """
    babel = app.extensions["babel"]
    original = babel.locale_selector

    def use(language: str) -> None:
        babel.locale_selector = lambda: language

    use("en")
    yield use
    babel.locale_selector = original
