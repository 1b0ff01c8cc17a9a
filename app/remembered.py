"""Per-app memory of values that follow from their key alone: a rendered menu, a list of radio
buttons, the text of a calendar day. Each is made once per process and key, kept up to a limit,
and then the memory starts again. (Figures that may change go through app/dashboards/cache.py.)"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

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
