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
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import SelectChoice, choices
from app.privacy.guard import no_identifiers
from app.reflection import catalogue
from app.reflection.services import ANSWER_MAX

NO_CLIENT_DATA = _l("No names or traceable details of clients.")


def text_field(label: str, rows: int = 4) -> TextAreaField:
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
        setattr(_Form, f"answer_{step.key}", text_field(step.text(locale)))
    for step in catalogue.SKJ_STEPS:
        setattr(_Form, f"skj_{step.key}", text_field(step.text(locale), rows=3))
    _Form.step_names = [f"answer_{k}" for k in tpl.step_keys]
    _Form.skj_names = [f"skj_{k}" for k in catalogue.SKJ_KEYS]
    form = _Form(**kwargs)
    form.element_id.choices = choices([(0, _l("No particular element")), *element_choices])
    return form


class ShareForm(FlaskForm):
    coach_id = SelectField(_l("Share with"), coerce=int)


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


