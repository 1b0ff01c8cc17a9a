"""Forms of the prompt pages: putting a prompt off, and a schedule of any kind."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import SelectChoice, choices
from app.privacy.guard import no_identifiers
from app.reflection.forms import NO_CLIENT_DATA


class SnoozeForm(FlaskForm):
    until = HiddenField(default="tomorrow")


def weekday_names() -> dict[int, str]:
    names = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
             _l("Saturday"), _l("Sunday")]
    return {i: str(n) for i, n in enumerate(names)}


def kind_choices() -> list[SelectChoice]:
    return choices([
        ("recurring", _l("Recurring: every week or every few weeks")),
        ("after_sessions", _l("After every few logged sessions")),
        ("targeted", _l("Targeted: the element logged least or rated lowest in the last 4 weeks, "
                        "or the element of the current learning goal")),
        ("one_off", _l("Once, on a date, with a theme")),
    ])


def target_choices() -> list[SelectChoice]:
    return choices([("least_logged", _l("The element logged least")),
                    ("lowest_rated", _l("The element rated lowest")),
                    ("learning_goal", _l("The element of the person's current learning goal"))])


class ScheduleForm(FlaskForm):
    """One form for every kind; the service checks the fields the chosen kind needs."""

    owner = SelectField(_l("For whom"))
    kind = RadioField(_l("When"), validators=[InputRequired(message=_l("Choose when."))])
    template_key = SelectField(_l("Kind of reflection"), default="")
    theme = StringField(_l("Theme or question (optional)"),
                        validators=[Optional(), Length(max=300), no_identifiers()],
                        description=NO_CLIENT_DATA)
    weekday = SelectField(_l("Day of the week"), coerce=int, default=4)
    local_time = TimeField(_l("Time (Amsterdam)"), validators=[Optional()], default=None)
    interval_weeks = IntegerField(_l("Every how many weeks"), default=1,
                                  validators=[Optional(), NumberRange(1, 12)])
    target = SelectField(_l("Aim the prompt at"), default="least_logged")
    every_n = IntegerField(_l("After every how many sessions"), default=5,
                           validators=[Optional(), NumberRange(1, 50)])
    element_id = SelectField(_l("Only sessions with this element (optional)"), coerce=int, default=0)
    once_date = DateField(_l("Date"), validators=[Optional()])
    once_time = TimeField(_l("Time (Amsterdam)"), validators=[Optional()])
