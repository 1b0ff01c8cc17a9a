"""Retention of client voice: the clients' answers, and the links and hand-overs that asked for them.

There is no mail to delete with them: a link is handed to the client by the practitioner, never
sent by the app.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.clock import local_date
from app.practice.models import PracticeLog
from app.retention.cutoffs import at_months_before, deleted, months_before


def purge_client_ratings(organisation_id: int, now: datetime, months: int) -> int:
    """Answers about sessions more than `months` before today (Amsterdam). An answer keeps no time
    of its own (so that it cannot be traced to when a link was used): it ages with its session."""
    cutoff = months_before(local_date(now), months)
    old_logs = select(PracticeLog.id).where(PracticeLog.organisation_id == organisation_id,
                                            PracticeLog.session_date < cutoff)
    return deleted(delete(ClientRating).where(ClientRating.log_id.in_(old_logs)))


def purge_client_requests(organisation_id: int, now: datetime, months: int) -> int:
    """Links and hand-overs that stopped working (used or not) more than `months` ago.

    privacy.md names no period for them; they are part of client voice, so its period (24 months
    by default) counts from the moment the link or hand-over expired.
    """
    logs = select(PracticeLog.id).where(PracticeLog.organisation_id == organisation_id)
    before = at_months_before(now, months)
    return deleted(delete(ClientFeedbackRequest).where(ClientFeedbackRequest.log_id.in_(logs),
                                                       ClientFeedbackRequest.expires_at < before))
