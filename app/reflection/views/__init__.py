"""The reflection blueprint `bp`: reflections, prompts, schedules, group sessions and SKJ hours.

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
    """App-wide helpers (menu badge, home block), each one small query, run only when called."""
    from app.reflection import queries

    def signed_in() -> bool:
        return bool(current_user and current_user.is_authenticated)

    def reflection_inbox_count() -> int:
        if not signed_in():
            return 0
        if "reflection_inbox_count" not in g:
            g.reflection_inbox_count = queries.inbox_count(current_user.id)
        return int(g.reflection_inbox_count)

    def reflection_home() -> list[queries.PromptItem]:
        return queries.waiting_prompts(current_user.id, utcnow()) if signed_in() else []

    def reflection_is_coach() -> bool:
        return signed_in() and queries.is_coach(current_user.id)

    def reflection_trial_reminder(element_id: int) -> queries.TrialReminder | None:
        """For the practice-log form: one query per page for all elements, then from `g`."""
        if not signed_in():
            return None
        if "reflection_trial_reminders" not in g:
            g.reflection_trial_reminders = queries.trial_reminders_for(current_user.id)
        return g.reflection_trial_reminders.get(element_id)

    return {
        "reflection_inbox_count": reflection_inbox_count,
        "reflection_home": reflection_home,
        "reflection_is_coach": reflection_is_coach,
        "reflection_trial_reminder": reflection_trial_reminder,
    }


def locale() -> str:
    return str(get_locale())


from app.reflection.views import groups, prompts, reflections, schedules, skj  # noqa: E402, F401
