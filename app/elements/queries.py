"""Catalogue reads: the elements with an organisation's techniques, in display order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select

from app.db import db
from app.elements.models import Bilingual, CoreElement, HasHowTo, Technique
from app.organisations.models import Organisation


@dataclass(frozen=True)
class ElementEntry(Bilingual):
    """A core element as the catalogue shows it (plain data, not a database row)."""

    id: int
    key: str
    position: int
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class TechniqueEntry(Bilingual, HasHowTo):
    """A technique as the catalogue offers it (plain data, not a database row)."""

    id: int
    element_id: int
    key: str
    label_nl: str
    label_en: str
    howto_nl: str
    howto_en: str
    retired: bool


@dataclass(frozen=True)
class ElementCatalogue:
    element: ElementEntry
    techniques: tuple[TechniqueEntry, ...] = ()


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

    Read once per catalogue revision and process: every log form needs it, and it changes only
    when an admin edits it, which gives the organisation a new revision (app/elements/revision.py).
    The revision comes with the signed-in user's organisation, so a cached catalogue costs no query.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return []
    return list(_cached_catalogue(
        organisation_id, organisation.catalogue_revision, include_retired, tuple(sorted(set(keep_ids)))
    ))


def element_entries(organisation_id: int) -> list[ElementEntry]:
    """The core elements in their fixed order, from the organisation's cached catalogue (no query
    once read for its revision)."""
    return [entry.element for entry in catalogue_for(organisation_id)]


@lru_cache(maxsize=256)
def _cached_catalogue(
    organisation_id: int, _revision: str, include_retired: bool, keep: tuple[int, ...]
) -> tuple[ElementCatalogue, ...]:
    params = {"organisation_id": organisation_id, "keep": list(keep)}
    elements: dict[int, ElementEntry] = {}
    techniques: dict[int, list[TechniqueEntry]] = {}
    for row in db.session.execute(_catalogue_query(include_retired), params):
        if row.element_id not in elements:
            elements[row.element_id] = ElementEntry(
                row.element_id, row.element_key, row.element_position, row.element_label_nl,
                row.element_label_en,
            )
            techniques[row.element_id] = []
        if row.id is not None:
            techniques[row.element_id].append(TechniqueEntry(
                row.id, row.element_id, row.key, row.label_nl, row.label_en,
                row.howto_nl, row.howto_en, row.retired_at is not None,
            ))
    return tuple(ElementCatalogue(e, tuple(techniques[e.id])) for e in elements.values())


@lru_cache(maxsize=2)
def _catalogue_query(include_retired: bool) -> Select[*tuple[Any, ...]]:
    """Elements with one organisation's techniques in one query, as plain rows (no ORM objects).

    Built once: the organisation and the techniques to keep are bound parameters.
    """
    joined = and_(Technique.element_id == CoreElement.id,
                  Technique.organisation_id == bindparam("organisation_id"))
    if not include_retired:
        joined = and_(joined, or_(Technique.retired_at.is_(None),
                                  Technique.id.in_(bindparam("keep", expanding=True))))
    return (
        select(
            CoreElement.id.label("element_id"), CoreElement.key.label("element_key"),
            CoreElement.position.label("element_position"),
            CoreElement.label_nl.label("element_label_nl"), CoreElement.label_en.label("element_label_en"),
            Technique.id, Technique.key, Technique.label_nl, Technique.label_en,
            Technique.howto_nl, Technique.howto_en, Technique.retired_at,
        )
        .outerjoin(Technique, joined)
        .order_by(CoreElement.position, Technique.position, Technique.id)
    )


def organisations() -> list[Organisation]:
    """Every organisation, for seeding the catalogue of those created before it existed."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
