"""A coaching world: a practitioner, her running coach, another coach, a former coach, a lead, an
admin, a privacy officer and someone of another organisation, with items shared for feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from app.db import utcnow
from tests import factories
from tests.coaching import helpers

ROLES = (
    "practitioner",
    "coach",
    "other_coach",
    "former_coach",
    "lead",
    "admin",
    "privacy_officer",
    "stranger",
)


@dataclass(frozen=True)
class World:
    users: dict[str, Any]
    plain_log: Any  # nobody is asked about it
    log: Any  # asked to the coach, not answered yet
    answered_log: Any  # asked and answered: `feedback`
    feedback: Any
    reflection: Any  # shared with the coach
    former_feedback: Any  # by the former coach, before the coaching ended
    observation: Any
    former_observation: Any
    goal: Any
    proposal: Any  # proposed by the coach, not answered


@pytest.fixture
def world(org: Any, team: Any, practitioner: Any, coach: Any, lead: Any, admin: Any, privacy_officer: Any,
          other_org: Any) -> World:
    earlier = utcnow() - timedelta(days=30)
    other_coach = factories.user(org, "other.coach@example.org", name="Olga Andere")
    someone = factories.user(org, "someone@example.org", team=team)
    factories.coach_assignment(other_coach, someone)
    former = factories.user(org, "former.coach@example.org", name="Frits Vroeger")
    factories.coach_assignment(former, practitioner, started_at=earlier)
    stranger = factories.user(other_org, "stranger@other.example.org", org_roles=["admin"])

    plain_log = factories.practice_log(practitioner)
    log = factories.practice_log(practitioner, note="Over samen beslissen")
    helpers.ask(log, practitioner, coach)
    answered = factories.practice_log(
        practitioner, ratings={"emotion_regulation": 3}, techniques=("er_validated",)
    )
    helpers.ask(answered, practitioner, coach)
    feedback = helpers.feedback(coach, answered)
    reflection = factories.reflection(practitioner, answers={"action": "Gedeeld met mijn coach"})
    factories.share(reflection, coach)
    old_log = factories.practice_log(practitioner, session_date=earlier.date())
    helpers.ask(old_log, practitioner, former, now=earlier)
    former_feedback = helpers.feedback(former, old_log, now=earlier + timedelta(days=1))
    former_observation = helpers.observation(former, practitioner, now=earlier + timedelta(days=1))
    helpers.end_coaching(former, practitioner, utcnow() - timedelta(days=1))
    observation = helpers.observation(coach, practitioner, log=answered, ratings={"emotion_regulation": 4})
    goal = helpers.goal(practitioner)
    with factories.committed() as s:
        from app.auth.models import User
        from app.goals import services as goal_services

        proposal = goal_services.propose_goal(
            factories.get(s, User, coach.id),
            factories.get(s, User, practitioner.id),
            goal_services.GoalInput(
                factories.element_ids()["problem_solving"],
                "Een rollenspel doen.",
                utcnow().date() + timedelta(weeks=4),
            ),
            utcnow(),
        )
    users = {
        "practitioner": practitioner,
        "coach": coach,
        "other_coach": other_coach,
        "former_coach": former,
        "lead": lead,
        "admin": admin,
        "privacy_officer": privacy_officer,
        "stranger": stranger,
    }
    return World(
        users,
        plain_log,
        log,
        answered,
        feedback,
        reflection,
        former_feedback,
        observation,
        former_observation,
        goal,
        proposal,
    )
