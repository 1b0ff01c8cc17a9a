"""Form pieces shared by every package: the password field's policy check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, ValidationError

# The WTForms stubs describe 3.2, which had no SelectChoice (3.3 added it); every module takes it
# from here, so the one ignore for the stubs' gap stays in one place.
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired

from app.auth.passwords import password_problem

T = TypeVar("T")


def check_password_policy(_form: Any, field: Any) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def new_password_field(label: Any = None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[DataRequired(message=_l("Fill in a password.")), check_password_policy],
        description=_l("At least 12 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )


def required(data: T | None) -> T:
    """The data of a field its validators require (InputRequired, DataRequired), after validation."""
    if data is None:
        raise ValueError("a required field has no data: validate the form first")
    return data


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with a CSRF token (delete, end, retire …)."""
