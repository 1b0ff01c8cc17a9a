"""Reads for notifications: the badge count and the list, only what the reader may still see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from app.auth.models import User
from app.db import UTCDateTime, db, row_count, utcnow
from app.notifications.models import Notification
from app.security import coaching_runs

LIST_SIZE = 50


def visible_to(user_id: int | ColumnExpressionArgument[int], now: datetime) -> ColumnElement[bool]:
    """Notifications of `user_id` about their own coaching, or about a coachee they still coach.

    A coach whose coaching ended stops hearing about it (and the badge stops counting it).
    """
    coaching = coaching_runs(user_id, Notification.subject_id, now)
    return and_(Notification.user_id == user_id, or_(Notification.subject_id == user_id, coaching))


def unread_count(user_id: int, now: datetime | None = None) -> int:
    """How many unread notifications wait for the user (the badge): one indexed COUNT."""
    return int(db.session.scalar(unread_count_query(user_id, now or utcnow())) or 0)


def unread_count_query(user_id: int, now: datetime) -> Select[int]:
    """unread_count as a query, for the menu's one query per page (app/menu.py)."""
    return select(func.count(Notification.id)).where(visible_to(user_id, now), Notification.read_at.is_(None))


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    actor_name: str | None


def notifications_for(user_id: int, now: datetime, limit: int = LIST_SIZE) -> list[NotificationRow]:
    """The user's newest notifications (unread and read) with the name of who caused each."""
    rows = db.session.execute(_LIST.limit(row_count(value=limit)), {"user_id": user_id, "now": now}).all()
    return [NotificationRow(n, name) for n, name in rows]


# notifications_for's statement, built once per process (only its limit is added per call).
_LIST = (
    select(Notification, User.display_name)
    .outerjoin(User, User.id == Notification.actor_id)
    .where(visible_to(bindparam("user_id", type_=Integer),
                      cast(datetime, bindparam("now", type_=UTCDateTime))))
    .order_by(Notification.created_at.desc(), Notification.id.desc())
)


def unread_about(user_id: int, **target: int) -> bool:
    """Whether the user has unread notifications about this feedback_id, observation_id or goal_id."""
    return db.session.scalar(select(Notification.id).where(
        Notification.user_id == user_id, Notification.read_at.is_(None),
        *(getattr(Notification, k) == v for k, v in target.items())).limit(1)) is not None


def notification_by_id(notification_id: int) -> Notification | None:
    return db.session.get(Notification, notification_id)
