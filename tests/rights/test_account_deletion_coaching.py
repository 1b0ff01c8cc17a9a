"""Deleting an account and coaching, client voice: what is about the person goes (feedback they
received with its thread, observations of them, their goals, their rating links, their
notifications); what they gave others as a coach stays with those others, without their name; the
clients' answers about their sessions stay, so the team's client figures and their
minimum-group count do not change."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select

from app.clientvoice.models import ClientFeedbackRequest, ClientRating
from app.clock import local_today
from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest
from app.dashboards.queries import client_ratings_per_team
from app.db import db
from app.goals.models import GoalComment, LearningGoal
from app.notifications.models import Notification
from app.observations.models import Observation, ObservationComment
from app.practice.models import PracticeLog
from tests import factories
from tests.clientvoice.helpers import rating
from tests.rights import helpers


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _about(uid: int) -> dict[str, int]:
    """How many rows of each coaching and client-voice table are about the person."""
    own_logs = select(PracticeLog.id).where(PracticeLog.author_id == uid)
    own_feedback = select(CoachFeedback.id).where(CoachFeedback.practitioner_id == uid)
    own_observations = select(Observation.id).where(Observation.practitioner_id == uid)
    own_goals = select(LearningGoal.id).where(LearningGoal.owner_id == uid)
    return {
        "feedback": _count(CoachFeedback, CoachFeedback.practitioner_id == uid),
        "replies": _count(FeedbackReply, FeedbackReply.feedback_id.in_(own_feedback)),
        "requests": _count(FeedbackRequest, FeedbackRequest.practice_log_id.in_(own_logs)),
        "observations": _count(Observation, Observation.practitioner_id == uid),
        "observation_comments": _count(ObservationComment,
                                       ObservationComment.observation_id.in_(own_observations)),
        "goals": _count(LearningGoal, LearningGoal.owner_id == uid),
        "goal_comments": _count(GoalComment, GoalComment.goal_id.in_(own_goals)),
        "client_links": _count(ClientFeedbackRequest, ClientFeedbackRequest.practitioner_id == uid),
        "notifications": _count(Notification, or_(Notification.user_id == uid,
                                                  Notification.subject_id == uid)),
    }


def _client_figures(app, team_id: int):
    """The team's client cell as the dashboard counts it (all answers, contributors for rule k)."""
    today = local_today()  # logs are dated in Amsterdam, which is a day ahead just after midnight
    with app.app_context():
        return client_ratings_per_team([team_id], date(2000, 1, 1), today + timedelta(days=1)).get(team_id)


def test_deleting_an_account_removes_their_coaching_and_keeps_what_others_received(
        app, client, org, team, practitioner, coach):
    helpers.coaching_of(practitioner, coach, "mijn")
    colleague = factories.user(org, "collega@example.org", team=team, name="Collega")
    factories.coach_assignment(practitioner, colleague)  # the person is also someone's coach
    given = helpers.coaching_of(colleague, practitioner, "collega")
    proposal = helpers.propose_goal(practitioner, colleague, "collega: een voorstel van de coach")
    for i in range(3):  # five rated practitioners: the team's client cell is shown (k = 5)
        other = factories.user(org, f"p{i}@example.org", team=team)
        rating(factories.practice_log(other), (i, 2, 4), shared=bool(i % 2))
    with app.app_context():
        before = _about(practitioner.id)
        ratings = _count(ClientRating)
    assert all(before.values()), before  # every kind is there to be deleted
    figures = _client_figures(app, team.id)
    assert figures is not None and figures.contributors == 5

    client.login_as(practitioner)
    done = client.submit("/account/my-data/delete", {"password": factories.PASSWORD, "confirm": "y"})
    assert done.status_code == 302

    with app.app_context():
        assert _about(practitioner.id) == dict.fromkeys(before, 0)
        assert _count(ClientRating) == ratings  # numbers only, no name: they keep counting
        kept = db.session.get(CoachFeedback, given.feedback.id)
        assert kept is not None and kept.coach_id is None and kept.keep_doing == "collega: blijf doorvragen"
        assert db.session.scalars(select(FeedbackReply.author_id).where(
            FeedbackReply.feedback_id == kept.id).order_by(FeedbackReply.id)).all() == [colleague.id, None]
        assert db.session.get(Observation, given.observation.id).coach_id is None
        assert db.session.scalars(select(GoalComment.author_id).where(
            GoalComment.goal_id == given.goal.id)).all() == [None]
        assert db.session.get(LearningGoal, proposal.id).proposed_by_id is None
        assert _about(colleague.id)["feedback"] == 1 and _about(colleague.id)["client_links"] == 1
    assert _client_figures(app, team.id) == figures

    client.login_as(colleague)  # the colleague keeps reading what they received, from "a former coach"
    page = client.get(f"/coaching/feedback/{given.feedback.id}")
    assert page.status_code == 200 and "Een vroegere coach" in page.text
    assert "collega: de coach antwoordt" in page.text and "Practitioner" not in page.text
    assert client.get(f"/coaching/observations/{given.observation.id}").status_code == 200
