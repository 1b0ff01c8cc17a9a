"""What the menu knows about the signed-in user, read in one query per page.

The badges (prompts waiting, unread notifications), whether they coach someone, whether they have
coaching of their own, and their organisation roles: base.html needs all of it on every page, so it
is one SELECT of a few indexed counts and EXISTS tests instead of one query each. Each part is
written once, where it belongs (prompts, notifications, coaching); this module only combines them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from flask import g, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ColumnElement, Integer, Select, bindparam, exists, select

from app.auth.models import User
from app.coaching.queries import QueueItem, coaches_clause, own_coaching_clause, queue_for
from app.db import UTCDateTime, db, utcnow
from app.notifications.queries import unread_count_query
from app.practice.queries import shows_practice_clause
from app.prompts.queries import inbox_count_query
from app.remembered import remembered_form
from app.security import PageFacts, remember_org_roles
from app.teams.models import ORG_ROLES, OrganisationRole


@dataclass(frozen=True)
class MenuFacts:
    prompts: int = 0  # prompts waiting in the reflection inbox
    notifications: int = 0  # unread coaching notifications
    coaches: bool = False  # coaches someone now
    coached: bool = False  # has a coach now, or feedback or learning goals of their own
    roles: frozenset[str] = frozenset()  # organisation roles (admin, privacy officer)
    shows_practice: bool = False  # a practitioner now, or has logged (the home page's practice block)


NOBODY = MenuFacts()


def menu_facts() -> MenuFacts:
    """The signed-in user's menu facts, read once per request (a visitor's are all empty). On a
    GET they came with the user already (PAGE_FACTS, app.security.load_user)."""
    if not (current_user and current_user.is_authenticated):
        return NOBODY
    if "menu_facts" not in g:
        row = db.session.execute(_statement(), {"user_id": int(current_user.id), "now": utcnow()}).one()
        _keep(current_user._get_current_object(), row)
    facts: MenuFacts = g.menu_facts
    return facts


def coaching_queue(now: datetime) -> list[QueueItem]:
    """The signed-in coach's queue, read once per request: the menu's badge counts it, and the
    coach's home and overview show it."""
    if "coaching_queue" not in g:
        g.coaching_queue = queue_for(int(current_user.id), now)
    queue: list[QueueItem] = g.coaching_queue
    return queue


def _columns() -> tuple[ColumnElement[Any], ...]:
    """The menu's columns: the user and the time are bound parameters.

    Building them costs more than running them, so they are built once per process.
    """
    # The query functions take the user's id and a time; a bound parameter stands in for either.
    user_id = cast(int, bindparam("user_id", type_=Integer()))
    now = cast(datetime, bindparam("now", type_=UTCDateTime()))
    roles = [exists().where(OrganisationRole.user_id == user_id, OrganisationRole.role == role)
             for role in ORG_ROLES]
    return (
        inbox_count_query(user_id, now).scalar_subquery(),
        unread_count_query(user_id, now).scalar_subquery(),
        coaches_clause(user_id, now),
        own_coaching_clause(user_id, now),
        shows_practice_clause(user_id),
        *roles,
    )


def _keep(user: User, row: Sequence[Any]) -> None:
    prompts, notifications, coaches, coached, shows_practice, *has_role = row
    g.menu_facts = MenuFacts(
        int(prompts or 0), int(notifications or 0), bool(coaches), bool(coached),
        frozenset(role for role, has in zip(ORG_ROLES, has_role, strict=True) if has), bool(shows_practice))
    remember_org_roles(user, g.menu_facts.roles)


PAGE_FACTS = PageFacts(_columns(), _keep)  # read along with the user on a GET (app.security)


@cache
def _statement() -> Select[Any]:
    """The menu's SELECT for a request that did not read it with the user (a form posted back)."""
    return select(*PAGE_FACTS.columns)


def main_menu(waiting_prompts: int, coach: bool, waiting_items: int, unread: int, coached: bool,
              admin: bool, access_log: bool) -> Markup:
    """base.html's menu for a signed-in user, from these plain values (the badges and what the
    user may open). Its HTML is rendered once per language and combination of values, then only
    the page's own CSRF token is put in (none of the menu's links depends on anything else).
    """
    values = {"waiting_prompts": waiting_prompts, "coach": coach, "waiting_items": waiting_items,
              "unread": unread, "coached": coached, "admin": admin, "access_log": access_log}

    def render() -> str:
        return render_template("_partials/main_menu.html", **values)

    return remembered_form("menus", tuple(values.values()), render, 512)
