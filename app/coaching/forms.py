"""Forms of the coaching pages: asking a coach, structured feedback, a reply."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.coaching.models import TEXT_MAX
from app.goals.models import TEXT_MAX as GOAL_TEXT_MAX
from app.privacy.guard import no_identifiers
from app.reflection.forms import NO_CLIENT_DATA


def _text(label: Any, description: Any = None, limit: int = TEXT_MAX, rows: int = 3) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=limit), no_identifiers()],
                         description=description, render_kw={"rows": rows, "maxlength": limit})


class AskForm(FlaskForm):
    coach_id = SelectField(_l("Ask"), coerce=int)


class FeedbackForm(FlaskForm):
    """Structured feedback: what to keep doing, what to work on, a next step, and free text."""

    keep_doing = _text(_l("Keep doing"), _l("What went well and is worth repeating?"))
    work_on = _text(_l("Work on"), _l("What could go better?"))
    next_step = _text(
        _l("Next step"), _l("One concrete thing to try next time. It can become a learning goal."),
        limit=GOAL_TEXT_MAX)
    element_id = SelectField(_l("Core element of the next step"), coerce=int, default=0)
    free_text = _text(_l("Anything else (optional)"), NO_CLIENT_DATA, rows=4)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"),
        validators=[InputRequired(message=_l("Write a comment.")), Length(max=TEXT_MAX), no_identifiers()],
        description=NO_CLIENT_DATA, render_kw={"rows": 3, "maxlength": TEXT_MAX},
    )
