"""The practice-log form (built per organisation's catalogue) and the list filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar, cast

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.clock import local_today
from app.elements.queries import ElementCatalogue
from app.forms import CHOICE_LIST, required
from app.practice.choices import (
    AGE_BAND_LABELS,
    PARTICIPANT_LABELS,
    PHASE_LABELS,
    RATING_LABELS,
    SETTING_LABELS,
    choice_list,
)
from app.practice.models import DURATION_MAX, DURATION_MIN, NOTE_MAX
from app.practice.services import LogInput
from app.privacy.guard import no_identifiers

EARLIEST = date(2000, 1, 1)


def not_in_future(_form: Any, field: Field) -> None:
    if field.data is not None and field.data > local_today():
        raise ValidationError(_("The date cannot be in the future."))
    if field.data is not None and field.data < EARLIEST:
        raise ValidationError(_("Check the year of this date."))


class ElementChecklist(FlaskForm):
    """Per element of a catalogue: an "applied" toggle, the techniques' checkboxes and a 1-5 rating.

    The fields are added per catalogue by `checklist_form`; a log and a coach's observation of a
    session use the same checklist.
    """

    catalogue: list[ElementCatalogue]

    def sections(self) -> list[ElementSection]:
        """Per element: its 'applied' toggle, its techniques' checkboxes, its rating."""
        return [
            ElementSection(
                entry, self[f"applied_{entry.element.key}"], self.technique_checks(entry),
                self[f"rating_{entry.element.key}"],
            )
            for entry in self.catalogue
        ]

    def technique_checks(self, entry: ElementCatalogue) -> TechniqueChecks:
        """The element's techniques field (added per catalogue, so known here only by name)."""
        field = self[f"techniques_{entry.element.key}"]
        assert isinstance(field, TechniqueChecks)
        return field

    def applied(self, entry: ElementCatalogue) -> bool:
        """An element counts as applied when toggled, when a technique is ticked, or when rated."""
        key = entry.element.key
        return any(self[f"{part}_{key}"].data for part in ("applied", "techniques", "rating"))

    def check_elements(self, none_applied: str) -> bool:
        """Every applied element needs a rating; at least one must be applied (else `none_applied`)."""
        ok = True
        applied = [entry for entry in self.catalogue if self.applied(entry)]
        for entry in applied:
            rating = self[f"rating_{entry.element.key}"]
            if not rating.errors and rating.data not in RATING_LABELS:
                rating.errors = [*rating.errors, _("Choose how well it went.")]
                ok = False
        if not applied:
            self.form_errors.append(none_applied)
            ok = False
        return ok

    def ratings(self) -> dict[int, int]:
        return {e.element.id: int(self[f"rating_{e.element.key}"].data)
                for e in self.catalogue if self.applied(e)}

    def technique_ids(self) -> frozenset[int]:
        return frozenset(
            t.id for e in self.catalogue if self.applied(e) for t in e.techniques
            if t.key in self[f"techniques_{e.element.key}"].data
        )


