"""The one scheduler process: its job list, its leader lock, and how each job gets a context."""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from app.db import db, utcnow

log = logging.getLogger("werkzaam.scheduler")

Job = Callable[[datetime], Any]
LOCK_KEY = 0x5745524B  # "WERK": the PostgreSQL advisory-lock key of the scheduler


def _jobs() -> list[tuple[str, Job, dict[str, int]]]:
    from app.auth.jobs import prune_throttle_events
    from app.mail.jobs import send_outbox
    from app.notifications.jobs import send_digests as send_notification_digests
    from app.prompts.jobs import expire_prompts, materialise_prompts, send_prompt_digests
    from app.reflection.jobs import prune_drafts
    from app.retention.jobs import apply_retention

    return [
        ("materialise_prompts", materialise_prompts, {"minutes": 1}),
        ("expire_prompts", expire_prompts, {"minutes": 1}),
        ("send_prompt_digests", send_prompt_digests, {"hours": 1}),
        ("send_notification_digests", send_notification_digests, {"hours": 1}),
        ("prune_reflection_drafts", prune_drafts, {"hours": 24}),
        ("send_outbox", send_outbox, {"minutes": 1}),
        ("prune_throttle_events", prune_throttle_events, {"hours": 1}),
        ("apply_retention", apply_retention, {"hours": 24}),
    ]


def run_job(app: Flask, job: Job, now: datetime | None = None) -> Any:
    """Run one job in its own app context and commit once; a failure is logged and rolled back."""
    with app.app_context():
        try:
            result = job(now or utcnow())
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", getattr(job, "__name__", job))
            raise


class LeaderLock:
    """Held for the life of the process: a PostgreSQL advisory lock, or a file lock on SQLite."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._file: IO[str] | None = None
        self._conn: Any = None

    def acquire(self) -> bool:
        with self.app.app_context():
            engine = db.engine
            if engine.dialect.name == "postgresql":
                self._conn = engine.connect()
                got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
                self._conn.commit()
                if not got:
                    self._conn.close()
                    self._conn = None
                return bool(got)
        path = self.app.config["SCHEDULER_LOCK_FILE"]
        self._file = open(path, "w")  # noqa: SIM115 - kept open while the lock is held
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A BlockingScheduler with every job; misfires within an hour still run, coalesced to one."""
    scheduler = BlockingScheduler(
        timezone="Europe/Amsterdam",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for name, job, interval in _jobs():
        scheduler.add_job(
            _safe, "interval", args=(app, job), id=name, name=name, next_run_time=utcnow(), **interval
        )
    return scheduler


def _safe(app: Flask, job: Job) -> None:
    # Already logged by run_job; the scheduler must keep running after a failed job.
    with contextlib.suppress(Exception):
        run_job(app, job)
