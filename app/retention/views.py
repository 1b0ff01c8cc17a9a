"""The admins' privacy settings page: retention periods, the second factor for all, the job's last run."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.remembered import remembered_form
from app.retention import queries, services
from app.retention.forms import settings_form
from app.retention.kinds import KINDS
from app.security import admin_required
from app.views import commit_or_refuse

bp = Blueprint("retention", __name__, url_prefix="/admin/privacy")


@bp.route("", methods=["GET", "POST"])
@admin_required
def settings() -> ResponseReturnValue:
    org_id = current_user.organisation_id
    form = settings_form(**queries.periods_of(org_id),
                         second_factor_for_all=current_user.organisation.second_factor_for_all)
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.save_settings(current_user, {k: form[k].data for k in KINDS},
                                             bool(form.second_factor_for_all.data)),
        _("The privacy settings are saved."), url_for("retention.settings"),
    )):
        return done
    last_run = queries.last_run(org_id)

    def render() -> str:
        return render_template("retention/_settings_form.html", form=form, kinds=KINDS, last_run=last_run)

    values = tuple(form[name].data for name in (*KINDS, "second_factor_for_all"))
    ran = (last_run.ran_at, last_run.deleted) if last_run else None
    key = (values, ran)
    remembered = remembered_form("retention_forms", key, render, afresh=bool(form.errors))
    return render_template("retention/settings.html", settings_form=remembered), 400 if form.errors else 200
