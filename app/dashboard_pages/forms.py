"""The dashboards' forms: the period and element filter (GET), the team target and k (POST)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, ValidationError
from wtforms.validators import InputRequired, NumberRange, Optional

from app.clock import local_today
from app.dashboards.periods import DEFAULT_WEEKS, MAX_WEEKS, PRESETS, Period, custom, last_weeks
from app.forms import choices

EARLIEST = date(2000, 1, 1)


class FilterForm(FlaskForm):
    """Which weeks and which element; read from the query string, never echoed back unchecked."""

    class Meta:
        csrf = False  # a GET form that only reads

    period = SelectField(_l("Period"), default=str(DEFAULT_WEEKS))
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    element = SelectField(_l("Element"), default="")

    def __init__(self, elements: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)
        locale = str(get_locale())
        self.period.choices = choices(_periods(locale))
        self.element.choices = choices([("", _all_elements(locale)), *elements])

    def validate_end(self, field: DateField) -> None:
        if self.period.data != "custom":
            return
        if self.start.data is None or field.data is None:
            raise ValidationError(_("Fill in both dates."))
        if self.start.data < EARLIEST or field.data > local_today():
            raise ValidationError(_("Choose dates up to today."))
        if field.data < self.start.data:
            raise ValidationError(_("The end date comes after the start date."))
        if (field.data - self.start.data).days > MAX_WEEKS * 7:
            raise ValidationError(_("Choose at most two years."))

    def chosen_period(self, today: date) -> Period:
        """The period asked for, when the form is valid; else the default."""
        if self.period.data == "custom" and self.start.data and self.end.data and not self.errors:
            return custom(self.start.data, self.end.data)
        weeks = int(self.period.data) if self.period.data in {str(w) for w in PRESETS} else DEFAULT_WEEKS
        return last_weeks(weeks, today)

    def chosen_element(self) -> str | None:
        keys = {str(getattr(c, "value", "")) for c in self.element.choices or []}
        return self.element.data if self.element.data and self.element.data in keys else None


@lru_cache(maxsize=8)
def _periods(locale: str) -> tuple[tuple[str, str], ...]:
    """The period choices in one language (the same for every request in it)."""
    return (*((str(w), _("Last %(n)d weeks", n=w)) for w in PRESETS), ("custom", _("Choose dates")))


@lru_cache(maxsize=8)
def _all_elements(locale: str) -> str:
    return str(_("All elements"))


class TargetForm(FlaskForm):
    adoption_target = IntegerField(
        _l("Target (per cent of the team each month)"),
        validators=[InputRequired(message=_l("Fill in a percentage.")),
                    NumberRange(1, 100, message=_l("Fill in a number from 1 to 100."))],
    )


class GroupSizeForm(FlaskForm):
    min_group_size = IntegerField(
        _l("Minimum group size"),
        description=_l("A number is shown only when at least this many people contributed to it "
                       "(at least 3)."),
        validators=[InputRequired(message=_l("Fill in a number.")),
                    NumberRange(3, 50, message=_l("Fill in a number from 3 to 50."))],
    )
