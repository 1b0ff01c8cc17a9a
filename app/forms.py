"""Form pieces shared by every package: the password field's policy check, the remembered lists."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, ValidationError, widgets

# The WTForms stubs describe 3.2, which had no SelectChoice (3.3 added it); every module takes it
# from here, so the one ignore for the stubs' gap stays in one place.
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired

from app.auth.passwords import password_problem
from app.remembered import remembered

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


def _frozen(mapping: Any) -> tuple[tuple[str, str, str], ...]:
    """Attributes as a key: the value's type too, as `required=True` and `required="True"` differ."""
    return tuple(sorted((str(k), type(v).__name__, str(v)) for k, v in (mapping or {}).items()))


class RememberedList(widgets.ListWidget):
    """WTForms' list of radio buttons or checkboxes, each different list made once per app.

    A form shows the same lists on every visit, and making each option's tags costs more than the
    rest of the page. The key holds all the HTML is made of: the list's tag, the option widget, the
    field's id, name, flags and attributes, and per option its value, its label in the request's
    language, whether it is chosen and its attributes. Errors and hints are outside the list.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        options = tuple((str(c.value), str(c.label or c.value), bool(c.selected), _frozen(c.render_kw))
                        for c in field.iter_choices())
        key = (self.html_tag, self.prefix_label, type(field.option_widget), field.id, field.name,
               _frozen(vars(field.flags)), _frozen(kwargs), options)
        return remembered("choice_lists", key, partial(super().__call__, field, **kwargs), 2048)


CHOICE_LIST = RememberedList(prefix_label=False)  # radio buttons or checkboxes, as RadioField has them
