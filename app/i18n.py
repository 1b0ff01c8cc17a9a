"""`_()`, `gettext` and `ngettext` in templates, with the request's translations looked up once;
the `dateformat` filter with each calendar day's text kept per language.

Flask-Babel's own template callables find the locale and the catalogue again for every string,
through several context lookups each; a page has dozens of strings. These do the same as Jinja's
"newstyle" gettext (the string is always a format string, `%(name)s` takes the keyword arguments,
the result is Markup when the template autoescapes) and follow Flask-Babel's locale: the
catalogue is looked up again whenever the locale changes (`force_locale`, `refresh`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, g
from flask_babel import format_date, get_locale, get_translations
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup

from app.remembered import remembered


def translations() -> Any:
    """The catalogue of the current locale, kept on `g` for as long as the locale stays the same."""
    locale = get_locale()
    found: tuple[object, Any] | None = g.get("_i18n_catalogue")
    if found is None or found[0] is not locale:
        found = (locale, get_translations())
        g._i18n_catalogue = found
    return found[1]


def _format(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if not eval_ctx.autoescape:
        return text % variables
    # As in Jinja's own i18n: the translation is trusted markup, the values are escaped into it.
    if variables:
        return Markup(text) % variables  # noqa: S704
    return Markup(text % variables)  # noqa: S704 - no values; `%%` still becomes `%`


@pass_eval_context
def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    return _format(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _format(eval_ctx, translations().ungettext(singular, plural, num), variables)


def dateformat(value: Any, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's `dateformat`, with the text of a calendar day (a `date`, which has no time
    zone to convert) kept per language and format: lists show a date per row, and Babel takes
    longer to write one than the rest of the row. Timestamps are formatted every time."""
    if type(value) is not date:
        return str(format_date(value, format, rebase))
    return remembered("date_texts", (value, format, str(get_locale())),
                      lambda: str(format_date(value, format, rebase)), 8192)


def register_template_gettext(app: Flask) -> None:
    """Install the callables; run after Flask-Babel, whose own ones they replace."""
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    app.jinja_env.filters["dateformat"] = dateformat
