"""Occurrence arithmetic: local wall-clock time kept across both DST changes, intervals, ISO weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app.clock import AMSTERDAM, local_instant
from app.prompts.occurrences import iso_week, next_weekly, once, weekly


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_sunday_14h_keeps_its_local_time_across_the_march_change():
    # The clocks go forward on Sunday 29 March 2026.
    found = weekly(6, time(14, 0), 1, date(2026, 3, 1), _utc(2026, 3, 21), _utc(2026, 4, 6))
    assert [o.key for o in found] == ["2026-03-22", "2026-03-29", "2026-04-05"]
    assert [o.due_at.hour for o in found] == [13, 12, 12]  # CET, then CEST, in UTC
    assert {o.due_at.astimezone(AMSTERDAM).time() for o in found} == {time(14, 0)}


def test_sunday_14h_keeps_its_local_time_across_the_october_change():
    # The clocks go back on Sunday 25 October 2026.
    found = weekly(6, time(14, 0), 1, date(2026, 10, 1), _utc(2026, 10, 17), _utc(2026, 11, 2))
    assert [o.key for o in found] == ["2026-10-18", "2026-10-25", "2026-11-01"]
    assert [o.due_at.hour for o in found] == [12, 13, 13]
    assert {o.due_at.astimezone(AMSTERDAM).time() for o in found} == {time(14, 0)}


def test_a_time_inside_the_skipped_hour_still_happens_once_that_day():
    found = weekly(6, time(2, 30), 1, date(2026, 3, 1), _utc(2026, 3, 28), _utc(2026, 3, 30))
    assert len(found) == 1 and found[0].key == "2026-03-29"


def test_every_other_week_counts_from_the_anchor_week():
    found = weekly(4, time(14, 0), 2, date(2026, 3, 2), _utc(2026, 3, 1), _utc(2026, 4, 30))
    assert [o.key for o in found] == ["2026-03-06", "2026-03-20", "2026-04-03", "2026-04-17"]


def test_window_bounds_are_inclusive():
    due = local_instant(date(2026, 3, 20), time(14, 0))
    assert [o.due_at for o in weekly(4, time(14, 0), 1, date(2026, 3, 1), due, due)] == [due]
    assert once(due, due, due)[0].key == "once"
    assert once(due, _utc(2026, 3, 21), _utc(2026, 3, 22)) == []


def test_next_weekly_and_iso_week():
    after = _utc(2026, 3, 20, 13, 30)
    assert next_weekly(4, time(14, 0), 1, date(2026, 3, 1), after) == _utc(2026, 3, 27, 13, 0)
    assert iso_week(_utc(2026, 3, 23, 8)) == "2026-W13"
    assert iso_week(_utc(2026, 1, 1)) == "2026-W01"
