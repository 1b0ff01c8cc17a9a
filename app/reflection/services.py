"""Reflection writes: reflections, drafts, sharing, preferences, settings. Flush only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.auth.models import User
from app.db import db, dialect_insert
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.privacy import services as privacy
from app.privacy.guard import check_text
from app.privacy.text import clean_text
from app.reflection import catalogue
from app.reflection.models import (
    EMAIL_MODES,
    Reflection,
    ReflectionDraft,
    ReflectionPreference,
    ReflectionSettings,
    ReflectionShare,
)
from app.security import (
    can_change_log,
    can_change_reflection,
    can_manage_organisation,
    can_read_reflection,
    can_share_reflection_with,
    require,
)
from app.services import ServiceError

ANSWER_MAX = 4000
DRAFT_KEY = re.compile(r"^(new|edit):[a-z0-9:_-]{1,54}$")
DRAFT_FIELDS = frozenset(
    [f"answer_{key}" for tpl in catalogue.TEMPLATES.values() for key in tpl.step_keys]
    + [f"skj_{key}" for key in catalogue.SKJ_KEYS] + ["element_id"]
)


def _clean(template_key: str, answers: Mapping[str, Any], skj: Mapping[str, Any] | None
           ) -> tuple[dict[str, str], dict[str, str] | None]:
    """The template's answers (and SKJ notes), trimmed and guarded; refuses an empty reflection."""
    tpl = catalogue.template(template_key)
    if tpl is None:
        raise ServiceError(_("Choose a reflection model."), "template_key")
    def trimmed(value: Any) -> str:
        return clean_text(str(value or "")).strip()[:ANSWER_MAX]

    clean = {k: trimmed(answers.get(k)) for k in tpl.step_keys}
    skj_clean = {k: trimmed((skj or {}).get(k)) for k in catalogue.SKJ_KEYS}
    if not any(clean.values()):
        raise ServiceError(_("Answer at least one question."), f"answer_{tpl.step_keys[0]}")
    for key, text in clean.items():
        check_text(text, f"answer_{key}")
    for key, text in skj_clean.items():
        check_text(text, f"skj_{key}")
    return clean, (skj_clean if any(skj_clean.values()) else None)


def _element_id(element_id: int | None) -> int | None:
    if not element_id:
        return None
    if db.session.get(CoreElement, element_id) is None:
        raise ServiceError(_("Choose an element from the list."), "element_id")
    return element_id


def draft_key(template_key: str, prompt_id: int | None = None, log_id: int | None = None,
              reflection_id: int | None = None) -> str:
    """The key a form's draft is saved under: one per user and per thing being written."""
    if reflection_id is not None:
        return f"edit:{reflection_id}"
    key = f"new:{template_key}"
    if prompt_id:
        key += f":p{prompt_id}"
    if log_id:
        key += f":l{log_id}"
    return key


def create_reflection(
    author: User,
    template_key: str,
    answers: Mapping[str, Any],
    skj_answers: Mapping[str, Any] | None,
    now: datetime,
    *,
    element_id: int | None = None,
    prompt_id: int | None = None,
    log: PracticeLog | None = None,
) -> Reflection:
    """Write a private reflection (about a practice log, or on one's own); flushes.

    A log must be the author's own. `prompt_id` is set by `app.prompts.services.answer_prompt`,
    which checks the prompt first. The form's draft is replaced by an empty one (a tombstone newer
    than any copy in a browser).
    """
    if log is not None:
        require(can_change_log(author, log))
    clean, skj = _clean(template_key, answers, skj_answers)
    reflection = Reflection(
        organisation_id=author.organisation_id, author_id=author.id, template_key=template_key,
        answers=clean, skj_answers=skj, element_id=_element_id(element_id),
        prompt_id=prompt_id, practice_log_id=log.id if log else None,
        created_at=now, updated_at=now,
    )
    db.session.add(reflection)
    db.session.flush()
    clear_draft(author, draft_key(template_key, prompt_id, log.id if log else None), now)
    return reflection


def update_reflection(actor: User, reflection: Reflection, answers: Mapping[str, Any],
                      skj_answers: Mapping[str, Any] | None, element_id: int | None, now: datetime) -> None:
    """Change one's own reflection; flushes and clears the edit draft."""
    require(can_change_reflection(actor, reflection))
    clean, skj = _clean(reflection.template_key, answers, skj_answers)
    element = _element_id(element_id)  # checked before anything changes
    reflection.answers, reflection.skj_answers, reflection.element_id = clean, skj, element
    reflection.updated_at = now
    db.session.flush()
    clear_draft(actor, draft_key(reflection.template_key, reflection_id=reflection.id), now)


