"""Scheduled account work: forget old sign-in throttle events."""

from __future__ import annotations

from datetime import datetime

from app.auth import throttle


def prune_throttle_events(now: datetime) -> int:
    """Delete throttle events older than a day (they no longer slow anyone down); returns how many."""
    return throttle.prune(now)
