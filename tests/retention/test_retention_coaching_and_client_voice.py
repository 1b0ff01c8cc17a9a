"""Retention of coaching and client voice, per kind, on hand-made data at a fixed `now`: what expired
goes (with its thread, its notifications and the mails about it), the rest stays, another
organisation keeps its own period, a second run deletes nothing, and the count is in the access log.

With the default of 24 months and NOW on 1 June 2026, a session dated 31 May 2024 has expired and
one of 1 June 2024 has not; a moment counts back to 1 June 2024, 10:00 UTC.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.coaching import services as coaching
from app.coaching.models import CoachFeedback, FeedbackReply
from app.db import db
from app.goals import services as goals
from app.goals.models import GoalComment, LearningGoal
from app.mail.models import OutboxEmail
from app.notifications.models import Notification
from app.observations import services as observations
from app.observations.models import Observation, ObservationComment, ObservationElement
from app.practice.models import PracticeLog
from app.privacy.models import AccessLog
from app.retention.jobs import apply_retention
from app.retention.models import RetentionPeriod
from app.scheduler import run_job
from tests import factories
from tests.clientvoice.helpers import rating
from tests.coaching import helpers

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EXPIRED = datetime(2024, 5, 31, 10, 0, tzinfo=UTC)  # 24 months and a day before NOW
KEPT = datetime(2024, 6, 2, 10, 0, tzinfo=UTC)
OLD_DAY, KEPT_DAY = date(2024, 5, 31), date(2024, 6, 1)


@pytest.fixture
def elsewhere(other_org):
    """A practitioner and their coach in another organisation, which keeps everything 36 months."""
    team = factories.team(other_org, "Team West")
    practitioner = factories.user(other_org, "elders@example.org", team=team)
    coach = factories.user(other_org, "coach.elders@example.org")
    factories.coach_assignment(coach, practitioner)
    with factories.committed() as s:
        s.add_all(RetentionPeriod(organisation_id=other_org.id, kind=kind, months=36) for kind in (
            "client_voice", "client_feedback_request", "practice_log", "coach_feedback", "observation",
            "learning_goal"))
    return practitioner, coach


def _ids(app, model, *where) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(model.id).where(*where)))


def _mail(to: str, subject: str, at: datetime) -> int:
    with factories.committed() as s:
        mail = OutboxEmail(recipient=to, subject=subject, body="", created_at=at, next_attempt_at=at,
                           sent_at=at)
        s.add(mail)
        s.flush()
        return mail.id


def _runs(app, kind: str, org_id: int) -> list[int]:
    """The count of `kind` in each retention run's access-log row of the organisation."""
    with app.app_context():
        details = db.session.scalars(select(AccessLog.detail).where(
            AccessLog.action == "retention", AccessLog.organisation_id == org_id).order_by(AccessLog.id))
        return [int(dict(part.split("=") for part in d.split(","))[kind]) for d in details]


def _twice(app, org, other_org, kind: str, expected: int) -> None:
    """Run the job twice at NOW: the first run deletes `expected` rows of `kind` in `org` (nothing
    in the other organisation), the second nothing anywhere; both counts are in the access log."""
    first = run_job(app, apply_retention, NOW)
    assert first[org.id][kind] == expected and first[other_org.id][kind] == 0
    second = run_job(app, apply_retention, NOW)
    assert all(n == 0 for counts in second.values() for n in counts.values())
    assert _runs(app, kind, org.id) == [expected, 0]


def _feedback_on_new_log(practitioner, coach, at: datetime) -> CoachFeedback:
    log = factories.practice_log(practitioner, session_date=date(2026, 5, 1))
    helpers.ask(log, practitioner, coach, now=at)
    return helpers.feedback(coach, log, now=at)


def _reply(actor, feedback: CoachFeedback, at: datetime) -> None:
    with factories.committed() as s:
        coaching.reply_to_feedback(factories.get(s, type(actor), actor.id),
                                   factories.get(s, CoachFeedback, feedback.id), "Dank je, ik probeer het.",
                                   at)


