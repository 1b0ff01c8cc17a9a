"""Every metric's one definition (metrics.md), in SQL with GROUP BY.

The dashboards to come use these for teams, with the privacy rules for aggregates on top; the
practitioner's own overview and the targeted reflection prompts use them for one person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.db import db
from app.practice.models import PracticeLog, PracticeLogElement


@dataclass(frozen=True)
class ElementStats:
    """For one element in a period: `sessions` applying it and its mean `self_rating`."""

    sessions: int
    self_rating: float


def element_stats_per_author(
    author_ids: Sequence[int], start: date, end: date
) -> dict[int, dict[int, ElementStats]]:
    """Per author and element applied, over logs dated in [start, end): the number of logs applying
    the element (`sessions` of E) and their mean self-rating (`self_rating` of E).

    A log applies an element when it has the element's row (which holds its self-rating).
    Elements an author did not apply in the period are absent.
    """
    rows = db.session.execute(
        select(PracticeLog.author_id, PracticeLogElement.element_id,
               func.count(), func.avg(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id.in_(author_ids),
               PracticeLog.session_date >= start, PracticeLog.session_date < end)
        .group_by(PracticeLog.author_id, PracticeLogElement.element_id)
    )
    stats: dict[int, dict[int, ElementStats]] = {}
    for author_id, element_id, sessions, mean in rows:
        stats.setdefault(author_id, {})[element_id] = ElementStats(int(sessions), float(mean))
    return stats
