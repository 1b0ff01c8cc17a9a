"""Prompt writes: schedules (create, pause, resume, delete) and prompts (answer, snooze, put aside).

Flush only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.auth.models import User
from app.clock import local_date, local_instant
from app.db import db
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.privacy.guard import check_text
from app.privacy.text import clean_text
from app.prompts.models import SCHEDULE_KINDS, TARGETS, Prompt, Schedule
from app.reflection import catalogue
from app.reflection import services as reflections
from app.reflection.models import Reflection
from app.security import can_answer_prompt, can_guide_team, can_manage_schedule, require
from app.services import ServiceError
from app.teams.models import Team

WEEKLY_KINDS = ("recurring", "targeted")


@dataclass(frozen=True)
class ScheduleInput:
    """What the schedule form asks; which fields matter depends on `kind`."""

    kind: str
    template_key: str | None = None
    theme: str | None = None
    weekday: int | None = None
    local_time: time | None = None
    interval_weeks: int | None = 1
    anchor_date: date | None = None
    every_n: int | None = None
    element_id: int | None = None
    target: str | None = None
    once_at: datetime | None = None


def _validated(data: ScheduleInput, now: datetime) -> ScheduleInput:
    """Check the fields the kind needs; raises ServiceError naming the field."""
    if data.kind not in SCHEDULE_KINDS:
        raise ServiceError(_("Choose a kind of schedule."), "kind")
    if data.template_key and catalogue.template(data.template_key) is None:
        raise ServiceError(_("Choose a reflection model."), "template_key")
    theme = clean_text(data.theme or "").strip() or None
    check_text(theme, "theme")
    if data.element_id and db.session.get(CoreElement, data.element_id) is None:
        raise ServiceError(_("Choose an element from the list."), "element_id")
    if data.kind in WEEKLY_KINDS:
        if data.weekday is None or not 0 <= data.weekday <= 6:
            raise ServiceError(_("Choose a day of the week."), "weekday")
        if data.local_time is None:
            raise ServiceError(_("Fill in a time."), "local_time")
        if not data.interval_weeks or not 1 <= data.interval_weeks <= 12:
            raise ServiceError(_("Choose every 1 to 12 weeks."), "interval_weeks")
    if data.kind == "targeted" and data.target not in TARGETS:
        raise ServiceError(_("Choose what to aim the prompt at."), "target")
    if data.kind == "after_sessions" and (not data.every_n or not 1 <= data.every_n <= 50):
        raise ServiceError(_("Choose after every 1 to 50 sessions."), "every_n")
    if data.kind == "one_off":
        if data.once_at is None:
            raise ServiceError(_("Fill in a date and time."), "once_date")
        if data.once_at <= now:
            raise ServiceError(_("Choose a moment in the future."), "once_date")
    if data.kind == "one_off" and not theme:
        raise ServiceError(_("Fill in a theme for this one-off prompt."), "theme")
    return ScheduleInput(
        kind=data.kind, template_key=data.template_key or None, theme=theme,
        weekday=data.weekday if data.kind in WEEKLY_KINDS else None,
        local_time=data.local_time if data.kind in WEEKLY_KINDS else None,
        interval_weeks=data.interval_weeks if data.kind in WEEKLY_KINDS else None,
        anchor_date=(data.anchor_date or local_date(now)) if data.kind in WEEKLY_KINDS else None,
        every_n=data.every_n if data.kind == "after_sessions" else None,
        element_id=(data.element_id or None) if data.kind == "after_sessions" else None,
        target=data.target if data.kind == "targeted" else None,
        once_at=data.once_at if data.kind == "one_off" else None,
    )


def create_schedule(actor: User, team: Team | None, data: ScheduleInput, now: datetime) -> Schedule:
    """A team's schedule (its lead, or a coach of one of its members) or the actor's own; flushes.

    Occurrences before `now` never become prompts: a new Friday-14:00 rhythm made on Friday at
    15:00 first prompts a week later.
    """
    if team is not None:
        require(can_guide_team(actor, team))
    clean = _validated(data, now)
    schedule = Schedule(
        organisation_id=actor.organisation_id,
        team_id=team.id if team is not None else None,
        owner_id=None if team is not None else actor.id,
        created_by_id=actor.id, active=True, active_since=now, created_at=now,
        **clean.__dict__,
    )
    db.session.add(schedule)
    db.session.flush()
    return schedule


def pause_schedule(actor: User, schedule: Schedule) -> None:
    """Stop making prompts; prompts already delivered stay in the inbox; flushes."""
    require(can_manage_schedule(actor, schedule))
    schedule.active = False
    db.session.flush()


def resume_schedule(actor: User, schedule: Schedule, now: datetime) -> None:
    """Start again from now: occurrences during the pause are not delivered late; flushes."""
    require(can_manage_schedule(actor, schedule))
    if not schedule.active:
        schedule.active, schedule.active_since = True, now
        db.session.flush()


def delete_schedule(actor: User, schedule: Schedule) -> None:
    """Delete a schedule and its prompts; reflections written from them keep their text; flushes."""
    require(can_manage_schedule(actor, schedule))
    prompt_ids = select(Prompt.id).where(Prompt.schedule_id == schedule.id)
    db.session.execute(update(Reflection).where(Reflection.prompt_id.in_(prompt_ids)).values(prompt_id=None))
    db.session.execute(delete(Prompt).where(Prompt.schedule_id == schedule.id))
    db.session.delete(schedule)
    db.session.flush()


# --- prompt actions ---------------------------------------------------------------------------


def answer_prompt(author: User, prompt: Prompt, template_key: str, answers: Mapping[str, Any],
                  skj_answers: Mapping[str, Any] | None, now: datetime, *, element_id: int | None = None,
                  log: PracticeLog | None = None) -> Reflection:
    """Write the reflection a prompt asks for and mark the prompt answered; flushes.

    The prompt must be the author's own (else 404); the reflection is written as any other
    (`app.reflection.services.create_reflection`), so it stays private until shared.
    """
    require(can_answer_prompt(author, prompt))
    reflection = reflections.create_reflection(
        author, template_key, answers, skj_answers, now, element_id=element_id, prompt_id=prompt.id, log=log)
    if prompt.status == "open":
        prompt.status, prompt.closed_at = "answered", now
        db.session.flush()
    return reflection


SNOOZE_OPTIONS = ("tomorrow", "three_days")


def snooze_until(option: str, now: datetime) -> datetime:
    """When a snoozed prompt comes back: tomorrow at 08:00, or in three days (Amsterdam time)."""
    if option not in SNOOZE_OPTIONS:
        raise ServiceError(_("Choose when the prompt should come back."))
    days = 1 if option == "tomorrow" else 3
    day = local_date(now) + timedelta(days=days)
    return local_instant(day, time(8, 0))


def snooze_prompt(actor: User, prompt: Prompt, option: str, now: datetime) -> datetime:
    """Hide an open prompt until later; it lives at least a day after coming back; flushes."""
    require(can_answer_prompt(actor, prompt))
    if prompt.status != "open":
        raise ServiceError(_("This prompt is no longer open."))
    until = snooze_until(option, now)
    prompt.snoozed_until = until
    prompt.expires_at = max(prompt.expires_at, until + timedelta(days=1))
    db.session.flush()
    return until


def dismiss_prompt(actor: User, prompt: Prompt, now: datetime) -> None:
    """Put a prompt aside for good: it stops nagging (no badge, no digest); flushes."""
    require(can_answer_prompt(actor, prompt))
    if prompt.status == "open":
        prompt.status, prompt.closed_at = "dismissed", now
        db.session.flush()
