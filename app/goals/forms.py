"""Forms of the learning-goal pages: a goal, a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.goals.models import COMMENT_MAX, TEXT_MAX
from app.privacy.guard import no_identifiers
from app.reflection.forms import NO_CLIENT_DATA


class GoalForm(FlaskForm):
    """The element and technique choices are filled in per organisation by the view."""

    text = TextAreaField(
        _l("What do you want to work on?"),
        validators=[InputRequired(message=_l("Describe what you want to work on.")),
                    Length(max=TEXT_MAX), no_identifiers()],
        description=NO_CLIENT_DATA, render_kw={"rows": 3, "maxlength": TEXT_MAX},
    )
    element_id = SelectField(_l("Core element"), coerce=int,
                             validators=[InputRequired(message=_l("Choose an element from the list."))])
    technique_id = SelectField(_l("Technique (optional)"), coerce=int, default=0)
    target_date = DateField(_l("Target date"), validators=[InputRequired(message=_l("Fill in the date."))])


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(message=_l("Write a comment.")), Length(max=COMMENT_MAX), no_identifiers()],
        description=NO_CLIENT_DATA, render_kw={"rows": 3, "maxlength": COMMENT_MAX},
    )