def test_coach_feedback_goes_after_its_period_with_its_thread_and_mails(
        app, org, other_org, practitioner, coach, elsewhere):
    old = _feedback_on_new_log(practitioner, coach, EXPIRED)
    _reply(practitioner, old, KEPT)  # a later reply does not keep old feedback alive
    kept = _feedback_on_new_log(practitioner, coach, KEPT)
    _reply(coach, kept, KEPT)
    theirs = _feedback_on_new_log(*elsewhere, EXPIRED)  # 36 months there
    old_mails = [_mail(practitioner.email, "Je coach heeft je feedback gegeven", EXPIRED),
                 _mail(coach.email.upper(), "There is a new reply about feedback", EXPIRED)]
    kept_mails = [_mail(practitioner.email, "Je coach heeft je feedback gegeven", KEPT),
                  _mail(practitioner.email, "Je hebt een nieuwe reflectievraag", EXPIRED),  # another kind
                  _mail(elsewhere[0].email, "Je coach heeft je feedback gegeven", EXPIRED)]

    _twice(app, org, other_org, "coach_feedback", 1 + len(old_mails))
    assert _ids(app, CoachFeedback) == {kept.id, theirs.id}
    with app.app_context():
        assert set(db.session.scalars(select(FeedbackReply.feedback_id))) == {kept.id}
        about = set(db.session.scalars(select(Notification.feedback_id)
                                       .where(Notification.feedback_id.is_not(None))))
        assert about == {kept.id, theirs.id}  # the notifications of the old one went with it
        assert len(db.session.scalars(select(PracticeLog.id)).all()) == 3  # the logs have their own period
    assert _ids(app, OutboxEmail, OutboxEmail.id.in_(old_mails + kept_mails)) == set(kept_mails)


def _observe(coach, practitioner, day: date):
    return helpers.observation(coach, practitioner, session_date=day, now=NOW)


def test_observations_go_after_their_period_with_ratings_comments_and_mails(
        app, org, other_org, practitioner, coach, elsewhere):
    old = _observe(coach, practitioner, OLD_DAY)
    with factories.committed() as s:
        observations.comment_on_observation(factories.get(s, type(practitioner), practitioner.id),
                                            factories.get(s, Observation, old.id), "Klopt, dank je.", NOW)
    kept = _observe(coach, practitioner, KEPT_DAY)
    theirs = _observe(elsewhere[1], elsewhere[0], OLD_DAY)
    old_mail = _mail(practitioner.email, "Your coach has recorded an observation", EXPIRED)
    kept_mail = _mail(practitioner.email, "Er is een nieuwe reactie op een observatie", KEPT)

    _twice(app, org, other_org, "observation", 2)
    assert _ids(app, Observation) == {kept.id, theirs.id}
    with app.app_context():
        assert set(db.session.scalars(select(ObservationElement.observation_id))) == {kept.id, theirs.id}
        assert db.session.scalars(select(ObservationComment)).all() == []
        about = set(db.session.scalars(select(Notification.observation_id)
                                       .where(Notification.observation_id.is_not(None))))
        assert about == {kept.id, theirs.id}
    assert _ids(app, OutboxEmail) >= {kept_mail} and old_mail not in _ids(app, OutboxEmail)


def _set(owner, goal: LearningGoal, status: str, at: datetime) -> None:
    with factories.committed() as s:
        goals.set_status(factories.get(s, type(owner), owner.id), factories.get(s, LearningGoal, goal.id),
                         status, at)


def _goal(owner, status: str, at: datetime) -> LearningGoal:
    """A goal set at `at`, then achieved or dropped at `at` through the real service (or left open)."""
    goal = helpers.goal(owner, created_at=at)
    if status != "open":
        _set(owner, goal, status, at)
    return goal


def _proposal(coach, coachee, at: datetime, *, decline: bool) -> LearningGoal:
    with factories.committed() as s:
        actor, owner = factories.get(s, type(coach), coach.id), factories.get(s, type(coachee), coachee.id)
        data = goals.GoalInput(factories.element_ids()["emotion_regulation"], "Eerst benoemen.",
                               at.date() + timedelta(weeks=6))
        goal = goals.propose_goal(actor, owner, data, at)
        if decline:
            goals.answer_proposal(owner, goal, False, at)
        return goal


