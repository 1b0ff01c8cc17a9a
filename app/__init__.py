"""Werkzaam: learning on the work floor around the three core elements of effective youth care."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, has_request_context, request, session
from flask_login import current_user

from app.db import db as database
from app.extensions import babel, csrf, login_manager
from app.i18n import register_template_gettext


def create_app(config: Any = None) -> Flask:
    """Build the app; `config` is a settings object, by default the one for WERKZAAM_ENV."""
    from config import config_for

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config if config is not None else config_for())
    register_database(app)
    register_extensions(app)
    register_routing(app)
    register_blueprints(app)
    register_security(app)
    register_errors(app)
    register_cli(app)
    register_template_helpers(app)
    register_assets(app)
    return app


def register_database(app: Flask) -> None:
    from app import models  # noqa: F401 - every table known before anything queries

    database.init_app(app)


def select_locale() -> str:
    """The signed-in user's language, else this browser's choice, else Accept-Language; Dutch."""
    languages = ("nl", "en")
    if not has_request_context():
        return "nl"  # jobs and commands choose a language explicitly (force_locale)
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    if session.get("language") in languages:
        return str(session["language"])
    return request.accept_languages.best_match(languages) or "nl"


@lru_cache(maxsize=8)
def _parsed_locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


def _request_locale() -> Locale:
    # Flask-Babel parses what the selector returns on every request; a parsed locale it keeps as is.
    return _parsed_locale(select_locale())


def register_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_request_locale, default_timezone="Europe/Amsterdam")
    register_template_gettext(app)
    app.before_request(_wtforms_translations)


@lru_cache(maxsize=4)
def _wtforms_catalogue(locale: str) -> Any:
    from babel.support import Translations
    from wtforms.i18n import messages_path

    return Translations.load(messages_path(), [locale], domain="wtforms")


def _wtforms_translations() -> None:
    # Flask-WTF would read WTForms' own message file again on every request; read it once.
    if request.endpoint != "static":
        from flask_babel import get_locale

        request.wtforms_translations = _wtforms_catalogue(str(get_locale()))  # type: ignore[attr-defined]


def register_routing(app: Flask) -> None:
    from app.routing import register_routing as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from app.auth.views import bp as auth_bp
    from app.charts.views import bp as charts_bp
    from app.clientvoice.views import bp as clientvoice_bp
    from app.coaching.views import bp as coaching_bp
    from app.dashboard_pages.views import bp as dashboards_bp
    from app.elements.views import bp as elements_bp
    from app.goals.views import bp as goals_bp
    from app.groups.views import bp as groups_bp
    from app.main.views import bp as main_bp
    from app.notifications.views import bp as notifications_bp
    from app.observations.views import bp as observations_bp
    from app.practice.views import bp as practice_bp
    from app.privacy.views import bp as privacy_bp
    from app.prompts.views import bp as prompts_bp
    from app.reflection.views import bp as reflection_bp
    from app.retention.views import bp as retention_bp
    from app.rights.views import bp as rights_bp
    from app.teams.views import bp as teams_bp

    for bp in (main_bp, auth_bp, teams_bp, elements_bp, practice_bp, reflection_bp, prompts_bp, groups_bp,
               privacy_bp, coaching_bp, observations_bp, goals_bp, notifications_bp, dashboards_bp,
               rights_bp, retention_bp, charts_bp):
        app.register_blueprint(bp)
    app.register_blueprint(clientvoice_bp)


def register_security(app: Flask) -> None:
    from app.privacy.services import register_access_log
    from app.security import register_security as register

    register(app)
    register_access_log(app)


def register_errors(app: Flask) -> None:
    from app.errors import register_errors as register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_cli as register

    register(app)


def register_assets(app: Flask) -> None:
    from app.assets import register_assets as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from app.clientvoice.queries import SHARED_ON_PAGE
    from app.coaching.queries import FEEDBACK_ON_PAGE
    from app.links import row_link
    from app.menu import PAGE_FACTS, main_menu
    from app.practice.models import PracticeLog
    from app.reflection import subnav
    from app.reflection.models import Reflection
    from app.security import (
        PAGE_TEAM,
        can_read_access_log,
        is_admin,
        page_row,
        read_page_facts_with_user,
        signed_in_with_second_factor,
    )

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["main_menu"] = main_menu
    read_page_facts_with_user(app, PAGE_FACTS)
    read_page_facts_with_user(app, subnav.PAGE_FACTS, subnav.BLUEPRINTS)
    read_page_facts_with_user(app, PAGE_TEAM, ("dashboards",))  # a team dashboard's team and ties
    read_page_facts_with_user(app, page_row(PracticeLog, "log_id"), ("practice.view_log",))
    read_page_facts_with_user(app, page_row(Reflection, "reflection_id"), ("reflection.detail",))
    # Whether there is feedback or a client's answer to read on those pages at all.
    read_page_facts_with_user(app, FEEDBACK_ON_PAGE["log"].facts, ("practice.view_log",))
    read_page_facts_with_user(app, SHARED_ON_PAGE.facts, ("practice.view_log",))
    read_page_facts_with_user(app, FEEDBACK_ON_PAGE["reflection"].facts, ("reflection.detail",))
    app.jinja_env.globals["row_link"] = row_link

    def reads_access_log() -> bool:
        return can_read_access_log(current_user, signed_in_with_second_factor())

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {"current_locale": str(get_locale()), "is_admin": is_admin,
                "reads_access_log": reads_access_log}
