"""Catalogue writes: seeding an organisation's copy, and the admin's edits. Flush only."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.db import db
from app.elements.models import CoreElement, Technique
from app.elements.seed import ELEMENTS
from app.organisations.models import Organisation
from app.privacy.text import clean_text
from app.security import can_manage_catalogue, require
from app.services import ServiceError


@dataclass(frozen=True)
class TechniqueText:
    """What an admin may write about a technique: labels and the 'how to' explanation."""

    label_nl: str
    label_en: str
    howto_nl: str = ""
    howto_en: str = ""


def ensure_core_elements() -> dict[str, CoreElement]:
    """Create the three core elements when missing (safe under concurrency); returns them by key."""
    existing = {e.key: e for e in db.session.scalars(select(CoreElement))}
    for position, seed in enumerate(ELEMENTS, start=1):
        if seed.key in existing:
            continue
        element = CoreElement(key=seed.key, position=position, label_nl=seed.label_nl,
                              label_en=seed.label_en)
        try:
            # A savepoint: when another transaction seeded first, only this insert is undone.
            with db.session.begin_nested():
                db.session.add(element)
        except IntegrityError:
            element = db.session.scalars(select(CoreElement).where(CoreElement.key == seed.key)).one()
        existing[seed.key] = element
    return existing


def seed_catalogue(organisation: Organisation) -> int:
    """Give `organisation` its own copy of every seed technique it lacks; returns how many were added.

    Idempotent: techniques already there (by key) are left exactly as the organisation edited,
    reordered or retired them, so running it again never undoes an admin's work. Flushes.
    """
    elements = ensure_core_elements()
    have = set(db.session.scalars(select(Technique.key).where(Technique.organisation_id == organisation.id)))
    added = 0
    for seed in ELEMENTS:
        element = elements[seed.key]
        missing = [t for t in seed.techniques if t.key not in have]
        if not missing:
            continue
        position = _last_position(organisation.id, element.id)
        for t in missing:
            position += 1
            db.session.add(Technique(
                organisation_id=organisation.id, element_id=element.id, key=t.key, position=position,
                label_nl=t.label_nl, label_en=t.label_en, howto_nl=t.howto_nl, howto_en=t.howto_en,
            ))
            added += 1
    db.session.flush()
    return added


def _last_position(organisation_id: int, element_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(Technique.position), 0)).where(
            Technique.organisation_id == organisation_id, Technique.element_id == element_id
        )
    ) or 0


def _clean(text: TechniqueText) -> TechniqueText:
    cleaned = TechniqueText(*(clean_text(part).strip() for part in
                              (text.label_nl, text.label_en, text.howto_nl, text.howto_en)))
    if not cleaned.label_nl:
        raise ServiceError(_("Fill in a Dutch label."), "label_nl")
    if not cleaned.label_en:
        raise ServiceError(_("Fill in an English label."), "label_en")
    return cleaned


def _new_key(organisation_id: int, label: str) -> str:
    """A stable key for an organisation's own technique, derived from its label and unique."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:40] or "technique"
    base = f"custom_{slug}"
    taken = set(db.session.scalars(
        select(Technique.key).where(Technique.organisation_id == organisation_id,
                                    Technique.key.like(f"{base}%"))
    ))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def add_technique(actor: User, element: CoreElement, text: TechniqueText) -> Technique:
    """Add an organisation's own technique at the end of `element`; flushes."""
    require(can_manage_catalogue(actor, actor.organisation_id), hide=False)
    text = _clean(text)
    technique = Technique(
        organisation_id=actor.organisation_id, element_id=element.id,
        key=_new_key(actor.organisation_id, text.label_en or text.label_nl),
        position=_last_position(actor.organisation_id, element.id) + 1,
        label_nl=text.label_nl, label_en=text.label_en, howto_nl=text.howto_nl, howto_en=text.howto_en,
    )
    db.session.add(technique)
    db.session.flush()
    return technique


def update_technique(actor: User, technique: Technique, text: TechniqueText) -> None:
    """Change a technique's labels and explanation (old logs show the new wording); flushes."""
    require(can_manage_catalogue(actor, technique.organisation_id))
    text = _clean(text)
    technique.label_nl, technique.label_en = text.label_nl, text.label_en
    technique.howto_nl, technique.howto_en = text.howto_nl, text.howto_en
    db.session.flush()


def move_technique(actor: User, technique: Technique, direction: str) -> None:
    """Swap a technique with its neighbour above ("up") or below ("down"); flushes."""
    require(can_manage_catalogue(actor, technique.organisation_id))
    siblings = list(db.session.scalars(
        select(Technique)
        .where(Technique.organisation_id == technique.organisation_id,
               Technique.element_id == technique.element_id)
        .order_by(Technique.position, Technique.id)
    ))
    i = siblings.index(technique)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    # Renumbering the whole element repairs any ties left by earlier seeding or additions.
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.flush()


def retire_technique(actor: User, technique: Technique, now: datetime) -> None:
    """Stop offering a technique in new logs; existing logs and exports keep it; flushes."""
    require(can_manage_catalogue(actor, technique.organisation_id))
    if technique.retired_at is None:
        technique.retired_at = now
    db.session.flush()


def unretire_technique(actor: User, technique: Technique) -> None:
    """Offer a retired technique in new logs again; flushes."""
    require(can_manage_catalogue(actor, technique.organisation_id))
    technique.retired_at = None
    db.session.flush()
