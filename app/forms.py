"""Form pieces shared by every package: the password field's policy check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.auth.passwords import password_problem


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


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with a CSRF token (delete, end, retire …)."""
