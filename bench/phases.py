"""Where one request's server time goes, split into phases that do not overlap.

In-process, one request at a time, on the benchmark's app and database: every moment of a request
is counted in the innermost phase running then.

- **SQL**: inside the driver's execute, from sending a statement until its rows are in (the round
  trip and the server's work);
- **user**: load_user outside its SQL: the signed-in user's row, organisation and page facts
  turned into objects (Flask-Login calls it once per request);
- **templates**: rendering, with the helpers templates call (outside their SQL);
- **rest**: everything else: Flask and the routing, the session cookie, CSRF, WTForms, the view's
  own Python (ORM objects of its queries included).

bench_pages.py prints it per page beside the load figures, so a page that stays short of its
target shows where its time still goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

PHASES = ("SQL", "user", "templates", "rest")


class _Clock:
    """Exclusive time per phase: entering a phase stops the clock of the one it interrupts."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self._stack: list[str] = []
        self._since = 0.0

    def enter(self, phase: str) -> None:
        now = time.perf_counter()
        if self._stack:
            self.totals[self._stack[-1]] += now - self._since
        self._stack.append(phase)
        self._since = now

    def leave(self) -> None:
        now = time.perf_counter()
        self.totals[self._stack.pop()] += now - self._since
        self._since = now


@dataclass(frozen=True)
class Split:
    """Mean milliseconds per request, in all and per phase."""

    total: float
    phases: dict[str, float]

    def cells(self) -> str:
        return "  ".join(f"{self.phases[p]:5.2f} {self.phases[p] / self.total:4.0%}" for p in PHASES)


@contextmanager
def _hooks(app: Any, clock: _Clock) -> Iterator[None]:
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from app.db import db

    with app.app_context():
        engine = db.engine
    manager = app.login_manager
    load_user = manager._user_callback

    def timed_load_user(user_id: str) -> Any:
        clock.enter("user")
        try:
            return load_user(user_id)
        finally:
            clock.leave()

    def sql_starts(*_args: Any) -> None:
        clock.enter("SQL")

    def sql_ends(*_args: Any) -> None:
        clock.leave()

    def render_starts(*_args: Any, **_kwargs: Any) -> None:
        clock.enter("templates")

    def render_ends(*_args: Any, **_kwargs: Any) -> None:
        clock.leave()

    manager._user_callback = timed_load_user
    event.listen(engine, "before_cursor_execute", sql_starts)
    event.listen(engine, "after_cursor_execute", sql_ends)
    before_render_template.connect(render_starts, app)
    template_rendered.connect(render_ends, app)
    try:
        yield
    finally:
        manager._user_callback = load_user
        event.remove(engine, "before_cursor_execute", sql_starts)
        event.remove(engine, "after_cursor_execute", sql_ends)
        before_render_template.disconnect(render_starts, app)
        template_rendered.disconnect(render_ends, app)


def split(app: Any, send: Callable[[], Any], repeat: int = 100, warm: int = 20) -> Split:
    """`send` (one request to `app`'s test client) `repeat` times after `warm` unmeasured ones."""
    for _ in range(warm):
        send()
    clock = _Clock()
    with _hooks(app, clock):
        for _ in range(repeat):
            clock.enter("rest")
            try:
                send()
            finally:
                clock.leave()
    total = sum(clock.totals.values())
    return Split(total * 1000 / repeat, {p: clock.totals[p] * 1000 / repeat for p in PHASES})
