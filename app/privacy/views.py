"""Privacy pages: the public privacy statement, and for every user who can see their data."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.db import utcnow
from app.privacy import queries
from app.views import page_number

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

# How the access log's codes read on the page; a code without a label shows as it is.
ACTIONS = {"read": _l("Read"), "list": _l("Viewed the list"), "export": _l("Downloaded")}
OBJECT_TYPES = {
    "practice_log": _l("A practice log"),
    "practice_logs": _l("Your list of practice logs"),
    "practice_logs_csv": _l("Practice logs (CSV file)"),
    "practice_logs_json": _l("Practice logs (JSON file)"),
    "reflection": _l("A shared reflection"),
    "skj_hours_csv": _l("SKJ hours (CSV file)"),
}
ROLES = {
    "coach": _l("coach"), "lead": _l("team lead"), "admin": _l("administrator"),
    "privacy_officer": _l("privacy officer"),
}


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
