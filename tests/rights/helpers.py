"""Coaching and client voice around a person, made through the real services, for the my-data tests.

Every text written to or about `person` starts with their `tag`, so a test can tell whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.auth.models import User
from app.clientvoice import services as clientvoice
from app.coaching import services as coaching
from app.coaching.models import CoachFeedback
from app.db import utcnow
from app.goals import services as goals
from app.goals.models import LearningGoal
from app.observations import services as observations
from app.observations.models import Observation
from app.practice.models import PracticeLog
from tests import factories
from tests.clientvoice.helpers import rating
from tests.coaching import helpers

# One answer shared with the practitioner, then four that were not: the export shows the first one
# by one and the next only as the aggregate of the first three (never the fourth, never one alone).
SHARED = (4, 4, 4)
NOT_SHARED = ((0, 1, 2), (1, 1, 1), (2, 2, 2), (0, 0, 0))


@dataclass
class Coaching:
    feedback: CoachFeedback
    observation: Observation
    goal: LearningGoal
    log: PracticeLog  # the log with feedback and an observation
    rated_log: PracticeLog


def _in(s: Any, user: Any) -> User:
    return factories.get(s, User, user.id)


def reply(actor: Any, feedback: Any, body: str, now: datetime | None = None) -> None:
    with factories.committed() as s:
        coaching.reply_to_feedback(_in(s, actor), factories.get(s, CoachFeedback, feedback.id), body,
                                   now or utcnow())


def comment_on_observation(actor: Any, observation: Any, body: str) -> None:
    with factories.committed() as s:
        observations.comment_on_observation(_in(s, actor), factories.get(s, Observation, observation.id),
                                            body, utcnow())


def comment_on_goal(actor: Any, goal: Any, body: str) -> None:
    with factories.committed() as s:
        goals.comment_on_goal(_in(s, actor), factories.get(s, LearningGoal, goal.id), body, utcnow())


def propose_goal(coach: Any, coachee: Any, text: str) -> LearningGoal:
    with factories.committed() as s:
        data = goals.GoalInput(factories.element_ids()["emotion_regulation"], text,
                               utcnow().date() + timedelta(weeks=6))
        return goals.propose_goal(_in(s, coach), _in(s, coachee), data, utcnow())


def ask_client(person: Any, log: Any) -> None:
    with factories.committed() as s:
        clientvoice.create_link(_in(s, person), factories.get(s, PracticeLog, log.id), utcnow())


def coaching_of(person: Any, coach: Any, tag: str) -> Coaching:
    """Feedback on a log (with a reply each way), an observation with a comment, a learning goal
    with a comment, and a rated log with a rating link: all of `person`, coached by `coach`."""
    log = factories.practice_log(person, note=f"{tag} log met feedback")
    helpers.ask(log, person, coach)
    feedback = helpers.feedback(coach, log, keep_doing=f"{tag}: blijf doorvragen",
                                free_text=f"{tag}: vrije tekst van de coach")
    reply(person, feedback, f"{tag}: mijn antwoord op de feedback")
    reply(coach, feedback, f"{tag}: de coach antwoordt")
    observation = helpers.observation(coach, person, log=log)
    comment_on_observation(coach, observation, f"{tag}: de coach over de observatie")
    goal = helpers.goal(person, text=f"{tag}: eerst het gevoel benoemen")
    comment_on_goal(coach, goal, f"{tag}: de coach over het leerdoel")
    rated = factories.practice_log(person, note=f"{tag} beoordeeld gesprek")
    ask_client(person, rated)
    rating(rated, SHARED, shared=True)
    for items in NOT_SHARED:
        rating(rated, items, shared=False)
    return Coaching(feedback, observation, goal, log, rated)
