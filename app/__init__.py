"""Werkzaam: learning on the work floor around the three core elements of effective youth care."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session
from flask_login import current_user

from app.db import db as database
from app.extensions import babel, csrf, login_manager


def create_app(config: Any = None) -> Flask:
    """Build the app; `config` is a settings object, by default the one for WERKZAAM_ENV."""
    from config import config_for

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config if config is not None else config_for())
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_errors(app)
    register_cli(app)
    register_template_helpers(app)
    return app


def register_database(app: Flask) -> None:
    from app import models  # noqa: F401 - every table known before anything queries

    database.init_app(app)


def select_locale() -> str:
    languages = ("nl", "en")
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    if session.get("language") in languages:
        return str(session["language"])
    return request.accept_languages.best_match(languages) or "nl"


def register_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Amsterdam")


def register_blueprints(app: Flask) -> None:
    from app.auth.views import bp as auth_bp
    from app.main.views import bp as main_bp
    from app.teams.views import bp as teams_bp

    for bp in (main_bp, auth_bp, teams_bp):
        app.register_blueprint(bp)


def register_security(app: Flask) -> None:
    from app.security import register_security as register

    register(app)


def register_errors(app: Flask) -> None:
    from app.errors import register_errors as register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_cli as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from app.security import is_admin

    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {"current_locale": str(get_locale()), "is_admin": is_admin}
