"""The e-mail preference and SKJ date of a person, the reflection settings of the organisation."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.db import db
from app.forms import required
from app.reflection import queries, services
from app.reflection.forms import PreferencesForm, SettingsForm
from app.reflection.views import bp
from app.security import admin_required
from app.views import commit_or_refuse


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    pref = queries.preference_for(current_user.id)
    form = PreferencesForm(obj=pref)
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.set_preferences(current_user, form.email_mode.data, form.skj_cycle_start.data),
        _("Your settings are saved."), url_for("reflection.preferences"),
    )):
        return done
    return render_template("reflection/preferences.html", form=form), 400 if form.errors else 200


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings() -> ResponseReturnValue:
    """The organisation's SKJ rules and prompt expiry (admins)."""
    org = int(current_user.organisation_id)
    form = SettingsForm(obj=queries.settings_for(org))
    if form.validate_on_submit():
        services.update_settings(
            current_user, org, skj_target_hours=required(form.skj_target_hours.data),
            skj_cycle_years=required(form.skj_cycle_years.data),
            skj_min_session_minutes=required(form.skj_min_session_minutes.data),
            prompt_expiry_days=required(form.prompt_expiry_days.data),
        )
        db.session.commit()
        flash(_("The settings are saved."), "success")
        return redirect(url_for("reflection.settings"))
    return render_template("reflection/settings.html", form=form), 400 if form.errors else 200
