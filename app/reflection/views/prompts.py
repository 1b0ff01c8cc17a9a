"""The prompt inbox (answer, snooze, dismiss), the e-mail preference, the organisation settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db, utcnow
from app.reflection import queries, services
from app.reflection.forms import PreferencesForm, SettingsForm, SnoozeForm
from app.reflection.models import Prompt
from app.reflection.views import bp, locale
from app.security import admin_required, can_answer_prompt, require
from app.services import ServiceError
from app.views import form_error


def _prompt(prompt_id: int) -> Prompt:
    prompt = queries.prompt_by_id(prompt_id) or abort(404)
    require(can_answer_prompt(current_user, prompt))
    return prompt


@bp.get("/inbox")
def inbox() -> ResponseReturnValue:
    waiting, snoozed = queries.inbox_for(current_user.id, utcnow())
    return render_template("reflection/inbox.html", waiting=waiting, snoozed=snoozed,
                           locale=locale())


@bp.get("/prompts/<int:prompt_id>")
def prompt(prompt_id: int) -> ResponseReturnValue:
    """The link in a prompt e-mail: straight to writing the reflection it asks for."""
    return redirect(url_for("reflection.new", prompt=_prompt(prompt_id).id))


@bp.post("/prompts/<int:prompt_id>/snooze")
def snooze(prompt_id: int) -> ResponseReturnValue:
    item = _prompt(prompt_id)
    form = SnoozeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        until = services.snooze_prompt(current_user, item, form.until.data, utcnow())
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The prompt comes back on %(when)s.", when=format_datetime(until, "EEEE d MMMM HH:mm")),
              "success")
    return redirect(url_for("reflection.inbox"))


@bp.post("/prompts/<int:prompt_id>/dismiss")
def dismiss(prompt_id: int) -> ResponseReturnValue:
    item = _prompt(prompt_id)
    services.dismiss_prompt(current_user, item, utcnow())
    db.session.commit()
    flash(_("The prompt is put aside."), "success")
    return redirect(url_for("reflection.inbox"))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    pref = queries.preference_for(current_user.id)
    form = PreferencesForm(obj=pref)
    if form.validate_on_submit():
        try:
            services.set_preferences(current_user, form.email_mode.data, form.skj_cycle_start.data)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("reflection.preferences"))
    return render_template("reflection/preferences.html", form=form), 400 if form.errors else 200


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings() -> ResponseReturnValue:
    """The organisation's SKJ rules and prompt expiry (admins)."""
    org = int(current_user.organisation_id)
    form = SettingsForm(obj=queries.settings_for(org))
    if form.validate_on_submit():
        services.update_settings(
            current_user, org, skj_target_hours=form.skj_target_hours.data,
            skj_cycle_years=form.skj_cycle_years.data,
            skj_min_session_minutes=form.skj_min_session_minutes.data,
            prompt_expiry_days=form.prompt_expiry_days.data,
        )
        db.session.commit()
        flash(_("The settings are saved."), "success")
        return redirect(url_for("reflection.settings"))
    return render_template("reflection/settings.html", form=form), 400 if form.errors else 200
