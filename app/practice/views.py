"""Practice logs: log a session, list/view/edit/delete one's own; a coach reads one log."""

from __future__ import annotations

import re
from collections.abc import Sequence
from uuid import uuid4

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.db import db, reads_first, utcnow
from app.elements import queries as catalogue
from app.forms import ConfirmForm, SelectChoice
from app.practice import queries, services
from app.practice.choices import LABELS
from app.practice.forms import LogFilterForm, LogForm, form_data_for, log_form
from app.practice.models import PracticeLog
from app.practice.new_form import new_log_form
from app.remembered import remembered, remembered_html
from app.security import can_change_log, can_read_log, require
from app.views import commit_or_refuse, page_number

bp = Blueprint("practice", __name__)


@bp.app_context_processor
def _practice_helpers() -> dict[str, object]:
    # App-wide: the home page (main blueprint) shows log items too.
    return {"practice_labels": _labels(), "log_elements": queries.applied_elements, "log_items": log_items,
            "log_details": log_details}


def log_items(logs: Sequence[queries.LogRow | PracticeLog]) -> Markup:
    """The <li> of each log in a list (practice/_log_items.html). List rows (queries.LogRow) hold
    all that their items show, so with the language and the root URL they are the key: a list is
    rendered once per process until one of its logs changes (the home page and /logs show the same
    rows again and again). Log rows (ORM objects) are rendered every time."""

    def render() -> str:
        return render_template("practice/_log_items.html", logs=logs)

    if not all(isinstance(log, queries.LogRow) for log in logs):
        return Markup(render())  # noqa: S704 - rendered, so escaped
    return remembered_html("log_items", tuple(logs), render, limit=512)


def log_details(log: PracticeLog) -> Markup:
    """A log's own content (practice/_log_details.html). It changes only with the log, whose every
    change (also keeping it to oneself) sets its `updated_at`, and with the catalogue's wording (its
    revision): rendered once per process for each, and its child rows are read only then (the log
    page reads the log alone)."""
    revision = current_user.organisation.catalogue_revision
    return remembered_html("log_details", (log.id, log.updated_at, revision),
                           lambda: render_template("practice/_log_details.html", log=log))


def _labels() -> dict[str, dict[object, str]]:
    """The labels of a log's choices in the current language, translated once per language (a
    list shows them on every row)."""
    return remembered("practice_labels", str(get_locale()), lambda: {
        kind: {value: str(label) for value, label in labels.items()} for kind, labels in LABELS.items()})


def _log_or_404(log_id: int, *, alone: bool = False) -> PracticeLog:
    """The log the user may read (`alone`: without its child rows, read when touched)."""
    read = queries.log_alone_in_org if alone else queries.log_in_org
    log = read(current_user.organisation_id, log_id) or abort(404)
    require(can_read_log(current_user, log))
    return log


def _own_log_or_404(log_id: int) -> PracticeLog:
    log = _log_or_404(log_id)
    require(can_change_log(current_user, log))
    return log


def _render_form(form: LogForm, log: PracticeLog | None = None) -> ResponseReturnValue:
    status = 400 if form.errors else 200
    return render_template("practice/log_form.html", form=form, log=log), status


@bp.route("/logs/new", methods=["GET", "POST"])
@reads_first
def new_log() -> ResponseReturnValue:
    offered = catalogue.catalogue_for(current_user.organisation_id)
    if request.method != "POST":
        form_html = new_log_form(current_user, offered, queries.last_context(current_user.id))
        return render_template("practice/log_form.html", form_html=form_html, log=None)
    form = log_form(offered)
    if form.validate_on_submit():
        key = form.submission_key.data or ""
        key = key if re.fullmatch(r"[0-9a-f]{32}", key) else uuid4().hex
        db.begin_write()  # the checks above were reads; hold the write lock only for the write
        if done := commit_or_refuse(
            form, lambda: services.create_log(current_user, form.to_input(), key, utcnow()),
            lambda saved: _("Your log is saved.") if saved[1] else _("This log was already saved."),
            lambda saved: url_for("practice.view_log", log_id=saved[0]),  # saved: (log id, created)
        ):
            return done
    return _render_form(form)


@bp.get("/logs")
def logs() -> ResponseReturnValue:
    form = LogFilterForm(formdata=request.args)
    locale = str(get_locale())
    offered = catalogue.element_entries(current_user.organisation_id)
    form.element.choices = [SelectChoice("", _("All elements"))] + [
        SelectChoice(e.key, e.label(locale)) for e in offered
    ]
    valid = form.validate()
    element = next((e for e in offered if e.key == form.element.data), None) if valid else None
    page = queries.logs_page(
        current_user.id, current_user.organisation_id, page_number(),
        start=form.start.data if valid else None, end=form.end.data if valid else None,
        element_id=element.id if element else None,
    )
    filters = {k: v for k, v in request.args.items() if k in ("start", "end", "element") and v}
    return render_template("practice/logs.html", page=page, form=form, filters=filters,
                           filter_box=_log_filters(form, filters, valid)), 200 if valid else 400


def _log_filters(form: LogFilterForm, filters: dict[str, str], valid: bool) -> Markup:
    """The list's filter as HTML. A valid one follows from the language, the catalogue and the
    values asked for, so it is made once per process for each; one with errors (the messages
    beside the fields, what was typed) every time, as where templates reload."""

    def make() -> Markup:
        return Markup(render_template("practice/_log_filters.html", form=form, filters=filters))  # noqa: S704

    if not valid or current_app.jinja_env.auto_reload:
        return make()
    organisation = current_user.organisation
    key = (str(get_locale()), request.script_root, organisation.id, organisation.catalogue_revision,
           tuple(sorted(filters.items())))
    return remembered("log_filters", key, make, 256)


@bp.get("/logs/<int:log_id>")
def view_log(log_id: int) -> ResponseReturnValue:
    log = _log_or_404(log_id, alone=True)
    own = can_change_log(current_user, log)
    services.record_log_read(current_user, log)
    return render_template("practice/log.html", log=log, own=own)


@bp.route("/logs/<int:log_id>/edit", methods=["GET", "POST"])
def edit_log(log_id: int) -> ResponseReturnValue:
    log = _own_log_or_404(log_id)
    offered = catalogue.catalogue_for(
        current_user.organisation_id, keep_ids=[pt.technique_id for pt in log.techniques]
    )
    if request.method != "POST":
        return _render_form(log_form(offered, data=form_data_for(log)), log)
    form = log_form(offered)
    if form.validate_on_submit() and (done := commit_or_refuse(
        form, lambda: services.update_log(current_user, log, form.to_input(), utcnow()),
        _("Your changes are saved."), url_for("practice.view_log", log_id=log.id),
    )):
        return done
    return _render_form(form, log)


@bp.route("/logs/<int:log_id>/delete", methods=["GET", "POST"])
def delete_log(log_id: int) -> ResponseReturnValue:
    log = _own_log_or_404(log_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_log(current_user, log)
        db.session.commit()
        flash(_("The log is deleted."), "success")
        return redirect(url_for("practice.logs"))
    return render_template("practice/delete.html", log=log, form=form)


@bp.post("/logs/<int:log_id>/private")
def set_private(log_id: int) -> ResponseReturnValue:
    log = _own_log_or_404(log_id)
    private = request.form.get("private") == "1"
    services.set_private(current_user, log, private, utcnow())
    db.session.commit()
    flash(_("Only you can read this log now.") if private else _("Your coach can read this log again."),
          "success")
    return redirect(url_for("practice.view_log", log_id=log.id))
