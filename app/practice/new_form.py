"""The form for a new log, rendered once and reused: it is the page practitioners open most.

Without errors the form follows from the language, the organisation's catalogue (its revision), the
day (the date field's default and maximum), the defaults taken from the author's last log and their
trial reminders. Its HTML is made once per process for each such combination, then only the
request's CSRF token and a fresh submission key are put in (app/remembered.py).
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask import g, render_template
from markupsafe import Markup

from app.auth.models import User
from app.clock import local_today
from app.elements.queries import ElementCatalogue
from app.practice.forms import log_form
from app.practice.queries import LogContext
from app.reflection.queries import trial_reminders_for
from app.remembered import remembered_form

KEY_SLOT = "submission-key-slot-of-the-log-form"


def new_log_form(author: User, offered: list[ElementCatalogue], last: LogContext) -> Markup:
    """practice/_log_form.html for a new log by `author`, pre-filled from their `last` log."""
    today = local_today()
    defaults: dict[str, Any] = {
        "session_date": today, "setting": last.setting, "participants": list(last.participants),
        "age_band": last.age_band, "duration_minutes": last.duration_minutes or 60,
    }
    # The template asks for each element's reminder; read them here, once, for the key as well.
    reminders = g.reflection_trial_reminders = trial_reminders_for(author.id)

    def render() -> str:
        return render_template("practice/_log_form.html", log=None,
                               form=log_form(offered, data={**defaults, "submission_key": KEY_SLOT}))

    key = (author.organisation_id, author.organisation.catalogue_revision, today, last,
           tuple(sorted(reminders.items())))
    return remembered_form("log_forms", key, render, 64).replace(KEY_SLOT, uuid4().hex)
