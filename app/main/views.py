"""The home page, the language switch for visitors, and a health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from app.clock import local_today
from app.db import db
from app.practice.queries import home_summary
from app.views import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    practice = home_summary(current_user.id, local_today())
    return render_template("main/index.html", practice=practice)


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
