"""Privacy pages: the public statement, who can see my data, and the privacy officer's access log."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.clock import local_today
from app.db import utcnow
from app.privacy import queries
from app.privacy.forms import AccessLogSearchForm
from app.privacy.labels import ACTIONS, OBJECT_TYPES, ROLES
from app.privacy.services import record_access
from app.security import can_read_access_log, require, signed_in_with_second_factor
from app.views import page_number

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.get("")
def statement() -> ResponseReturnValue:
    """What is stored, why, who sees what, how long, whom to ask: readable without signing in."""
    signed_in = current_user.is_authenticated
    officers = queries.privacy_officers_of(current_user.organisation_id) if signed_in else []
    return render_template("privacy/statement.html", officers=officers)


@bp.get("/my-data")
def who_can_see() -> ResponseReturnValue:
    """Who can see my data: the user's running coaches, and the access-log rows about them."""
    return render_template(
        "privacy/who_can_see.html",
        coaches=queries.current_coaches_of(current_user, utcnow()),
        page=queries.access_about(current_user, page_number()),
        actions=ACTIONS, object_types=OBJECT_TYPES, roles=ROLES,
    )


def _search() -> tuple[AccessLogSearchForm, queries.LogSearch | None]:
    """The officer's search from the query string (None when it does not validate)."""
    require(can_read_access_log(current_user, signed_in_with_second_factor()), hide=False)
    form = AccessLogSearchForm(request.args)
    if not form.validate():
        return form, None
    return form, queries.LogSearch(
        person=form.person.data or "", object_type=form.object_type.data or "", object_id=form.object_id.data,
        action=form.action.data or "", start=form.start.data, end=form.end.data)


@bp.get("/access-log")
def access_log() -> ResponseReturnValue:
    """The privacy officer searches the access log by person, object, action and period; logged."""
    form, search = _search()
    page = None
    if search is not None:
        page = queries.access_log_page(current_user.organisation_id, search, page_number())
        record_access(current_user, "privacy_officer", "search", "access_log", None,
                      detail=search.describe() or None)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("privacy/access_log.html", form=form, page=page, filters=filters,
                           actions=ACTIONS, object_types=OBJECT_TYPES, roles=ROLES), 200 if search else 400


@bp.get("/access-log.csv")
def access_log_csv() -> ResponseReturnValue:
    """The same search as a CSV file (every matching row); logged as an export."""
    form, search = _search()
    if search is None:
        return render_template("privacy/access_log.html", form=form, page=None, filters={},
                               actions=ACTIONS, object_types=OBJECT_TYPES, roles=ROLES), 400
    body = queries.access_log_csv(queries.access_log_rows(current_user.organisation_id, search))
    record_access(current_user, "privacy_officer", "export", "access_log_csv", None,
                  detail=search.describe() or None)
    filename = f"werkzaam-toegangslog-{local_today().isoformat()}.csv"
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
