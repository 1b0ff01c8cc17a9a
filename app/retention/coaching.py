"""Retention of coaching: coach feedback, observations and finished learning goals.

privacy.md names no period for these. Each records (or grows out of) practice, so each takes the
practice logs' period, 24 months by default, as its own setting. Their threads (replies, comments)
and in-app notifications go with them (the database cascades), and so do the notification mails
about them: such a mail names only the kind of news, so it is found by that subject, in every
language, to someone of the organisation, and goes once it is older than the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete, func, select

from app.auth.models import User
from app.clock import local_date
from app.coaching.models import CoachFeedback
from app.goals.models import LearningGoal
from app.mail.models import OutboxEmail
from app.notifications.services import SUBJECTS
from app.observations.models import Observation
from app.retention.cutoffs import at_months_before, deleted, months_before


def _notification_mails(organisation_id: int, kinds: Iterable[str], before: datetime) -> int:
    """Notification mails of these kinds (by subject, in every language) queued before `before`."""
    subjects: set[str] = set()
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            subjects |= {str(SUBJECTS[kind]) for kind in kinds}
    people = select(User.email_normalized).where(User.organisation_id == organisation_id)
    return deleted(delete(OutboxEmail).where(OutboxEmail.subject.in_(sorted(subjects)),
                                             func.lower(OutboxEmail.recipient).in_(people),
                                             OutboxEmail.created_at < before))


def purge_coach_feedback(organisation_id: int, now: datetime, months: int) -> int:
    """Feedback given more than `months` ago, with its replies and the mails about both."""
    before = at_months_before(now, months)
    gone = deleted(delete(CoachFeedback).where(CoachFeedback.organisation_id == organisation_id,
                                               CoachFeedback.created_at < before))
    return gone + _notification_mails(organisation_id, ("feedback", "reply"), before)


def purge_observations(organisation_id: int, now: datetime, months: int) -> int:
    """Observations of sessions more than `months` before today (Amsterdam), as for logs, with
    their ratings and comments; a mail about one goes once it is older than the period itself
    (written after the session, the observation it names has expired by then too)."""
    cutoff = months_before(local_date(now), months)
    gone = deleted(delete(Observation).where(Observation.organisation_id == organisation_id,
                                             Observation.session_date < cutoff))
    return gone + _notification_mails(organisation_id, ("observation", "comment"),
                                      at_months_before(now, months))


def purge_learning_goals(organisation_id: int, now: datetime, months: int) -> int:
    """Goals achieved, dropped or declined more than `months` ago, with their comments: `closed_at`
    is set exactly while a goal is closed (goals.services), so open goals and proposals stay, also
    one reopened. A mail about a goal goes once it is older than the period itself."""
    before = at_months_before(now, months)
    gone = deleted(delete(LearningGoal).where(LearningGoal.organisation_id == organisation_id,
                                              LearningGoal.closed_at < before))
    return gone + _notification_mails(organisation_id, ("goal_proposed", "goal_comment"), before)
