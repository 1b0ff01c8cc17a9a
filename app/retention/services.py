"""Retention writes: an organisation's periods and second-factor setting, and one run of the job."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete

from app.auth.models import User
from app.db import db, dialect_insert
from app.organisations.models import Organisation
from app.privacy.services import SYSTEM, record_access
from app.retention.kinds import KINDS
from app.retention.models import MAX_MONTHS, RetentionPeriod, RetentionRun
from app.retention.queries import periods_of
from app.security import can_manage_organisation, require
from app.services import ServiceError


def save_settings(actor: User, months: dict[str, int], second_factor_for_all: bool) -> None:
    """Store the organisation's retention periods (a default is stored as no row) and whether
    everyone signs in with a second factor. Admins only; logged; flushes."""
    require(can_manage_organisation(actor, actor.organisation_id), hide=False)
    for kind, value in months.items():
        spec = KINDS[kind]
        if not spec.min_months <= value <= MAX_MONTHS:
            raise ServiceError(_("Choose between %(min)d and %(max)d months.", min=spec.min_months,
                                 max=MAX_MONTHS), kind)
    org = db.session.get(Organisation, actor.organisation_id)
    assert org is not None
    org.second_factor_for_all = second_factor_for_all
    db.session.execute(delete(RetentionPeriod).where(RetentionPeriod.organisation_id == org.id))
    db.session.add_all(RetentionPeriod(organisation_id=org.id, kind=kind, months=value)
                       for kind, value in months.items() if value != KINDS[kind].default_months)
    db.session.flush()
    changed = ",".join(f"{k}={v}" for k, v in sorted(months.items()))
    record_access(actor, "admin", "settings_changed", "organisation", org.id,
                  detail=f"{changed},second_factor_for_all={int(second_factor_for_all)}")


def apply_for(organisation_id: int, now: datetime) -> dict[str, int]:
    """Delete what has expired in one organisation, kind by kind; note the run and write the counts
    to the access log (one row per run). Returns the count per kind. Flushes; idempotent."""
    periods = periods_of(organisation_id)
    counts = {kind: spec.purge(organisation_id, now, periods[kind]) for kind, spec in KINDS.items()}
    total = sum(counts.values())
    run = dialect_insert(RetentionRun).values(organisation_id=organisation_id, ran_at=now, deleted=total)
    db.session.execute(run.on_conflict_do_update(index_elements=["organisation_id"],
                                                 set_={"ran_at": now, "deleted": total}))
    record_access(None, SYSTEM, "retention", "organisation", organisation_id, organisation_id=organisation_id,
                  detail=",".join(f"{k}={n}" for k, n in counts.items()), now=now)
    return counts
