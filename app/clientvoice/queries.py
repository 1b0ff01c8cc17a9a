"""Reads for client voice: a link's request, the shared answers on a log, the home figures, export.

An answer the respondent did not share is never read here on its own: only through the
aggregate of app/dashboards/queries.py (unshared_client_rating).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, bindparam, exists, select

from app.auth.models import User
from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.clientvoice.services import token_digest
from app.dashboards.queries import (
    ClientRatingStats,
    ElementStats,
    client_ratings_per_author,
    client_score,
    client_top,
    element_stats_per_author,
    self_rating_beside_shared_answers,
    unshared_client_rating,
)
from app.db import db
from app.elements.queries import ElementEntry, element_entries
from app.practice.models import PracticeLog
from app.security import can_read_client_rating, page_has

SDM = "shared_decision_making"


@dataclass(frozen=True)
class SharedAnswer:
    """A shared answer as the log shows it: the row, its score (0-100) and top-score flag."""

    rating: ClientRating
    score: float
    top: bool


@dataclass(frozen=True)
class HomeClientVoice:
    """The home page's figures for shared decision-making: own self-rating beside the clients'."""

    self_rating: ElementStats | None
    shared: ClientRatingStats | None
    self_rating_on_shared: float | None
    unshared: ClientRatingStats | None


def first_name(user: User) -> str:
    """The only part of the practitioner a client's page shows."""
    return (user.display_name.split() or [""])[0]


def valid_link(raw_token: str, now: datetime) -> ClientFeedbackRequest | None:
    """The unused, unexpired link request behind `raw_token`, or None (unknown, used or expired)."""
    request_row = db.session.scalar(select(ClientFeedbackRequest).where(
        ClientFeedbackRequest.token_hash == token_digest(raw_token), ClientFeedbackRequest.channel == "link"))
    if request_row is None or request_row.used_at is not None or request_row.expires_at <= now:
        return None
    return request_row


def request_by_id(request_id: object) -> ClientFeedbackRequest | None:
    return db.session.get(ClientFeedbackRequest, request_id) if isinstance(request_id, int) else None


def practitioner_of(request_row: ClientFeedbackRequest) -> User:
    user = db.session.get(User, request_row.practitioner_id)
    assert user is not None  # the foreign key cascades
    return user


def shared_answers(user: User, log: PracticeLog) -> list[SharedAnswer]:
    """The answers on `log` that their respondents shared and `user` may read, oldest first.

    With none, the result is the same whether nobody answered yet or someone chose not to share.
    """
    if SHARED_ON_PAGE.absent(log.id):
        return []
    rows = db.session.execute(_SHARED_ON_LOG, {"log_id": log.id})
    return [SharedAnswer(rating, float(score), bool(top)) for rating, score, top in rows
            if can_read_client_rating(user, rating)]


# Whether the log of a page has a shared answer, read with the user (registered for the log page in
# app/__init__.py): most logs have none, and then shared_answers needs no statement.
SHARED_ON_PAGE = page_has("shared_answers", "log_id", lambda log_id: exists().where(
    ClientRating.log_id == log_id, ClientRating.shared.is_(True)))

# shared_answers' statement, built once per process (the log page asks it on every request).
_SHARED_ON_LOG = (
    select(ClientRating, client_score(), client_top())
    .where(ClientRating.log_id == bindparam("log_id", type_=Integer), ClientRating.shared.is_(True))
    .order_by(ClientRating.id)
)


def sdm_element(organisation_id: int) -> ElementEntry | None:
    """Shared decision-making as the organisation's catalogue holds it (cached: no query)."""
    return next((e for e in element_entries(organisation_id) if e.key == SDM), None)


def sdm_self_rating(log: PracticeLog) -> int | None:
    """The log's self-rating of shared decision-making, when the element was applied."""
    element = sdm_element(log.organisation_id)
    return next((pe.self_rating for pe in log.elements if element and pe.element_id == element.id), None)


HOME_DAYS = 91  # the home figures of self-rating and shared answers: the last 3 months (13 weeks)


def home_figures(user_id: int, organisation_id: int, today: date) -> HomeClientVoice:
    """Shared decision-making over the author's logs of the last HOME_DAYS days: their self-rating
    and the shared answers (with the self-rating on just those sessions); and the unshared answers
    in steps of three, over all their logs (a window that moves would let answers be told apart).

    The window keeps the cost to what is shown, not to how long someone has been logging.
    """
    start, end = today - timedelta(days=HOME_DAYS - 1), today + timedelta(days=1)
    element = sdm_element(organisation_id)
    own = element_stats_per_author([user_id], start, end).get(user_id, {})
    return HomeClientVoice(
        self_rating=own.get(element.id) if element else None,
        shared=client_ratings_per_author([user_id], shared=True, start=start, end=end).get(user_id),
        self_rating_on_shared=self_rating_beside_shared_answers(
            user_id, element.id, start, end) if element else None,
        unshared=unshared_figure(user_id),
    )


def unshared_figure(user_id: int) -> ClientRatingStats | None:
    """The answers not shared with the author, as one figure in steps of three over all their logs."""
    return unshared_client_rating(user_id)


@dataclass(frozen=True)
class ExportRow:
    log_id: int
    session_date: date
    rating: ClientRating
    score: float
    top: bool


def shared_answers_for_export(author_id: int) -> list[ExportRow]:
    """Every shared answer on the author's logs, by session date; unshared answers never appear."""
    rows = db.session.execute(
        select(PracticeLog.id, PracticeLog.session_date, ClientRating, client_score(), client_top())
        .join(ClientRating, ClientRating.log_id == PracticeLog.id)
        .where(PracticeLog.author_id == author_id, ClientRating.shared.is_(True))
        .order_by(PracticeLog.session_date, PracticeLog.id, ClientRating.id)
    )
    return [ExportRow(log_id, day, rating, float(score), bool(top))
            for log_id, day, rating, score, top in rows]
