"""The home page, the language switch for visitors, and a health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from app.clock import local_today
from app.coaching import queries as coaching_queries
from app.coaching import services as coaching_services
from app.db import db, utcnow
from app.goals.queries import first_open_goals
from app.main.queries import HomeSummary, home_summary
from app.menu import coaching_queue, menu_facts
from app.remembered import remembered_html
from app.views import commit_access_record, safe_next

bp = Blueprint("main", __name__)

HOME_GOALS = 3  # the open learning goals the home page links to


@bp.get("/")
def index() -> ResponseReturnValue:
    """Home: a coach's queue first (the longest waiting on top), then one's own practice."""
    now = utcnow()
    facts = menu_facts()  # read once per page anyway: it says whether there is coaching to show
    practice = home_summary(current_user.id, current_user.organisation_id, local_today(),
                            facts.shows_practice)
    coachees = coaching_queries.coachees_of(current_user, now) if facts.coaches else []
    queue = coaching_queue(now) if coachees else []
    waiting = {item.coachee_id: item for item in queue}
    shown = [c for c in coachees if c.id in waiting]
    if shown:
        commit_access_record(lambda: coaching_services.record_coachee_reads(
            current_user, shown, "list", "feedback_queue", request.remote_addr))
    goals = first_open_goals(current_user.id, HOME_GOALS) if facts.coached else []
    return render_template("main/index.html", practice_block=_practice_block(practice), coachees=coachees,
                           queue=queue, now=now, goals=goals)


def _practice_block(practice: HomeSummary) -> Markup:
    """One's own practice on the home page (main/_practice.html). It follows from the summary's key,
    the language and the catalogue's wording, so it is rendered once per process for each, as the
    log lists are: the home page is the page opened most."""
    if not practice.shows_practice:
        return Markup("")
    revision = current_user.organisation.catalogue_revision
    return remembered_html("home_practice", (practice.key, revision),
                           lambda: render_template("main/_practice.html", practice=practice), limit=512)


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
