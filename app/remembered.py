"""Per-app memory of values that follow from their key alone: a rendered menu, a list of radio
buttons, the text of a calendar day. Each is made once per process and key, kept up to a limit,
and then the memory starts again. (Figures that may change go through app/dashboards/cache.py.)"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

T = TypeVar("T")


def remembered(name: str, key: Hashable, make: Callable[[], T], limit: int = 1024) -> T:
    """`make()`'s value for `key` in the memory `name` of the current app, made at most once."""
    store: dict[Hashable, Any] = current_app.extensions.setdefault(f"remembered_{name}", {})
    if key in store:
        found: T = store[key]
        return found
    value = make()
    if len(store) >= limit:
        store.clear()
    store[key] = value
    return value


def remembered_html(name: str, key: Hashable, render: Callable[[], str], limit: int = 256) -> Markup:
    """Rendered HTML that follows from `key`, the language and the app's root URL alone (no form,
    no CSRF token: see remembered_form for those), rendered once per key and process; every time
    where templates reload, so an edited template shows at once."""

    def make() -> Markup:
        return Markup(render())  # noqa: S704 - rendered, so escaped

    if current_app.jinja_env.auto_reload:
        return make()
    return remembered(name, (str(get_locale()), request.script_root, key), make, limit)


CSRF_SLOT = "csrf-slot-of-remembered-html"  # stands in for the request's CSRF token in memory


def remembered_form(name: str, key: Hashable, render: Callable[[], str], limit: int = 256, *,
                    afresh: bool = False) -> Markup:
    """A rendered form (or a page part holding one) kept as remembered_html keeps HTML, but for
    the request's CSRF token: each request gets its own. Rendered for this request alone when
    `afresh` (a form that shows errors, a part that shows a message)."""

    def render_with_slot() -> str:
        return render().replace(generate_csrf(), CSRF_SLOT)

    html = Markup(render_with_slot()) if afresh else remembered_html(name, key, render_with_slot, limit)  # noqa: S704
    return html.replace(CSRF_SLOT, generate_csrf())  # Markup.replace escapes the token
