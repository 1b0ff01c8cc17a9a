"""Rate limits kept in the database, so every worker and instance shares the same counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.auth.models import ThrottleEvent
from app.db import db

MAX_DELAY_SECONDS = 15 * 60


def record(bucket: str, key: str, now: datetime) -> None:
    """Count one event for (bucket, key); flushes."""
    db.session.add(ThrottleEvent(bucket=bucket, key=key, created_at=now))
    db.session.flush()


def count_since(bucket: str, key: str, since: datetime) -> tuple[int, datetime | None]:
    """How many events (bucket, key) had since `since`, and when the last one was."""
    row = db.session.execute(
        select(func.count(), func.max(ThrottleEvent.created_at)).where(
            ThrottleEvent.bucket == bucket,
            ThrottleEvent.key == key,
            ThrottleEvent.created_at >= since,
        )
    ).one()
    last = row[1]
    if last is not None and last.tzinfo is None:
        from datetime import UTC

        last = last.replace(tzinfo=UTC)
    return int(row[0]), last


def _wait(bucket: str, key: str, free: int, now: datetime) -> int:
    window = timedelta(minutes=current_app.config["THROTTLE_WINDOW_MINUTES"])
    failures, last = count_since(bucket, key, now - window)
    over = failures - free + 1
    if over <= 0 or last is None:
        return 0
    delay = min(2**over, MAX_DELAY_SECONDS)
    remaining = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def signin_wait_seconds(email: str, address: str, now: datetime) -> int:
    """Seconds before this account, or this address, may try to sign in again (0: go ahead).

    Failures slow down the account (from any address) and the address (for any account) with
    a doubling delay once the free allowance is used; other accounts and addresses are untouched.
    """
    cfg = current_app.config
    return max(
        _wait("signin_account", email, cfg["THROTTLE_FREE_FAILURES"], now),
        _wait("signin_address", address, cfg["THROTTLE_FREE_FAILURES_PER_ADDRESS"], now),
    )


def record_signin_failure(email: str, address: str, now: datetime) -> None:
    record("signin_account", email, now)
    record("signin_address", address, now)


def clear_signin_failures(email: str) -> None:
    """A successful sign-in forgives the account's failures (the address keeps its count)."""
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.bucket == "signin_account", ThrottleEvent.key == email
        )
    )


def prune(now: datetime) -> int:
    """Delete events older than a day; returns how many."""
    result = db.session.execute(
        delete(ThrottleEvent).where(ThrottleEvent.created_at < now - timedelta(days=1))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
