"""Retention reads: the periods in force for an organisation, and when the job last ran there."""

from __future__ import annotations

from sqlalchemy import select

from app.db import db
from app.retention.kinds import KINDS
from app.retention.models import RetentionPeriod, RetentionRun


def periods_of(organisation_id: int) -> dict[str, int]:
    """Months per kind: the organisation's own choice, else the default of privacy.md."""
    rows = db.session.execute(select(RetentionPeriod.kind, RetentionPeriod.months)
                              .where(RetentionPeriod.organisation_id == organisation_id))
    chosen = {kind: months for kind, months in rows}
    return {kind: chosen.get(kind, spec.default_months) for kind, spec in KINDS.items()}


def last_run(organisation_id: int) -> RetentionRun | None:
    return db.session.get(RetentionRun, organisation_id)
