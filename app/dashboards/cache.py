"""A short-lived, per-process cache of computed dashboards (each worker keeps its own).

A dashboard's preset periods end before the current week, so its figures change only when someone
logs, edits or answers something dated earlier; they may be that many seconds old
(DASHBOARD_CACHE_SECONDS, default 300). Keys hold everything a figure depends on (team, period,
element, language, k, target, catalogue revision), so a changed setting is never served stale.
One's own figures (the personal dashboard) are kept the same way, with one more thing in their
key: a mark of one's own logs in the period and of the answers about them
(app.practice.queries.own_mark), so that one's own new, edited or deleted logs and answers show at
once.
Nothing here is needed by another process: a cold worker computes the same figures itself.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
MAX_ENTRIES = 256


def cached(key: Hashable, make: Callable[[], T]) -> T:
    """`make()`'s value for `key`, computed at most once per DASHBOARD_CACHE_SECONDS per process."""
    ttl = float(current_app.config.get("DASHBOARD_CACHE_SECONDS", 300))
    if ttl <= 0:
        return make()
    store: OrderedDict[Hashable, tuple[float, Any]] = current_app.extensions.setdefault(
        "dashboard_cache", OrderedDict())
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        store.move_to_end(key)
        value: T = hit[1]
        return value
    value = make()
    store[key] = (now + ttl, value)
    store.move_to_end(key)
    while len(store) > MAX_ENTRIES:
        store.popitem(last=False)
    return value
