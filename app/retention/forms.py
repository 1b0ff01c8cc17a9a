"""The organisation's privacy settings: retention per kind of data, and the second factor for all."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from app.retention.kinds import KINDS
from app.retention.models import MAX_MONTHS


class _SettingsForm(FlaskForm):
    second_factor_for_all = BooleanField(_l("Everyone signs in with a second factor"))


@cache
def _settings_form_class() -> type[_SettingsForm]:
    """The form class, made once per process: the kinds are fixed and every text is translated lazily."""

    class SettingsForm(_SettingsForm):
        pass

    for kind, spec in KINDS.items():
        setattr(SettingsForm, kind, IntegerField(
            spec.label, description=_l("Months (default %(n)d)", n=spec.default_months),
            validators=[InputRequired(message=_l("Fill in a number of months.")),
                        NumberRange(min=spec.min_months, max=MAX_MONTHS,
                                    message=_l("Choose between %(min)d and %(max)d months."))],
            render_kw={"inputmode": "numeric"}))
    return SettingsForm


def settings_form(**data: Any) -> Any:
    """A form with a months field per kind of data (named by the kind) and the second-factor box."""
    return _settings_form_class()(data=data or None)
