"""The daily retention job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.db import db
from app.organisations.models import Organisation
from app.retention.services import apply_for


def apply_retention(now: datetime) -> dict[int, dict[str, int]]:
    """Delete what has expired in every organisation (each with its own periods); per organisation
    the counts go to the access log. Idempotent: a second run at the same `now` deletes nothing."""
    return {org_id: apply_for(org_id, now)
            for org_id in db.session.scalars(select(Organisation.id).order_by(Organisation.id))}
