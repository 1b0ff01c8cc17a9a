"""Forms of the group-session pages: the session as recorded, and a participant's own notes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.privacy.guard import no_identifiers
from app.reflection import catalogue
from app.reflection.forms import text_field

FORM_LABELS = {
    "peer_consultation": _l("Intervision (peer consultation)"),
    "work_supervision": _l("Methodical work supervision"),
    "supervision": _l("Supervision"),
    "learning_meeting": _l("Structured learning meeting"),
}


def form_labels() -> dict[str, str]:
    return {k: str(v) for k, v in FORM_LABELS.items()}


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
    learning_question = text_field(_l("Your learning question"), rows=2)
    notes_technical = text_field(_l("Technical dimension"), rows=3)
    notes_normative = text_field(_l("Normative dimension"), rows=3)
    notes_personal = text_field(_l("Personal dimension"), rows=3)


def group_notes_form(locale: str, **kwargs: Any) -> GroupNotesForm:
    """The notes form, each SKJ dimension explained by its question from the catalogue."""
    form = GroupNotesForm(**kwargs)
    for step in catalogue.SKJ_STEPS:
        form[f"notes_{step.key}"].description = step.text(locale)
    return form
