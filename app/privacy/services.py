"""Privacy writes: appending to the access log. Flush only."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import User
from app.db import db, utcnow
from app.privacy.models import AccessLog


def record_access(
    actor: User,
    role: str,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    subject_id: int | None = None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> AccessLog:
    """Append one access-log row (who, in which role, what, which object; never its content).

    Flushes. The caller commits; on SQLite a GET view ends its read transaction first, so the
    insert starts a fresh transaction that waits for the write lock instead of failing.
    """
    row = AccessLog(
        at=now or utcnow(), organisation_id=actor.organisation_id, actor_id=actor.id,
        actor_role=role, action=action, object_type=object_type, object_id=object_id,
        subject_id=subject_id, ip_address=(ip_address or "")[:45] or None,
    )
    db.session.add(row)
    db.session.flush()
    return row