def test_finished_learning_goals_go_after_their_period_open_ones_stay(
        app, org, other_org, practitioner, coach, elsewhere):
    achieved, dropped = _goal(practitioner, "achieved", EXPIRED), _goal(practitioner, "dropped", EXPIRED)
    declined = _proposal(coach, practitioner, EXPIRED, decline=True)
    with factories.committed() as s:
        goals.comment_on_goal(factories.get(s, type(coach), coach.id),
                              factories.get(s, LearningGoal, achieved.id), "Goed gedaan!", KEPT)
    reopened = _goal(practitioner, "achieved", EXPIRED)
    _set(practitioner, reopened, "open", KEPT)
    kept = {
        reopened.id,
        _goal(practitioner, "achieved", KEPT).id,
        _goal(practitioner, "open", EXPIRED).id,  # open goals stay, however old
        _proposal(coach, practitioner, EXPIRED, decline=False).id,  # so does an unanswered proposal
        _goal(elsewhere[0], "achieved", EXPIRED).id,
    }
    old_mail = _mail(practitioner.email, "Je coach stelt een leerdoel voor", EXPIRED)
    kept_mail = _mail(practitioner.email, "Er is een nieuwe reactie op een leerdoel", KEPT)

    _twice(app, org, other_org, "learning_goal", 4)
    assert achieved.id not in _ids(app, LearningGoal) and dropped.id not in _ids(app, LearningGoal)
    assert _ids(app, LearningGoal) == kept and declined.id not in kept
    with app.app_context():
        assert db.session.scalars(select(GoalComment)).all() == []
        about = set(db.session.scalars(select(Notification.goal_id).where(Notification.goal_id.is_not(None))))
        assert about <= kept and declined.id not in about
    assert kept_mail in _ids(app, OutboxEmail) and old_mail not in _ids(app, OutboxEmail)


def test_client_ratings_go_with_the_age_of_their_session_even_while_the_log_stays(
        app, org, other_org, practitioner, elsewhere):
    with factories.committed() as s:  # here logs are kept longer than the clients' answers
        s.add(RetentionPeriod(organisation_id=org.id, kind="practice_log", months=48))
    old_log = factories.practice_log(practitioner, session_date=OLD_DAY)
    kept_log = factories.practice_log(practitioner, session_date=KEPT_DAY)
    theirs_log = factories.practice_log(elsewhere[0], session_date=OLD_DAY)
    for shared in (True, False):
        rating(old_log, (4, 4, 4), shared=shared)
    kept = {rating(kept_log, (3, 2, 1), shared=False).id, rating(theirs_log, (1, 1, 1), shared=True).id}

    _twice(app, org, other_org, "client_voice", 2)
    assert _ids(app, ClientRating) == kept
    assert {old_log.id, kept_log.id, theirs_log.id} <= _ids(app, PracticeLog)


def _request(log, practitioner, expires_at: datetime, *, used: bool, channel: str = "link") -> int:
    with factories.committed() as s:
        row = ClientFeedbackRequest(
            log_id=log.id, practitioner_id=practitioner.id, channel=channel,
            token_hash=secrets.token_hex(32) if channel == "link" else None,
            created_at=expires_at - timedelta(days=7), expires_at=expires_at,
            used_at=expires_at - timedelta(days=1) if used else None)
        s.add(row)
        s.flush()
        return row.id


def test_client_feedback_requests_go_once_they_expired_longer_ago_than_the_period(
        app, org, other_org, practitioner, elsewhere):
    log = factories.practice_log(practitioner, session_date=date(2026, 5, 1))
    gone = {_request(log, practitioner, EXPIRED, used=False), _request(log, practitioner, EXPIRED, used=True),
            _request(log, practitioner, EXPIRED, used=True, channel="handover")}
    theirs_log = factories.practice_log(elsewhere[0], session_date=date(2026, 5, 1))
    kept = {_request(log, practitioner, KEPT, used=False),
            _request(log, practitioner, NOW + timedelta(days=3), used=False),  # still works
            _request(theirs_log, elsewhere[0], EXPIRED, used=False)}

    _twice(app, org, other_org, "client_feedback_request", len(gone))
    assert _ids(app, ClientFeedbackRequest) == kept
    assert log.id in _ids(app, PracticeLog)
