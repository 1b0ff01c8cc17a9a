"""Learning goals: "I will try this" makes exactly one, progress per ISO week, the chart, proposals,
and the learning-goal kind of targeted reflection prompt."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import plotly.graph_objects as go
import pytest

from app.charts.assets import plotly_version
from app.clock import local_date
from app.coaching.models import CoachFeedback
from app.goals import charts, queries
from app.goals.models import LearningGoal
from app.notifications.models import Notification
from app.prompts.jobs import materialise_prompts
from app.prompts.models import Prompt
from app.scheduler import run_job
from tests import factories
from tests.coaching import helpers

NEXT_STEP = "Vraag eerst wat zij belangrijk vinden."


@pytest.fixture
def feedback(practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    return helpers.feedback(
        coach, log, next_step=NEXT_STEP, element_id=factories.element_ids()["emotion_regulation"]
    )


def test_i_will_try_this_makes_exactly_one_goal_even_when_sent_twice(app, client, practitioner, feedback):
    client.login_as(practitioner)
    url = f"/coaching/feedback/{feedback.id}/acknowledge"
    first = client.submit(url, {"answer": "trying"})
    second = client.submit(url, {"answer": "trying"})  # a double tap, or the form sent again
    (goal,) = helpers.rows(LearningGoal)
    assert first.headers["Location"] == second.headers["Location"] == f"/goals/{goal.id}"
    assert (goal.owner_id, goal.text, goal.element_id, goal.status, goal.source_feedback_id) == (
        practitioner.id,
        NEXT_STEP,
        factories.element_ids()["emotion_regulation"],
        "open",
        feedback.id,
    )
    assert goal.target_date == local_date(goal.created_at) + timedelta(weeks=6)  # from its Amsterdam day
    # A later "seen" does not undo "I will try this".
    client.submit(url, {"answer": "seen"})
    assert helpers.rows(CoachFeedback)[0].acknowledgement == "trying"
    assert helpers.count(LearningGoal) == 1


def test_the_service_makes_one_goal_per_feedback(app, practitioner, feedback):
    from app.auth.models import User
    from app.coaching import services
    from app.db import utcnow

    for _ in range(2):
        with factories.committed() as s:
            services.acknowledge_feedback(
                s.get(User, practitioner.id), s.get(CoachFeedback, feedback.id), "trying", utcnow()
            )
    assert helpers.count(LearningGoal) == 1


def test_without_a_next_step_there_is_nothing_to_try(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    feedback = helpers.feedback(coach, log, next_step=None)
    client.login_as(practitioner)
    page = client.get(f"/coaching/feedback/{feedback.id}").text
    assert "Ik ga dit proberen" not in page and "Gezien" in page
    response = client.submit(
        f"/coaching/feedback/{feedback.id}/acknowledge", {"answer": "trying"}, follow_redirects=True
    )
    assert "geen volgende stap" in response.text
    assert helpers.count(LearningGoal) == 0


def _log(author, day, ratings):
    return factories.practice_log(author, session_date=day, ratings=ratings, techniques=())


def test_progress_counts_and_averages_per_iso_week_across_the_new_year(app, org, team, practitioner):
    goal = helpers.goal(
        practitioner,
        "emotion_regulation",
        created_at=datetime(2025, 12, 20, 10, tzinfo=UTC),
        target=date(2026, 2, 1),
    )
    er = "emotion_regulation"
    _log(practitioner, date(2025, 11, 16), {er: 1})  # the Sunday before the first week shown
    _log(practitioner, date(2025, 12, 22), {er: 2})  # Monday of 2025-W52
    _log(practitioner, date(2025, 12, 28), {er: 4})  # Sunday of 2025-W52
    _log(practitioner, date(2025, 12, 29), {er: 5})  # Monday of 2026-W01 (still December)
    _log(practitioner, date(2026, 1, 2), {er: 4, "problem_solving": 1})
    _log(practitioner, date(2026, 1, 4), {"shared_decision_making": 2})  # another element
    _log(practitioner, date(2026, 1, 6), {er: 3})  # 2026-W02
    someone = factories.user(org, "someone@example.org", team=team)
    _log(someone, date(2026, 1, 6), {er: 1})  # someone else's
    with app.app_context():
        weeks = queries.progress_of(queries.goal_by_id(goal.id), date(2026, 1, 10))
    got = [(w.week_start, w.iso_week, w.sessions, w.self_rating) for w in weeks]
    empty = [(date(2025, 11, 17) + timedelta(weeks=i), None) for i in range(5)]
    assert [(start, n) for start, _iso, n, _m in got[:5]] == [(d, 0) for d, _ in empty]
    assert all(mean is None for *_rest, mean in got[:5])
    assert got[5:] == [
        (date(2025, 12, 22), (2025, 52), 2, 3.0),
        (date(2025, 12, 29), (2026, 1), 2, 4.5),
        (date(2026, 1, 5), (2026, 2), 1, 3.0),
    ]
    figure = charts.progress_figure(
        weeks, sessions_name="Gesprekken", rating_name="Gemiddeld", week_prefix="wk"
    )
    go.Figure(figure)  # a property Plotly does not know fails here, not in the browser
    bars, line = figure["data"]
    assert bars["x"][-3:] == ["wk 52", "wk 1 (2026)", "wk 2"]
    assert bars["y"][-3:] == [2, 2, 1] and line["y"][-3:] == [3.0, 4.5, 3.0]
    assert line["y"][0] is None


def test_the_goal_page_draws_its_chart_with_local_scripts_only(app, client, practitioner):
    goal = helpers.goal(practitioner)
    client.login_as(practitioner)
    page = client.get(f"/goals/{goal.id}").text
    assert 'id="goal-chart"' in page
    assert '<script type="application/json" class="figure" data-target="goal-chart">' in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all('src="/' in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    with app.test_request_context():
        version = plotly_version()
    assert f'src="/charts/plotly-{version}.min.js"' in page
    assert re.search(r'src="/static/js/charts\.js\?v=[0-9a-f]+"', page)
    response = client.get(f"/charts/plotly-{version}.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert b"plotly" in response.data[:2000].lower()
    assert client.get("/charts/plotly-0.0.1.min.js").status_code == 404


def test_a_coach_proposes_and_the_practitioner_accepts_or_declines(app, client, practitioner, coach):
    client.login_as(coach)
    form = {
        "text": "Een rollenspel doen.",
        "element_id": factories.element_ids()["problem_solving"],
        "technique_id": factories.technique(helpers.factories_org(coach), "ps_role_play").id,
        "target_date": (date.today() + timedelta(weeks=4)).isoformat(),
    }
    assert client.submit(f"/goals/propose/{practitioner.id}", form).status_code == 302
    assert client.submit(f"/goals/propose/{practitioner.id}", form | {"text": "Nog een."}).status_code == 302
    first, second = helpers.rows(LearningGoal)
    assert (first.status, first.owner_id, first.proposed_by_id) == ("proposed", practitioner.id, coach.id)
    assert [n.kind for n in helpers.rows(Notification)] == ["goal_proposed", "goal_proposed"]
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(practitioner)
    client.submit(f"/goals/{first.id}/answer", {"answer": "accept"})
    client.submit(f"/goals/{second.id}/answer", {"answer": "decline"})
    assert [g.status for g in helpers.rows(LearningGoal)] == ["open", "declined"]
    # A technique of another element is refused next to its field, and nothing is saved.
    bad = form | {"element_id": factories.element_ids()["emotion_regulation"]}
    response = client.submit("/goals/new", bad)
    assert response.status_code == 400 and "Kies een techniek van het gekozen element." in response.text
    assert helpers.count(LearningGoal) == 2


def test_comments_on_a_goal_reach_the_other_side(app, client, practitioner, coach):
    goal = helpers.goal(practitioner)
    client.login_as(practitioner)
    client.submit(f"/goals/{goal.id}/comments", {"body": "Lukt al beter."})
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(coach)
    client.submit(f"/goals/{goal.id}/comments", {"body": "Mooi zo."})
    assert [(n.user_id, n.kind) for n in helpers.rows(Notification)] == [
        (coach.id, "goal_comment"),
        (practitioner.id, "goal_comment"),
    ]
    page = client.get(f"/goals/{goal.id}").text
    assert page.index("Lukt al beter.") < page.index("Mooi zo.")


# --- the learning-goal kind of targeted prompt -------------------------------------------------

NOW = datetime(2026, 3, 20, 13, 30, tzinfo=UTC)  # Friday 14:30 in Amsterdam


def test_the_learning_goal_prompt_picks_the_element_of_the_current_goal(app, org, team, practitioner):
    ids = factories.element_ids()
    without = factories.user(org, "without@example.org", team=team)
    closed = factories.user(org, "closed@example.org", team=team)
    for who in (practitioner, without, closed):  # everyone logged problem solving least
        for day in (1, 2, 3):
            _log(
                who,
                (NOW - timedelta(days=day)).date(),
                {"shared_decision_making": 4, "emotion_regulation": 4},
            )
    # Two open goals: the one with the nearest target date is the current one.
    helpers.goal(
        practitioner, "shared_decision_making", created_at=NOW - timedelta(days=20), target=date(2026, 5, 1)
    )
    helpers.goal(
        practitioner, "emotion_regulation", created_at=NOW - timedelta(days=20), target=date(2026, 4, 1)
    )
    helpers.goal(
        closed,
        "emotion_regulation",
        created_at=NOW - timedelta(days=20),
        target=date(2026, 4, 1),
        status="achieved",
    )
    factories.schedule(team=team, kind="targeted", since=NOW - timedelta(days=10), target="learning_goal")
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 3
    chosen = {p.user_id: p.element_id for p in helpers.rows(Prompt)}
    assert chosen == {
        practitioner.id: ids["emotion_regulation"],
        without.id: ids["problem_solving"],
        closed.id: ids["problem_solving"],
    }


def test_the_schedule_form_offers_the_learning_goal_target(client, practitioner):
    client.login_as(practitioner)
    page = client.get("/reflection/schedules/new").text
    assert 'value="learning_goal"' in page and "Het element van het huidige leerdoel" in page
