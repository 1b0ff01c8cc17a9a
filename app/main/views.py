"""The home page, the language switch for visitors, and a health check."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import plotly
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from app.clock import local_today
from app.coaching import queries as coaching_queries
from app.coaching import services as coaching_services
from app.db import db, utcnow
from app.goals.queries import open_goals_of
from app.practice.queries import home_summary
from app.views import commit_access_record, safe_next

bp = Blueprint("main", __name__)

PLOTLY_VERSION = package_version("plotly")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=1)
def plotly_style_guards() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds only when no element with that id exists yet
    (the CSS of bundled libraries); the CSP refuses inline styles, so the page holds them empty."""
    source = PLOTLY_JS.read_text(encoding="utf-8")
    guarded = r'getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)'
    return tuple(re.findall(guarded, source))


@bp.app_context_processor
def _chart_helpers() -> dict[str, object]:
    return {"plotly_version": PLOTLY_VERSION, "plotly_style_guards": plotly_style_guards}


@bp.get("/")
def index() -> ResponseReturnValue:
    """Home: a coach's queue first (the longest waiting on top), then one's own practice."""
    now = utcnow()
    practice = home_summary(current_user.id, local_today())
    coachees = coaching_queries.coachees_of(current_user.id, now)
    queue = coaching_queries.queue_for(current_user.id, now) if coachees else []
    waiting = {item.coachee_id: item for item in queue}
    shown = [c for c in coachees if c.id in waiting]
    if shown:
        commit_access_record(lambda: coaching_services.record_coachee_reads(
            current_user, shown, "list", "feedback_queue", request.remote_addr))
    return render_template("main/index.html", practice=practice, coachees=coachees, queue=queue, now=now,
                           goals=open_goals_of([current_user.id]).get(current_user.id, []))


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    """Choose the language for this browser (a signed-in user's choice is kept on the account)."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.get("/health")
def health() -> ResponseReturnValue:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/assets/plotly-<version>.min.js")
def plotly_js(version: str) -> ResponseReturnValue:
    """plotly.js from the installed plotly wheel (no CDN); the version in the address lets it be
    cached for a year, and a new plotly gets a new address."""
    if version != PLOTLY_VERSION:
        abort(404)
    response = send_file(PLOTLY_JS, mimetype="text/javascript", max_age=YEAR, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
