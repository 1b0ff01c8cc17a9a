"""The client-voice part of the personal-data ZIP, under the same rule as the app's own pages.

A client's answer that was shared with the practitioner is here one by one, as on the log; the
answers not shared with them only as the figure their home page shows (from three answers on, in
whole steps of three: dashboards.queries.unshared_client_rating), never one by one. Their requests
for a rating are here without whether, or when, a link was used: that would tell a private
answer apart from no answer, which the app never shows either.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.clientvoice.models import ITEMS, ClientFeedbackRequest
from app.clientvoice.queries import shared_answers_for_export
from app.dashboards.queries import unshared_client_rating
from app.db import db
from app.rights.rows import Rows


def client_ratings(user: User) -> Rows:
    """The answers about their sessions that the client shared with them, by session date."""
    return [{"log_id": row.log_id, "session_date": row.session_date, "respondent": row.rating.respondent,
             "channel": row.rating.channel, **{item: getattr(row.rating, item) for item in ITEMS},
             "score": round(row.score, 1), "top_score": row.top}
            for row in shared_answers_for_export(user.id)]


def client_ratings_not_shared(user: User) -> Rows:
    """The answers not shared with them: one aggregate row (or none, below three answers)."""
    stats = unshared_client_rating(user.id)
    if stats is None:
        return []
    return [{"responses": stats.responses, "mean_score": round(stats.mean, 1),
             "top_score_rate": round(stats.top_rate, 3)}]


def client_feedback_requests(user: User) -> Rows:
    """The links and hand-overs they made to ask for a rating: which log, how, when, until when."""
    found = db.session.execute(
        select(ClientFeedbackRequest.log_id, ClientFeedbackRequest.channel, ClientFeedbackRequest.created_at,
               ClientFeedbackRequest.expires_at)
        .where(ClientFeedbackRequest.practitioner_id == user.id)
        .order_by(ClientFeedbackRequest.created_at, ClientFeedbackRequest.id))
    return [{"log_id": log_id, "channel": channel, "created_at": created, "expires_at": expires}
            for log_id, channel, created, expires in found]
