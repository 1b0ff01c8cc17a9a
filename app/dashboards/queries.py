"""Every metric's one definition (metrics.md), in SQL with GROUP BY.

The dashboards to come use these for teams, with the privacy rules for aggregates on top; the
practitioner's own overview and the targeted reflection prompts use them for one person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select

from app.clientvoice.models import ClientRating
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


# --- client voice: CollaboRATE (metrics.md: client_sdm_mean, client_sdm_top) -------------------
#
# One answer's score and top-score flag are SQL expressions, so a single shared answer on a log,
# a practitioner's own figures and the team cells all use the same definition.

TOP_ITEM = 4
UNSHARED_MINIMUM = 3


def client_score(rating: type[ClientRating] = ClientRating) -> ColumnElement[Any]:
    """The CollaboRATE mean score of one answer, 0-100: the sum of the three 0-4 items / 12 × 100."""
    return (rating.effort_understand + rating.effort_listen + rating.effort_include) * 100.0 / 12


def client_top(rating: type[ClientRating] = ClientRating) -> ColumnElement[Any]:
    """1 when the answer gives the maximum (4) on all three items, else 0 (the top-score flag)."""
    top = and_(rating.effort_understand == TOP_ITEM, rating.effort_listen == TOP_ITEM,
               rating.effort_include == TOP_ITEM)
    return case((top, 1), else_=0)


@dataclass(frozen=True)
class ClientRatingStats:
    """Client ratings aggregated: how many answers, their mean score (0-100), the top-score rate (0-1)."""

    responses: int
    mean: float
    top_rate: float


@dataclass(frozen=True)
class TeamClientRating:
    """A team's client-rating cell: the stats, and its contributors (practitioners rated) for rule k."""

    stats: ClientRatingStats
    contributors: int


def _client_stats(responses: Any, mean: Any, top_rate: Any) -> ClientRatingStats | None:
    if not responses:
        return None
    return ClientRatingStats(int(responses), float(mean), float(top_rate))


def _client_aggregates() -> tuple[Any, Any, Any]:
    return func.count(ClientRating.id), func.avg(client_score()), func.avg(client_top())


def client_ratings_per_author(
    author_ids: Sequence[int], *, shared: bool, start: date | None = None, end: date | None = None,
) -> dict[int, ClientRatingStats]:
    """Per author, over the answers about their logs dated in [start, end) (open when None) whose
    `shared` choice is the one given: `client_sdm_mean` and `client_sdm_top`.

    Shared and unshared answers are never mixed in one figure (privacy.md); authors without such
    answers are absent. For unshared answers shown to the author use unshared_client_rating.
    """
    query = (
        select(PracticeLog.author_id, *_client_aggregates())
        .join(ClientRating, ClientRating.log_id == PracticeLog.id)
        .where(PracticeLog.author_id.in_(author_ids), ClientRating.shared.is_(shared))
        .group_by(PracticeLog.author_id)
    )
    if start is not None:
        query = query.where(PracticeLog.session_date >= start)
    if end is not None:
        query = query.where(PracticeLog.session_date < end)
    stats = {}
    for author_id, responses, mean, top in db.session.execute(query):
        found = _client_stats(responses, mean, top)
        if found is not None:
            stats[author_id] = found
    return stats


def unshared_client_rating(author_id: int, minimum: int = UNSHARED_MINIMUM) -> ClientRatingStats | None:
    """The author's own figure of answers that were not shared with them; None below `minimum`.

    It takes the answers in the order they came in, in whole steps of `minimum` (3, 6, 9 …): a
    new answer joins the figure only together with others, so comparing the figure before and
    after cannot reveal one answer (no differencing, metrics.md rule 2). Over all their logs.
    """
    count = db.session.scalar(
        select(func.count(ClientRating.id)).join(PracticeLog, PracticeLog.id == ClientRating.log_id)
        .where(PracticeLog.author_id == author_id, ClientRating.shared.is_(False))
    ) or 0
    take = count // minimum * minimum
    if take == 0:
        return None
    batch = (
        select(ClientRating.id).join(PracticeLog, PracticeLog.id == ClientRating.log_id)
        .where(PracticeLog.author_id == author_id, ClientRating.shared.is_(False))
        .order_by(ClientRating.id).limit(take).scalar_subquery()
    )
    row = db.session.execute(select(*_client_aggregates()).where(ClientRating.id.in_(batch))).one()
    return _client_stats(*row)


def client_ratings_per_team(team_ids: Sequence[int], start: date, end: date) -> dict[int, TeamClientRating]:
    """Per team, over every answer (shared or not) about its logs dated in [start, end): the stats
    and the number of practitioners whose sessions were rated (the cell's contributors).

    The caller applies the minimum group size to `contributors` before showing anything.
    """
    rows = db.session.execute(
        select(PracticeLog.team_id, *_client_aggregates(), func.count(distinct(PracticeLog.author_id)))
        .join(ClientRating, ClientRating.log_id == PracticeLog.id)
        .where(PracticeLog.team_id.in_(team_ids),
               PracticeLog.session_date >= start, PracticeLog.session_date < end)
        .group_by(PracticeLog.team_id)
    )
    cells = {}
    for team_id, responses, mean, top, contributors in rows:
        stats = _client_stats(responses, mean, top)
        if stats is not None:
            cells[team_id] = TeamClientRating(stats, int(contributors))
    return cells


def self_rating_beside_shared_answers(author_id: int, element_id: int) -> float | None:
    """The author's mean self-rating of the element over their logs that have a shared client
    answer: the `self_rating` metric on exactly the sessions whose client rating they can see.
    """
    rated = select(ClientRating.id).where(ClientRating.log_id == PracticeLog.id,
                                          ClientRating.shared.is_(True))
    mean = db.session.scalar(
        select(func.avg(PracticeLogElement.self_rating))
        .join(PracticeLog, PracticeLog.id == PracticeLogElement.log_id)
        .where(PracticeLog.author_id == author_id, PracticeLogElement.element_id == element_id,
               rated.exists())
    )
    return None if mean is None else float(mean)
