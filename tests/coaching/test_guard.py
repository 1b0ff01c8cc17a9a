"""Every new free-text field goes through the privacy guard: in the form (the text stays, nothing is
saved) and in the service (a caller without the form is refused too)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.coaching import services
from app.coaching.models import CoachFeedback, FeedbackReply
from app.db import utcnow
from app.goals import services as goal_services
from app.goals.models import GoalComment, LearningGoal
from app.observations import services as observation_services
from app.observations.models import Observation, ObservationComment
from app.services import ServiceError
from tests import factories
from tests.coaching import helpers
from tests.coaching.helpers import BSN

TEXT = f"Moeder gaf haar BSN {BSN} door."
MESSAGE = f"Dit lijkt op een burgerservicenummer (BSN): {BSN}"


def _feedback_form(field: str) -> dict[str, Any]:
    return {"keep_doing": "Goed.", "element_id": factories.element_ids()["shared_decision_making"]} | {
        field: TEXT
    }


def _goal_form() -> dict[str, Any]:
    return {
        "text": TEXT,
        "element_id": factories.element_ids()["problem_solving"],
        "technique_id": 0,
        "target_date": (date.today() + timedelta(weeks=2)).isoformat(),
    }


def _observation_form() -> dict[str, Any]:
    return {
        "session_date": date.today().isoformat(),
        "source": "live",
        "practice_log_id": 0,
        "applied_problem_solving": "y",
        "rating_problem_solving": "3",
        "note": TEXT,
    }


# (who posts, url, form data, model whose rows must not grow)
CASES = {
    **{
        f"feedback_{field}": (
            "coach",
            "/coaching/logs/{w.log.id}/feedback",
            lambda w, f=field: _feedback_form(f),
            CoachFeedback,
        )
        for field in ("keep_doing", "work_on", "next_step", "free_text")
    },
    "reply": (
        "practitioner",
        "/coaching/feedback/{w.feedback.id}/reply",
        lambda w: {"body": TEXT},
        FeedbackReply,
    ),
    "observation_note": (
        "coach",
        "/coaching/{w.users[practitioner].id}/observations/new",
        lambda w: _observation_form(),
        Observation,
    ),
    "observation_comment": (
        "practitioner",
        "/coaching/observations/{w.observation.id}/comments",
        lambda w: {"body": TEXT},
        ObservationComment,
    ),
    "goal_text": ("practitioner", "/goals/new", lambda w: _goal_form(), LearningGoal),
    "proposed_goal_text": (
        "coach",
        "/goals/propose/{w.users[practitioner].id}",
        lambda w: _goal_form(),
        LearningGoal,
    ),
    "goal_edit": ("practitioner", "/goals/{w.goal.id}/edit", lambda w: _goal_form(), LearningGoal),
    "goal_comment": ("coach", "/goals/{w.goal.id}/comments", lambda w: {"body": TEXT}, GoalComment),
}


@pytest.mark.parametrize("name", CASES)
def test_the_form_refuses_client_identifiers_and_keeps_the_text(client, world, name):
    who, url, data, model = CASES[name]
    before = helpers.count(model)
    client.login_as(world.users[who])
    response = client.submit(url.format(w=world), data(world))
    assert response.status_code == 400
    assert MESSAGE in response.text
    assert TEXT in response.text  # what they typed is still there, to rephrase
    assert helpers.count(model) == before
    assert helpers.count(LearningGoal, LearningGoal.text == TEXT) == 0


def _call(world, name):
    from app.auth.models import User
    from app.coaching.models import CoachFeedback as Feedback
    from app.observations.models import Observation as Obs
    from app.practice.models import PracticeLog

    ids = factories.element_ids()
    with factories.committed() as s:
        practitioner, coach = (s.get(User, world.users[k].id) for k in ("practitioner", "coach"))
        goal = s.get(LearningGoal, world.goal.id)
        goal_input = goal_services.GoalInput(ids["problem_solving"], TEXT, date.today() + timedelta(weeks=2))
        calls = {
            **{
                f"feedback_{f}": lambda f=f: services.give_feedback_on_log(
                    coach,
                    s.get(PracticeLog, world.log.id),
                    services.FeedbackInput(element_id=ids["problem_solving"], **{f: TEXT}),
                    utcnow(),
                )
                for f in ("keep_doing", "work_on", "next_step", "free_text")
            },
            "reply": lambda: services.reply_to_feedback(
                practitioner, s.get(Feedback, world.feedback.id), TEXT, utcnow()
            ),
            "observation_note": lambda: observation_services.record_observation(
                coach,
                practitioner,
                observation_services.ObservationInput(
                    date.today(), "live", {ids["problem_solving"]: 3}, note=TEXT
                ),
                utcnow(),
            ),
            "observation_comment": lambda: observation_services.comment_on_observation(
                practitioner, s.get(Obs, world.observation.id), TEXT, utcnow()
            ),
            "goal_text": lambda: goal_services.create_goal(practitioner, goal_input, utcnow()),
            "proposed_goal_text": lambda: goal_services.propose_goal(
                coach, practitioner, goal_input, utcnow()
            ),
            "goal_edit": lambda: goal_services.update_goal(practitioner, goal, goal_input, utcnow()),
            "goal_comment": lambda: goal_services.comment_on_goal(coach, goal, TEXT, utcnow()),
        }
        with pytest.raises(ServiceError) as refused:
            calls[name]()
        s.rollback()
    return refused.value


@pytest.mark.parametrize("name", CASES)
def test_the_service_refuses_client_identifiers_without_the_form(app, world, name):
    refused = _call(world, name)
    assert BSN in refused.message
    assert refused.field in ("keep_doing", "work_on", "next_step", "free_text", "body", "note", "text")
