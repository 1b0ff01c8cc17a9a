"""A new catalogue revision for an organisation whenever one of its techniques changes.

The revision keys the catalogue cache (`queries.catalogue_for`), so every worker process sees an
admin's edit at its next request. It is set on flush for every technique added, changed or deleted
through the ORM, so no service can forget it; a bulk write to `techniques` outside the ORM must
set a new `Organisation.catalogue_revision` itself.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.elements.models import Technique
from app.organisations.models import Organisation


@event.listens_for(Session, "before_flush")
def _new_revision(session: Session, _context: Any, _instances: Any) -> None:
    changed = {obj.organisation_id for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, Technique)}
    if not changed:
        return
    with session.no_autoflush:
        for organisation_id in changed:
            organisation = session.get(Organisation, organisation_id)
            if organisation is not None:
                organisation.catalogue_revision = uuid4().hex
