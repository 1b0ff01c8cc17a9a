"""The practitioner's SKJ page: group reflection hours in the current cycle, CSV and print."""

from __future__ import annotations

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import local_today
from app.reflection import catalogue, services, skj
from app.reflection.views import bp, locale
from app.reflection.views.groups import form_labels
from app.views import commit_access_record


def _summary() -> skj.SkjSummary:
    return skj.skj_summary(current_user, local_today())


def _page(printable: bool) -> ResponseReturnValue:
    return render_template("reflection/skj.html", summary=_summary(), labels=form_labels(),
                           templates=catalogue.TEMPLATES, locale=locale(), printable=printable,
                           number=format_decimal)


@bp.get("/skj")
def skj_hours() -> ResponseReturnValue:
    return _page(printable=False)


@bp.get("/skj/print")
def skj_print() -> ResponseReturnValue:
    """The same page laid out for paper (or PDF) as evidence for re-registration."""
    return _page(printable=True)


@bp.get("/skj/export.csv")
def skj_export() -> ResponseReturnValue:
    """The evidence as CSV (one row per session, with the user's own notes); the export is logged."""
    summary = _summary()
    commit_access_record(lambda: services.record_skj_export(current_user, request.remote_addr))
    headers = [_("Date"), _("Form"), _("Minutes"), _("Hours"), _("Counts for SKJ"), _("Facilitator"),
               _("Learning question"), _("Technical"), _("Normative"), _("Personal")]
    body = "\ufeff" + skj.skj_csv(summary, form_labels(), headers)
    filename = f"werkzaam-skj-{summary.cycle_start.isoformat()}-{summary.cycle_end.isoformat()}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
