"""Forms of the reflection pages: a reflection (built per template), schedules, groups, settings."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import choices
from app.privacy.guard import no_identifiers
from app.reflection import catalogue
from app.reflection.services import ANSWER_MAX

NO_CLIENT_DATA = _l("No names or traceable details of clients.")


def _text(label: str, rows: int = 4) -> TextAreaField:
    return TextAreaField(
        label, validators=[Optional(), Length(max=ANSWER_MAX), no_identifiers()],
        render_kw={"rows": rows, "maxlength": ANSWER_MAX},
    )


class ReflectionForm(FlaskForm):
    """The common part; `reflection_form` adds one text field per template step and SKJ step."""

    draft_key = HiddenField()
    element_id = SelectField(_l("Core element (optional)"), coerce=int, default=0, validate_choice=False)

    step_names: list[str]
    skj_names: list[str]

    def answers(self) -> dict[str, str]:
        return {name.removeprefix("answer_"): self[name].data or "" for name in self.step_names}

    def skj_answers(self) -> dict[str, str]:
        return {name.removeprefix("skj_"): self[name].data or "" for name in self.skj_names}

    def draft_data(self) -> dict[str, str]:
        """Everything typed, for the server-side draft."""
        data = {name: self[name].data or "" for name in self.step_names + self.skj_names}
        data["element_id"] = str(self.element_id.data or 0)
        return data


def reflection_form(template_key: str, locale: str, element_choices: list[tuple[int, str]],
                    **kwargs: Any) -> ReflectionForm:
    """A form with one question per step of the template (its wording from the catalogue)."""
    tpl = catalogue.TEMPLATES[template_key]

    class _Form(ReflectionForm):
        pass

    for step in tpl.steps:
        setattr(_Form, f"answer_{step.key}", _text(step.text(locale)))
    for step in catalogue.SKJ_STEPS:
        setattr(_Form, f"skj_{step.key}", _text(step.text(locale), rows=3))
    _Form.step_names = [f"answer_{k}" for k in tpl.step_keys]
    _Form.skj_names = [f"skj_{k}" for k in catalogue.SKJ_KEYS]
    form = _Form(**kwargs)
    form.element_id.choices = choices([(0, _l("No particular element")), *element_choices])
    return form


class ShareForm(FlaskForm):
    coach_id = SelectField(_l("Share with"), coerce=int)


class SnoozeForm(FlaskForm):
    until = HiddenField(default="tomorrow")



class PreferencesForm(FlaskForm):
    email_mode = RadioField(
        _l("E-mail about reflection prompts"),
        choices=[
            SelectChoice("instant", _l("An e-mail for each new prompt")),
            SelectChoice("digest", _l("One e-mail a week, on Monday, when prompts are waiting")),
            SelectChoice("none", _l("No e-mail: I look in Werkzaam myself")),
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )
    skj_cycle_start = DateField(
        _l("Start of your current SKJ registration period (optional)"), validators=[Optional()],
        description=_l("With this date your SKJ page counts hours per registration cycle."),
    )


class SettingsForm(FlaskForm):
    skj_target_hours = IntegerField(_l("SKJ target: hours of reflection per cycle"),
                                    validators=[InputRequired(), NumberRange(1, 500)])
    skj_cycle_years = IntegerField(_l("Length of an SKJ cycle in years"),
                                   validators=[InputRequired(), NumberRange(1, 10)])
    skj_min_session_minutes = IntegerField(_l("Minimum length of a session that counts, in minutes"),
                                           validators=[InputRequired(), NumberRange(1, 480)])
    prompt_expiry_days = IntegerField(_l("Days before an unanswered prompt expires"),
                                      validators=[InputRequired(), NumberRange(1, 60)])


def weekday_names() -> dict[int, str]:
    names = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
             _l("Saturday"), _l("Sunday")]
    return {i: str(n) for i, n in enumerate(names)}


def kind_choices() -> list[SelectChoice]:
    return choices([
        ("recurring", _l("Recurring: every week or every few weeks")),
        ("after_sessions", _l("After every few logged sessions")),
        ("targeted", _l("Targeted: the element logged least or rated lowest in the last 4 weeks")),
        ("one_off", _l("Once, on a date, with a theme")),
    ])


def target_choices() -> list[SelectChoice]:
    return choices([("least_logged", _l("The element logged least")),
                    ("lowest_rated", _l("The element rated lowest"))])


class ScheduleForm(FlaskForm):
    """One form for every kind; the service checks the fields the chosen kind needs."""

    owner = SelectField(_l("For whom"))
    kind = RadioField(_l("When"), validators=[InputRequired(message=_l("Choose when."))])
    template_key = SelectField(_l("Reflection model"), default="")
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


class GroupSessionForm(FlaskForm):
    session_date = DateField(_l("Date"), validators=[InputRequired(message=_l("Fill in the date."))])
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[InputRequired(message=_l("Fill in the duration.")), NumberRange(1, 720)],
        render_kw={"min": 1, "max": 720, "inputmode": "numeric"},
    )
    form = SelectField(_l("Form"))
    participant_ids = SelectMultipleField(
        _l("Participants"), coerce=int,
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
    )
    facilitator_id = SelectField(_l("Facilitator"), coerce=int, default=0)
    facilitator_name = StringField(
        _l("Or the facilitator's name, if not a participant"),
        validators=[Optional(), Length(max=120), no_identifiers()],
        description=_l("A colleague or external supervisor; never a client."),
    )


class GroupNotesForm(FlaskForm):
    learning_question = _text(_l("Your learning question"), rows=2)
    notes_technical = _text(_l("Technical dimension"), rows=3)
    notes_normative = _text(_l("Normative dimension"), rows=3)
    notes_personal = _text(_l("Personal dimension"), rows=3)


def group_notes_form(locale: str, **kwargs: Any) -> GroupNotesForm:
    """The notes form, each SKJ dimension explained by its question from the catalogue."""
    form = GroupNotesForm(**kwargs)
    for step in catalogue.SKJ_STEPS:
        form[f"notes_{step.key}"].description = step.text(locale)
    return form
