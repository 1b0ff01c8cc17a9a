"""Scheduled reflection work: forget drafts nobody came back to.

Each job takes `now` and is an idempotent reconciler over the app's own tables (architecture.md,
"The scheduler"); run_job commits once at the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from app.db import cast_result, db
from app.reflection.models import ReflectionDraft

DRAFT_DAYS = 30


def prune_drafts(now: datetime) -> int:
    """Delete drafts untouched for 30 days: unsent text is not kept longer than it helps."""
    result = cast_result(db.session.execute(
        delete(ReflectionDraft).where(ReflectionDraft.updated_at < now - timedelta(days=DRAFT_DAYS))
    ))
    return int(result.rowcount or 0)
