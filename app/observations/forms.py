"""Forms of the observation pages: what the coach saw (the log's element checklist), a comment."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.elements.queries import ElementCatalogue
from app.forms import choices
from app.observations.models import TEXT_MAX
from app.practice.forms import ElementChecklist, checklist_form, not_in_future
from app.privacy.guard import no_identifiers
from app.reflection.forms import NO_CLIENT_DATA


class ObservationForm(ElementChecklist):
    """The session's date, how it was observed, the element checklist, a note."""

    session_date = DateField(_l("Date of the session"),
                             validators=[InputRequired(message=_l("Fill in the date.")), not_in_future])
    source = RadioField(
        _l("How did you observe it?"),
        choices=choices([("live", _l("Live, I was there")), ("recording", _l("From a recording"))]),
        validators=[InputRequired(message=_l("Choose how you observed the session."))])
    practice_log_id = SelectField(_l("Their own log of this session (optional)"), coerce=int, default=0)
    note = TextAreaField(_l("Your observation notes (optional)"),
                         validators=[Optional(), Length(max=TEXT_MAX), no_identifiers()],
                         description=NO_CLIENT_DATA, render_kw={"rows": 4, "maxlength": TEXT_MAX})

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return self.check_elements(_("Tick at least one element you saw applied.")) and ok


def observation_form(catalogue: list[ElementCatalogue], **kwargs: Any) -> ObservationForm:
    return checklist_form(ObservationForm, catalogue, **kwargs)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(message=_l("Write a comment.")), Length(max=TEXT_MAX), no_identifiers()],
        description=NO_CLIENT_DATA, render_kw={"rows": 3, "maxlength": TEXT_MAX},
    )
