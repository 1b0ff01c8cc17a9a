"""The form for a new log, rendered once and reused: it is the page practitioners open most.

Without errors the form follows from the language, the organisation's catalogue (its revision), the
day (the date field's default and maximum), the defaults taken from the author's last log and their
trial reminders. Its HTML is made once per process for each such combination, then only the
request's CSRF token and a fresh submission key are put in. Rendered every time where templates
reload, so an edited form shows at once.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.auth.models import User
from app.clock import local_today
from app.elements.queries import ElementCatalogue
from app.practice.forms import log_form
from app.practice.queries import LogContext
from app.reflection.queries import trial_reminders_for
from app.remembered import remembered

CSRF_SLOT = "csrf-slot-of-the-log-form"
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

    def render() -> Markup:
        form = log_form(offered, data={**defaults, "submission_key": KEY_SLOT})
        html = render_template("practice/_log_form.html", form=form, log=None)
        return Markup(html.replace(generate_csrf(), CSRF_SLOT))  # noqa: S704 - rendered, so escaped

    key = (str(get_locale()), request.script_root, author.organisation_id,
           author.organisation.catalogue_revision, today, last,
           tuple(sorted(reminders.items())))
    html = render() if current_app.jinja_env.auto_reload else remembered("log_forms", key, render, 64)
    return html.replace(CSRF_SLOT, generate_csrf()).replace(KEY_SLOT, uuid4().hex)
