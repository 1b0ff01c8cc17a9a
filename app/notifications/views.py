"""Notification pages: the list, opening one (it leaves the badge), marking all as read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.forms import ConfirmForm
from app.menu import menu_facts
from app.notifications import queries, services
from app.notifications.models import Notification
from app.security import can_open_notification, require

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _notification_helpers() -> dict[str, object]:
    """The menu badge: one COUNT per page, run only when the menu asks."""

    def notification_count() -> int:
        return menu_facts().notifications

    return {"notification_count": notification_count}


def mark_seen(**target: int) -> None:
    """For a GET view: the signed-in user has seen what these notifications are about. Writes (in a
    write transaction of its own) only when something is unread."""
    if queries.unread_about(current_user.id, **target):
        db.begin_write()
        services.mark_read_about(current_user, utcnow(), **target)
        db.session.commit()


def target_url(note: Notification) -> str:
    """Where a notification leads; that page checks access again."""
    if note.feedback_id is not None:
        return url_for("coaching.feedback", feedback_id=note.feedback_id)
    if note.observation_id is not None:
        return url_for("observations.observation", observation_id=note.observation_id)
    if note.goal_id is not None:
        return url_for("goals.goal", goal_id=note.goal_id)
    return url_for("coaching.mine")


@bp.get("/")
def inbox() -> ResponseReturnValue:
    rows = queries.notifications_for(current_user.id, utcnow())
    return render_template("notifications/inbox.html", rows=rows, form=ConfirmForm())


@bp.get("/<int:notification_id>", endpoint="open")
def open_notification(notification_id: int) -> ResponseReturnValue:
    """The link of the list and of the e-mail: marks it read, then shows what it is about."""
    note = queries.notification_by_id(notification_id) or abort(404)
    require(can_open_notification(current_user, note))
    if note.read_at is None:
        db.begin_write()
        services.mark_read(current_user, note, utcnow())
        db.session.commit()
    return redirect(target_url(note))


@bp.post("/read")
def read_all() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user, utcnow())
    db.session.commit()
    flash(_("Everything is marked as read."), "success")
    return redirect(url_for("notifications.inbox"))