class LogForm(ElementChecklist):
    """Context fields; the per-element fields are added by `log_form` for one catalogue."""

    submission_key = HiddenField()
    session_date = DateField(
        _l("Date of the session"),
        validators=[InputRequired(message=_l("Fill in the date.")), not_in_future],
    )
    setting = RadioField(
        _l("Where"), choices=choice_list(SETTING_LABELS), widget=CHOICE_LIST,
        validators=[InputRequired(message=_l("Choose where the session took place."))],
    )
    participants = SelectMultipleField(
        _l("Who took part"), choices=choice_list(PARTICIPANT_LABELS),
        widget=CHOICE_LIST, option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(message=_l("Choose who took part."))],
    )
    age_band = RadioField(
        _l("Age of the young person"), choices=choice_list(AGE_BAND_LABELS), widget=CHOICE_LIST,
        validators=[InputRequired(message=_l("Choose the age of the young person."))],
    )
    phase = RadioField(
        _l("Phase of the help"), choices=choice_list(PHASE_LABELS), widget=CHOICE_LIST,
        validators=[InputRequired(message=_l("Choose the phase of the help."))],
    )
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[Optional(), NumberRange(DURATION_MIN, DURATION_MAX,
                                            message=_l("Fill in between 5 and 480 minutes."))],
        render_kw={"min": DURATION_MIN, "max": DURATION_MAX, "step": 5, "inputmode": "numeric"},
    )
    note = TextAreaField(
        _l("Note for your own learning (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Write at most 500 characters.")),
                    no_identifiers()],
        description=_l("No names or traceable details of clients: no initials, dates of birth, "
                       "addresses, phone numbers or file numbers."),
        render_kw={"maxlength": NOTE_MAX, "rows": 3},
    )
    private = BooleanField(
        _l("Keep this log to myself"),
        description=_l("Your coach can read your logs, except the ones you keep to yourself."),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return self.check_elements(_("Tick at least one element you applied in this session.")) and ok

    def to_input(self) -> LogInput:
        return LogInput(
            session_date=required(self.session_date.data),
            setting=self.setting.data,
            participants=tuple(self.participants.data or ()),
            age_band=self.age_band.data,
            phase=self.phase.data,
            ratings=self.ratings(),
            technique_ids=self.technique_ids(),
            duration_minutes=self.duration_minutes.data,
            note=self.note.data or None,
            private=bool(self.private.data),
        )


class TechniqueChecks(Field):
    """One element's techniques as one field; the page shows a checkbox `t_<key>` per technique.

    One field per element rather than one per technique: a WTForms field costs about as much as
    the rest of a submission's work for every two or three of them, and there are two dozen.
    Its data is the list of ticked technique keys; keys not offered are ignored.
    """

    def __init__(self, label: Any = None, *, techniques: tuple[Choice, ...] = (), **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.techniques = techniques

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        if formdata is not None:
            self.data = [c.key for c in self.techniques if formdata.get(c.input_name)]
        else:
            self.data = list(data) if data is not unset_value and data else []


@dataclass(frozen=True)
class Choice:
    """A technique as its checkbox shows it: `t_<key>`, with its label and 'how to' text."""

    key: str
    label: Any
    howto: str

    @property
    def input_name(self) -> str:
        return f"t_{self.key}"


@dataclass(frozen=True)
class ElementSection:
    entry: ElementCatalogue
    applied: Field
    techniques: TechniqueChecks
    rating: Field


def log_form(catalogue: list[ElementCatalogue], **kwargs: Any) -> LogForm:
    """A LogForm with per element a toggle, the offered techniques' checkboxes and a rating."""
    form = checklist_form(LogForm, catalogue, **kwargs)
    form.session_date.render_kw = {"max": local_today().isoformat()}
    return form


C = TypeVar("C", bound=ElementChecklist)


def checklist_form(base: type[C], catalogue: list[ElementCatalogue], **kwargs: Any) -> C:
    """A form of class `base` with the element checklist of one catalogue."""
    locale = str(get_locale() or "nl")
    signature = tuple(
        (entry.element.key, tuple(
            (t.key, t.label(locale), t.howto(locale), t.retired) for t in entry.techniques
        ))
        for entry in catalogue
    )
    form = cast(C, _form_class(cast(Any, base), signature)(**kwargs))  # a class is hashable
    form.catalogue = catalogue
    return form


@lru_cache(maxsize=128)
def _form_class(base: type[Any], signature: tuple[Any, ...]) -> type[ElementChecklist]:
    """The form class (a subclass of `base`) for one catalogue's wording, built once: a class costs
    ~1.5 ms to make.

    Keyed by the wording itself, so an edited catalogue simply gets a new class.
    """
    _LogForm = cast(type[ElementChecklist], type(f"_{base.__name__}", (base,), {}))

    for key, techniques in signature:
        setattr(_LogForm, f"applied_{key}", BooleanField(_l("I applied this in the session")))
        setattr(_LogForm, f"techniques_{key}", TechniqueChecks(techniques=tuple(
            Choice(technique_key, _l("%(label)s (no longer offered)", label=label) if retired else label,
                   howto)
            for technique_key, label, howto, retired in techniques
        )))
        setattr(_LogForm, f"rating_{key}", RadioField(
            _l("How well did it go?"), choices=choice_list(RATING_LABELS), coerce=int,
            validators=[Optional()], widget=CHOICE_LIST,
        ))
    return _LogForm


def form_data_for(log: Any) -> dict[str, Any]:
    """The edit form's values for an existing log."""
    data: dict[str, Any] = {
        "session_date": log.session_date, "setting": log.setting,
        "participants": log.participant_keys, "age_band": log.age_band, "phase": log.phase,
        "duration_minutes": log.duration_minutes, "note": log.note, "private": log.private,
    }
    for pe in log.elements:
        data[f"applied_{pe.element.key}"] = True
        data[f"rating_{pe.element.key}"] = pe.self_rating
    for pt in log.techniques:
        data.setdefault(f"techniques_{pt.technique.element.key}", []).append(pt.technique.key)
    return data


class LogFilterForm(FlaskForm):
    """The list's filter: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])
    element = SelectField(_l("Element"), validators=[Optional()], default="")

