"""Catalogue reads: the elements with an organisation's techniques, in display order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import g, has_request_context
from sqlalchemy import or_, select

from app.db import db
from app.elements.models import CoreElement, Technique
from app.teams.models import Organisation


@dataclass
class ElementCatalogue:
    element: CoreElement
    techniques: list[Technique] = field(default_factory=list)


def elements() -> list[CoreElement]:
    """The core elements in their fixed order."""
    return list(db.session.scalars(select(CoreElement).order_by(CoreElement.position)))


def element_by_key(key: str) -> CoreElement | None:
    return db.session.scalar(select(CoreElement).where(CoreElement.key == key))


def technique_in_org(organisation_id: int, technique_id: int) -> Technique | None:
    technique = db.session.get(Technique, technique_id)
    return technique if technique is not None and technique.organisation_id == organisation_id else None


def catalogue_for(
    organisation_id: int, *, include_retired: bool = False, keep_ids: Iterable[int] = ()
) -> list[ElementCatalogue]:
    """Every element with the organisation's techniques in order.

    Without `include_retired`, retired techniques are left out, except those in `keep_ids` (the
    ones already ticked on a log being edited, so editing never silently drops them).
    """
    keep = sorted(set(keep_ids))
    memo_key = (organisation_id, include_retired, tuple(keep))
    memo: dict[tuple[object, ...], list[ElementCatalogue]] = (
        g.setdefault("_catalogues", {}) if has_request_context() else {}
    )
    if memo_key not in memo:
        memo[memo_key] = _load_catalogue(organisation_id, include_retired, keep)
    return memo[memo_key]


def _load_catalogue(organisation_id: int, include_retired: bool, keep: list[int]) -> list[ElementCatalogue]:
    # Within a request the view and the service both need it; it changes only in another request.
    query = select(Technique).where(Technique.organisation_id == organisation_id)
    if not include_retired:
        query = query.where(or_(Technique.retired_at.is_(None), Technique.id.in_(keep)))
    by_element: dict[int, ElementCatalogue] = {e.id: ElementCatalogue(e) for e in elements()}
    for technique in db.session.scalars(query.order_by(Technique.position, Technique.id)):
        if technique.element_id in by_element:
            by_element[technique.element_id].techniques.append(technique)
    return list(by_element.values())


def organisations() -> list[Organisation]:
    """Every organisation, for seeding the catalogue of those created before it existed."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
