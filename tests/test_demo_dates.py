"""Demo data is dated by the Amsterdam day, also when made just after midnight (UTC: the day before)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import demo, demo_data
from app.db import db
from app.teams.models import Membership

# 00:30 on New Year's Day in Amsterdam: in UTC it is still the last day of the old year.
NEW_YEAR = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)


@pytest.fixture
def log_windows(monkeypatch):
    """The [start, end) windows the demo builders ask logs for; no logs are written."""
    windows: list[tuple[date, date]] = []

    def record(_conn, _practitioners, start, end, seed=7, **_options):
        windows.append((start, end))
        return 0

    monkeypatch.setattr(demo, "generate_logs", record)
    monkeypatch.setattr(demo_data, "generate_logs", record)
    return windows


def _start_dates() -> set[date]:
    return set(db.session.scalars(select(Membership.started_on)))


def test_the_demo_organisation_is_dated_by_the_amsterdam_day(ctx, log_windows):
    demo.seed_demo(NEW_YEAR)
    assert _start_dates() == {date(2025, 1, 1)}  # the first of this month, a year ago
    assert log_windows == [(date(2025, 7, 1), date(2026, 1, 1))]  # six months, up to today


def test_a_demo_organisation_of_any_size_is_dated_by_the_amsterdam_day(ctx, log_windows):
    demo_data.build_organisation("Schaal", 1, 2, 1, "een wachtwoord", NEW_YEAR)
    assert _start_dates() == {date(2025, 12, 1)}
    assert log_windows == [(date(2025, 12, 1), date(2026, 1, 1))]
