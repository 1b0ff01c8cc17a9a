"""The home page's figures of one's own practice, kept per process until something they count changes.

The last four weeks per element, and shared decision-making beside the young people's and parents'
answers (app/clientvoice), take five statements to count. A mark says whether any of it can have
changed (app.practice.queries.own_mark over the last HOME_DAYS days, which hold the four weeks; it
comes with the recent logs, in their statement): the figures are kept by that mark and the day
(app/dashboards/cache.py), so a new, edited or deleted log or answer shows at once.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from app.clientvoice.queries import HOME_DAYS, HomeClientVoice, home_figures
from app.dashboards.cache import cached
from app.dashboards.queries import ElementStats
from app.practice.queries import (
    OVERVIEW_DAYS,
    ElementSummary,
    LogRow,
    overview_of,
    overview_stats,
    recent_logs_and_mark,
)

assert OVERVIEW_DAYS <= HOME_DAYS  # the mark's window holds the four weeks of the overview


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows about someone's practice."""

    shows_practice: bool
    recent: list[LogRow]
    overview: list[ElementSummary]
    voice: HomeClientVoice | None
    # What the block follows from, with the language and the catalogue's wording: the user, the
    # day, the mark and the recent logs (which may lie before the mark's days).
    key: Hashable = None


@dataclass(frozen=True)
class _Figures:
    overview: dict[int, ElementStats]
    voice: HomeClientVoice


def home_summary(user_id: int, organisation_id: int, today: date, shows_practice: bool) -> HomeSummary:
    """The home page's practice block: shown to practitioners and to anyone who has logged
    (`shows_practice`, from the menu's facts); for anyone else nothing is read."""
    if not shows_practice:
        return HomeSummary(False, [], [], None)
    # The mark changes whenever the home figures can (see the module's note); it comes with the
    # recent logs, in their statement.
    recent, mark = recent_logs_and_mark(user_id, organisation_id, today - timedelta(days=HOME_DAYS - 1),
                                        today + timedelta(days=1))
    figures = cached(("home", user_id, today, mark), lambda: _Figures(
        overview_stats(user_id, today), home_figures(user_id, organisation_id, today)))
    return HomeSummary(True, recent, overview_of(figures.overview, organisation_id), figures.voice,
                       (user_id, today, mark, tuple(recent)))
