"""My data: download everything that is mine (one ZIP) or my logs alone, or delete my account."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.clock import local_today
from app.db import db, utcnow
from app.elements import queries as catalogue
from app.forms import required
from app.practice.queries import logs_for_export
from app.rights import export, log_files, services
from app.rights.forms import DeleteAccountForm
from app.services import ServiceError
from app.views import form_error

bp = Blueprint("rights", __name__, url_prefix="/account/my-data")


@bp.get("")
def my_data() -> ResponseReturnValue:
    return render_template("rights/my_data.html", form=DeleteAccountForm(), kinds=list(export.KINDS))


@bp.get("/export.zip")
def download() -> ResponseReturnValue:
    body = export.personal_data_zip(current_user, utcnow())
    services.record_download(current_user)
    filename = f"werkzaam-mijn-gegevens-{local_today().isoformat()}.zip"
    return Response(body, content_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/logs.<any(csv, json):fmt>")
def export_logs(fmt: str) -> ResponseReturnValue:
    """One's logs alone, as a spreadsheet or as data for another program (the logs page links here)."""
    logs = logs_for_export(current_user.id)
    services.record_download(current_user, f"practice_logs_{fmt}")
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text/* mimetype itself.
    if fmt == "json":
        body, content_type = log_files.to_json(logs), "application/json"
    else:
        body = log_files.to_csv(logs, catalogue.elements(), str(get_locale()))
        content_type = "text/csv; charset=utf-8"
    filename = f"werkzaam-logs-{local_today().isoformat()}.{fmt}"
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/delete")
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, required(form.password.data), utcnow())
        except ServiceError as exc:
            db.session.rollback()
            form_error(form, exc)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted."), "success")
            return redirect(url_for("auth.login"))
    return render_template("rights/my_data.html", form=form, kinds=list(export.KINDS)), 400