def delete_reflection(actor: User, reflection: Reflection) -> None:
    """Delete one's own reflection with its shares and edit draft; flushes."""
    require(can_change_reflection(actor, reflection))
    db.session.execute(delete(ReflectionDraft).where(
        ReflectionDraft.user_id == actor.id,
        ReflectionDraft.key == draft_key(reflection.template_key, reflection_id=reflection.id)))
    db.session.execute(delete(ReflectionShare).where(ReflectionShare.reflection_id == reflection.id))
    db.session.delete(reflection)
    db.session.flush()


def _share(reflection_id: int, coach_id: int) -> ReflectionShare | None:
    return db.session.scalar(select(ReflectionShare).where(
        ReflectionShare.reflection_id == reflection_id, ReflectionShare.coach_id == coach_id))


def share_reflection(actor: User, reflection: Reflection, coach: User, now: datetime) -> ReflectionShare:
    """Share with one running coach of the author (again, after a withdrawal); flushes."""
    require(can_share_reflection_with(actor, reflection, coach))
    share = _share(reflection.id, coach.id)
    if share is None:
        share = ReflectionShare(reflection_id=reflection.id, coach_id=coach.id)
        db.session.add(share)
    share.shared_at, share.withdrawn_at = now, None
    db.session.flush()
    return share


def withdraw_share(actor: User, reflection: Reflection, coach_id: int, now: datetime) -> None:
    """End a share: from now on the coach gets 404 for this reflection; flushes."""
    require(can_change_reflection(actor, reflection))
    share = _share(reflection.id, coach_id)
    if share is not None and share.withdrawn_at is None:
        share.withdrawn_at = now
        db.session.flush()


def record_shared_read(actor: User, reflection: Reflection) -> None:
    """A coach reading a shared reflection goes into the access log (the author's reads do not)."""
    require(can_read_reflection(actor, reflection))
    privacy.record_read(actor, "reflection", reflection.id, reflection.author_id)


# --- drafts ----------------------------------------------------------------------------------


def _upsert_draft(user: User, key: str, data: dict[str, str], now: datetime) -> None:
    stmt = dialect_insert(ReflectionDraft).values(user_id=user.id, key=key, data=data, updated_at=now)
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["user_id", "key"], set_={"data": stmt.excluded.data, "updated_at": now}))


def save_draft(user: User, key: str, data: Mapping[str, Any], now: datetime) -> None:
    """Keep what the user is typing, per form, on the server (autosave and every POST); flushes.

    Text that looks like a client identifier is refused (ServiceError): it stays only in the
    form in the user's own browser until they rephrase it.
    """
    if not DRAFT_KEY.match(key):
        raise ServiceError(_("This form cannot be saved."))
    clean = {k: clean_text(str(v))[:ANSWER_MAX] for k, v in data.items() if k in DRAFT_FIELDS}
    for field, text in clean.items():
        check_text(text, field)
    _upsert_draft(user, key, clean, now)


def clear_draft(user: User, key: str, now: datetime) -> None:
    """Empty a draft once its text is saved; the newer version tells browsers to drop their copy."""
    _upsert_draft(user, key, {}, now)


# --- prompts ---------------------------------------------------------------------------------


# --- preferences and settings ----------------------------------------------------------------


def set_preferences(user: User, email_mode: str, skj_cycle_start: date | None) -> ReflectionPreference:
    """Store how prompts reach the user by e-mail, and their SKJ registration date; flushes."""
    if email_mode not in EMAIL_MODES:
        raise ServiceError(_("Choose one of the options."), "email_mode")
    pref = db.session.get(ReflectionPreference, user.id)
    if pref is None:
        pref = ReflectionPreference(user_id=user.id)
        db.session.add(pref)
    pref.email_mode, pref.skj_cycle_start = email_mode, skj_cycle_start
    db.session.flush()
    return pref


def update_settings(actor: User, organisation_id: int, *, skj_target_hours: int, skj_cycle_years: int,
                    skj_min_session_minutes: int, prompt_expiry_days: int) -> ReflectionSettings:
    """Change the organisation's SKJ rules and prompt expiry (admins only); flushes."""
    require(can_manage_organisation(actor, organisation_id), hide=False)
    row = db.session.get(ReflectionSettings, organisation_id)
    if row is None:
        row = ReflectionSettings(organisation_id=organisation_id)
        db.session.add(row)
    row.skj_target_hours, row.skj_cycle_years = skj_target_hours, skj_cycle_years
    row.skj_min_session_minutes, row.prompt_expiry_days = skj_min_session_minutes, prompt_expiry_days
    db.session.flush()
    return row
