"""Scheduled prompt work: materialise due prompts, expire them, weekly digests.

Each job takes `now` and is an idempotent reconciler over the app's own tables (architecture.md,
"The scheduler"); run_job commits once at the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from app.db import cast_result, db
from app.prompts import delivery, notifications
from app.prompts.models import Prompt


def materialise_prompts(now: datetime) -> dict[str, int]:
    """Create every prompt that is due by `now` and still alive; queue instant e-mails.

    Per active schedule, the occurrences in [max(active since, now - expiry), now] become one
    prompt per recipient, inserted set-based with ON CONFLICT DO NOTHING on (schedule, user,
    occurrence): a second run, a parallel run or a catch-up after downtime adds nothing twice.
    Only the prompts this run inserted get an instant mail. Returns counts.
    """
    run = delivery.Run(now=now)
    for schedule, expiry_days in delivery.active_schedules():
        delivery.deliver_schedule(run, schedule, timedelta(days=expiry_days))
        run.schedules += 1
    created = db.session.scalar(select(func.count(Prompt.id)).where(Prompt.run_id == run.run_id)) or 0
    mails = notifications.queue_instant_mails(run.run_id, now) if created else 0
    return {"schedules": run.schedules, "prompts": int(created), "mails": mails}


def expire_prompts(now: datetime) -> int:
    """Mark open prompts past their expiry as expired (they stop nagging); returns how many."""
    result = cast_result(db.session.execute(
        update(Prompt)
        .where(Prompt.status == "open", Prompt.expires_at <= now)
        .values(status="expired", closed_at=now)
    ))
    return int(result.rowcount or 0)


def send_prompt_digests(now: datetime) -> int:
    """Queue the weekly digest for digest readers with waiting prompts; once per ISO week each."""
    return notifications.send_digests(now)
