"""Who may ask for, give, read and answer feedback, observations and learning goals: one table.

Every action of the coaching pages is tried by every actor of the world (conftest.py): the
practitioner, her running coach, another coach, a former coach (ended assignment), her team lead,
an admin, a privacy officer, and an admin of another organisation. Allowed actors get the page
(or their change is saved); everyone else gets 404 and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest
from app.db import utcnow
from app.goals.models import GoalComment, LearningGoal
from app.observations.models import Observation, ObservationComment
from app.reflection.models import ReflectionShare
from tests import factories
from tests.coaching import helpers
from tests.coaching.conftest import ROLES, World

P, C = "practitioner", "coach"
HIDDEN = 404


def _feedback_form(w: World) -> dict[str, Any]:
    return {
        "keep_doing": "Goed doorgevraagd.",
        "next_step": "Vraag naar hun voorkeur.",
        "element_id": str(factories.element_ids()["shared_decision_making"]),
    }


def _goal_form(w: World) -> dict[str, Any]:
    return {
        "text": "Een nieuwe tekst voor het doel.",
        "element_id": str(factories.element_ids()["problem_solving"]),
        "technique_id": "0",
        "target_date": (utcnow().date() + timedelta(weeks=3)).isoformat(),
    }


def _observation_form(w: World) -> dict[str, Any]:
    return {
        "session_date": utcnow().date().isoformat(),
        "source": "recording",
        "practice_log_id": "0",
        "applied_problem_solving": "y",
        "rating_problem_solving": "2",
    }


@dataclass(frozen=True)
class Action:
    method: str
    url: str  # formatted with w (the world) and u (its users)
    allowed: frozenset[str]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # A number that grows by one when the action is done (POST only).
    effect: Callable[[World], int] | None = None
    status: dict[str, int] = field(default_factory=dict)  # allowed actors' status, when not 200/302


def _(*roles: str) -> frozenset[str]:
    return frozenset(roles)


ACTIONS: dict[str, Action] = {
    # asking for feedback on a log (the practitioner), and withdrawing it
    "ask_on_log": Action(
        "POST",
        "/coaching/logs/{w.plain_log.id}/ask",
        _(P),
        lambda w: {"coach_id": w.users[C].id},
        lambda w: helpers.count(FeedbackRequest, FeedbackRequest.practice_log_id == w.plain_log.id),
    ),
    "withdraw_ask": Action(
        "POST",
        "/coaching/logs/{w.log.id}/withdraw/{u[coach].id}",
        _(P),
        effect=lambda w: helpers.count(
            FeedbackRequest,
            FeedbackRequest.withdrawn_at.is_not(None),
            FeedbackRequest.practice_log_id == w.log.id,
        ),
    ),
    # giving feedback (the running coach who is asked)
    "give_page_log": Action("GET", "/coaching/logs/{w.log.id}/feedback", _(C)),
    "give_page_unasked_log": Action("GET", "/coaching/logs/{w.plain_log.id}/feedback", _()),
    "give_on_log": Action(
        "POST",
        "/coaching/logs/{w.log.id}/feedback",
        _(C),
        _feedback_form,
        lambda w: helpers.count(CoachFeedback, CoachFeedback.practice_log_id == w.log.id),
    ),
    "give_page_reflection": Action("GET", "/coaching/reflections/{w.reflection.id}/feedback", _(C)),
    "give_on_reflection": Action(
        "POST",
        "/coaching/reflections/{w.reflection.id}/feedback",
        _(C),
        _feedback_form,
        lambda w: helpers.count(CoachFeedback, CoachFeedback.reflection_id == w.reflection.id),
    ),
    # the feedback thread
    "read_feedback": Action("GET", "/coaching/feedback/{w.feedback.id}", _(P, C)),
    "reply": Action(
        "POST",
        "/coaching/feedback/{w.feedback.id}/reply",
        _(P, C),
        lambda w: {"body": "Dank je."},
        lambda w: helpers.count(FeedbackReply, FeedbackReply.feedback_id == w.feedback.id),
    ),
    "acknowledge": Action(
        "POST",
        "/coaching/feedback/{w.feedback.id}/acknowledge",
        _(P),
        lambda w: {"answer": "seen"},
        lambda w: helpers.count(
            CoachFeedback, CoachFeedback.id == w.feedback.id, CoachFeedback.acknowledgement.is_not(None)
        ),
    ),
    "read_former_feedback": Action("GET", "/coaching/feedback/{w.former_feedback.id}", _(P)),
    "reply_to_former_feedback": Action(
        "POST",
        "/coaching/feedback/{w.former_feedback.id}/reply",
        _(),
        lambda w: {"body": "Nog een vraag."},
        lambda w: helpers.count(FeedbackReply, FeedbackReply.feedback_id == w.former_feedback.id),
    ),
    # observations
    "coachee_page": Action("GET", "/coaching/{u[practitioner].id}", _(C)),
    "coachee_logs": Action("GET", "/coaching/{u[practitioner].id}/logs", _(P, C), status={P: 302}),
    "observe_page": Action("GET", "/coaching/{u[practitioner].id}/observations/new", _(C)),
    "observe": Action(
        "POST",
        "/coaching/{u[practitioner].id}/observations/new",
        _(C),
        _observation_form,
        lambda w: helpers.count(Observation),
    ),
    "read_observation": Action("GET", "/coaching/observations/{w.observation.id}", _(P, C)),
    "comment_on_observation": Action(
        "POST",
        "/coaching/observations/{w.observation.id}/comments",
        _(P, C),
        lambda w: {"body": "Herkenbaar."},
        lambda w: helpers.count(ObservationComment, ObservationComment.observation_id == w.observation.id),
    ),
    "read_former_observation": Action("GET", "/coaching/observations/{w.former_observation.id}", _(P)),
    # learning goals
    "read_goal": Action("GET", "/goals/{w.goal.id}", _(P, C)),
    "read_proposal": Action("GET", "/goals/{w.proposal.id}", _(P, C)),
    "edit_goal_page": Action("GET", "/goals/{w.goal.id}/edit", _(P)),
    "edit_goal": Action(
        "POST",
        "/goals/{w.goal.id}/edit",
        _(P),
        _goal_form,
        lambda w: helpers.count(LearningGoal, LearningGoal.text == "Een nieuwe tekst voor het doel."),
    ),
    "goal_achieved": Action(
        "POST",
        "/goals/{w.goal.id}/status",
        _(P),
        lambda w: {"status": "achieved"},
        lambda w: helpers.count(LearningGoal, LearningGoal.status == "achieved"),
    ),
    "accept_proposal": Action(
        "POST",
        "/goals/{w.proposal.id}/answer",
        _(P),
        lambda w: {"answer": "accept"},
        lambda w: helpers.count(LearningGoal, LearningGoal.status == "open"),
    ),
    "comment_on_goal": Action(
        "POST",
        "/goals/{w.goal.id}/comments",
        _(P, C),
        lambda w: {"body": "Lukt al beter."},
        lambda w: helpers.count(GoalComment, GoalComment.goal_id == w.goal.id),
    ),
    "propose_page": Action("GET", "/goals/propose/{u[practitioner].id}", _(C)),
    "propose": Action(
        "POST",
        "/goals/propose/{u[practitioner].id}",
        _(C),
        _goal_form,
        lambda w: helpers.count(LearningGoal, LearningGoal.status == "proposed"),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTIONS)
def test_coaching_permissions(client, world, name, role):
    action = ACTIONS[name]
    url = action.url.format(w=world, u=world.users)
    before = action.effect(world) if action.effect else None
    client.login_as(world.users[role])
    get = action.method == "GET"
    response = client.get(url) if get else client.submit(url, action.data(world))
    allowed = role in action.allowed
    expected = action.status.get(role, 200 if action.method == "GET" else 302) if allowed else HIDDEN
    assert response.status_code == expected, response.text[:300]
    if action.effect is not None:
        assert action.effect(world) == before + (1 if allowed else 0)


def test_the_table_covers_every_coaching_and_goal_route(app):
    """A new route of these blueprints must get a row (or a reason it needs none)."""
    own_pages = {"coaching.overview", "coaching.mine", "goals.goals", "goals.new"}  # one's own only
    routes = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] in ("coaching", "observations", "goals")
    }
    covered = {
        "coaching.ask",
        "coaching.withdraw",
        "coaching.log_feedback",
        "coaching.reflection_feedback",
        "coaching.feedback",
        "coaching.reply",
        "coaching.acknowledge",
        "coaching.coachee",
        "coaching.coachee_logs",
        "observations.new",
        "observations.observation",
        "observations.comment",
        "goals.goal",
        "goals.edit",
        "goals.set_status",
        "goals.answer",
        "goals.comment",
        "goals.propose",
    }
    assert routes == covered | own_pages


# --- after a share is withdrawn --------------------------------------------------------------


@pytest.mark.parametrize("what", ["log", "reflection"])
def test_after_a_withdrawal_the_coach_gets_404_at_once(app, client, world, what):
    practitioner, coach = world.users[P], world.users[C]
    client.login_as(practitioner)
    if what == "log":
        item_url = f"/coaching/logs/{world.answered_log.id}/feedback"
        client.submit(f"/coaching/logs/{world.answered_log.id}/withdraw/{coach.id}")
        thread = f"/coaching/feedback/{world.feedback.id}"
    else:
        fb = helpers.feedback(coach, world.reflection)
        item_url = f"/coaching/reflections/{world.reflection.id}/feedback"
        client.submit(f"/reflection/{world.reflection.id}/shares/{coach.id}/withdraw")
        thread = f"/coaching/feedback/{fb.id}"
    assert client.get(thread).status_code == 200  # the practitioner keeps it
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    before = helpers.count(CoachFeedback)
    assert client.get(item_url).status_code == HIDDEN
    assert client.submit(item_url, _feedback_form(world)).status_code == HIDDEN
    assert client.get(thread).status_code == HIDDEN
    assert client.submit(thread + "/reply", {"body": "Hallo?"}).status_code == HIDDEN
    assert helpers.count(CoachFeedback) == before
    assert item_url not in client.get("/coaching/").text


def test_asking_again_after_a_withdrawal_opens_a_new_request(app, client, world):
    practitioner, coach = world.users[P], world.users[C]
    client.login_as(practitioner)
    client.submit(f"/coaching/logs/{world.answered_log.id}/withdraw/{coach.id}")
    client.submit(f"/coaching/logs/{world.answered_log.id}/ask", {"coach_id": coach.id})
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    assert f"/coaching/logs/{world.answered_log.id}/feedback" in client.get("/coaching/").text
    assert client.get(f"/coaching/feedback/{world.feedback.id}").status_code == 200  # the old thread too


def test_a_private_log_cannot_be_asked_about(app, client, world):
    practitioner, coach = world.users[P], world.users[C]
    private = factories.practice_log(practitioner, private=True)
    client.login_as(practitioner)
    response = client.submit(
        f"/coaching/logs/{private.id}/ask", {"coach_id": coach.id}, follow_redirects=True
    )
    assert "share it with your coach first" in response.text or "deel het eerst met je coach" in response.text
    assert helpers.count(FeedbackRequest, FeedbackRequest.practice_log_id == private.id) == 0


def test_a_share_with_someone_who_is_not_the_authors_coach_gives_nothing(app, client, world):
    """A stale share to another coach (possible before: reflections are shared one by one)."""
    factories.share(world.reflection, world.users["other_coach"])
    client.login_as(world.users["other_coach"])
    assert client.get(f"/coaching/reflections/{world.reflection.id}/feedback").status_code == HIDDEN
    assert helpers.count(ReflectionShare) == 2


# --- the predicates of app/security.py, directly ------------------------------------------------


def _predicates() -> dict[str, tuple[Callable[[Any, World], bool], frozenset[str]]]:
    from app import security as s

    return {
        "ask_on_plain_log": (lambda u, w: s.can_ask_feedback_on_log(u, w.plain_log, w.users[C]), _(P)),
        "give_on_asked_log": (lambda u, w: s.can_give_feedback_on_log(u, w.log), _(C)),
        "give_on_unasked_log": (lambda u, w: s.can_give_feedback_on_log(u, w.plain_log), _()),
        "give_on_shared_reflection": (lambda u, w: s.can_give_feedback_on_reflection(u, w.reflection), _(C)),
        "read_feedback": (lambda u, w: s.can_read_feedback(u, w.feedback), _(P, C)),
        "read_former_feedback": (lambda u, w: s.can_read_feedback(u, w.former_feedback), _(P)),
        "reply_to_feedback": (lambda u, w: s.can_reply_to_feedback(u, w.feedback), _(P, C)),
        "reply_to_former_feedback": (lambda u, w: s.can_reply_to_feedback(u, w.former_feedback), _()),
        "acknowledge_feedback": (lambda u, w: s.can_acknowledge_feedback(u, w.feedback), _(P)),
        "observe": (lambda u, w: s.can_observe(u, w.users[P]), _(C)),
        "read_observation": (lambda u, w: s.can_read_observation(u, w.observation), _(P, C)),
        "read_former_observation": (lambda u, w: s.can_read_observation(u, w.former_observation), _(P)),
        "comment_on_observation": (lambda u, w: s.can_comment_on_observation(u, w.observation), _(P, C)),
        "comment_on_former_observation": (
            lambda u, w: s.can_comment_on_observation(u, w.former_observation),
            _(),
        ),
        "read_goal": (lambda u, w: s.can_read_goal(u, w.goal), _(P, C)),
        "change_goal": (lambda u, w: s.can_change_goal(u, w.goal), _(P)),
        "propose_goal": (lambda u, w: s.can_propose_goal(u, w.users[P]), _(C)),
        "comment_on_goal": (lambda u, w: s.can_comment_on_goal(u, w.goal), _(P, C)),
    }


@pytest.mark.parametrize("name", list(_predicates()))
def test_coaching_predicates(app, world, name):
    from app.coaching.models import CoachFeedback as Feedback
    from app.db import db
    from app.observations.models import Observation as Obs

    predicate, allowed = _predicates()[name]
    with app.test_request_context():
        # Fresh rows of this session, so relationships load.
        fresh = World(
            {k: db.session.get(type(v), v.id) for k, v in world.users.items()},
            *(db.session.get(type(o), o.id) for o in (world.plain_log, world.log, world.answered_log)),
            db.session.get(Feedback, world.feedback.id),
            world.reflection,
            db.session.get(Feedback, world.former_feedback.id),
            db.session.get(Obs, world.observation.id),
            db.session.get(Obs, world.former_observation.id),
            world.goal,
            world.proposal,
        )
        got = {role for role in ROLES if predicate(fresh.users[role], fresh)}
    assert got == allowed
