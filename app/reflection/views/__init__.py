"""The reflection blueprint `bp`: reflections and sharing them, preferences, organisation settings.

The routes live in one module per subject; importing them here registers them on `bp`.
"""

from __future__ import annotations

from flask import Blueprint, g
from flask_babel import get_locale
from flask_login import current_user

from app.db import utcnow

bp = Blueprint("reflection", __name__, url_prefix="/reflection")


@bp.app_context_processor
def _reflection_helpers() -> dict[str, object]:
    """App-wide helpers (the coach's menu item, the log form's reminder), run only when called."""
    from app.menu import menu_facts
    from app.reflection import queries
    from app.reflection.subnav import SubnavFacts, subnav_facts

    def signed_in() -> bool:
        return bool(current_user and current_user.is_authenticated)

    def reflection_is_coach() -> bool:
        return menu_facts().coaches

    def reflection_subnav() -> SubnavFacts:
        """What the reflection sub-menu shows besides "Shared with me": one query per page."""
        return subnav_facts(current_user, utcnow()) if signed_in() else SubnavFacts(False, False)

    def reflection_trial_reminder(element_id: int) -> queries.TrialReminder | None:
        """For the practice-log form: one query per page for all elements, then from `g`."""
        if not signed_in():
            return None
        if "reflection_trial_reminders" not in g:
            g.reflection_trial_reminders = queries.trial_reminders_for(current_user.id)
        reminders: dict[int, queries.TrialReminder] = g.reflection_trial_reminders
        return reminders.get(element_id)

    return {
        "reflection_is_coach": reflection_is_coach,
        "reflection_subnav": reflection_subnav,
        "reflection_trial_reminder": reflection_trial_reminder,
    }


def locale() -> str:
    return str(get_locale())


from app.reflection.views import reflections, settings  # noqa: E402, F401
