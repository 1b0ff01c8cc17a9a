"""'After N sessions' and 'targeted' schedules pick the right person, session and element."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.dashboards.queries import ElementStats
from app.db import db
from app.prompts.delivery import pick_element
from app.prompts.jobs import materialise_prompts
from app.prompts.models import Prompt
from app.scheduler import run_job
from tests import factories
from tests.reflection.conftest import NOW


def _prompts(app):
    with app.app_context():
        return [(p.user_id, p.occurrence_key, p.element_id, p.practice_log_id)
                for p in db.session.scalars(select(Prompt).order_by(Prompt.user_id, Prompt.occurrence_key))]


def _logs(user, days_ago: list[int], ratings=None):
    """One log per entry, created `days` before NOW; returns them oldest first."""
    return [
        factories.practice_log(user, session_date=(NOW - timedelta(days=d)).date(),
                               now=NOW - timedelta(days=d), ratings=ratings, techniques=())
        for d in days_ago
    ]


def test_after_every_third_session_prompts_the_person_who_reached_it(app, team, colleagues):
    busy, quiet, _none = colleagues
    factories.schedule(team=team, kind="after_sessions", since=NOW - timedelta(days=10), every_n=3)
    busy_logs = _logs(busy, [6, 5, 4, 3, 2, 1, 0])  # 7 sessions: milestones 3 and 6
    _logs(quiet, [2, 1])  # 2 sessions: not yet
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 2
    assert _prompts(app) == [
        (busy.id, "sessions:3", None, busy_logs[2].id),
        (busy.id, "sessions:6", None, busy_logs[5].id),
    ]
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 0


def test_after_sessions_counts_only_the_chosen_element_and_recent_milestones(app, practitioner, elements):
    er = elements["emotion_regulation"]
    factories.schedule(owner=practitioner, kind="after_sessions", since=NOW - timedelta(days=30),
                       every_n=2, element_id=er)
    old = _logs(practitioner, [20, 19], ratings={"emotion_regulation": 3})  # milestone 2, too old
    _logs(practitioner, [3], ratings={"shared_decision_making": 4})  # another element: not counted
    recent = _logs(practitioner, [2, 1], ratings={"emotion_regulation": 4})  # sessions 3 and 4
    assert old and run_job(app, materialise_prompts, NOW)["prompts"] == 1
    assert _prompts(app) == [(practitioner.id, "sessions:4", er, recent[1].id)]


def test_sessions_before_the_schedule_was_made_do_not_count(app, practitioner):
    _logs(practitioner, [9, 8])
    factories.schedule(owner=practitioner, kind="after_sessions", since=NOW - timedelta(days=7), every_n=2)
    _logs(practitioner, [1])
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 0


def test_targeted_least_logged_picks_each_persons_own_gap(app, team, colleagues, elements):
    sdm, er, ps = (elements[k] for k in ("shared_decision_making", "emotion_regulation", "problem_solving"))
    a, b, c = colleagues
    _logs(a, [10, 9, 8], ratings={"shared_decision_making": 4})
    _logs(a, [7, 6], ratings={"emotion_regulation": 3})  # a never did problem solving
    _logs(c, [40, 39, 38], ratings={"problem_solving": 5})  # more than 4 weeks ago: ignored
    _logs(c, [5], ratings={"shared_decision_making": 3, "problem_solving": 4})
    _logs(c, [4], ratings={"emotion_regulation": 4, "problem_solving": 4})
    factories.schedule(team=team, kind="targeted", target="least_logged", since=NOW - timedelta(days=10))
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 3
    chosen = {user_id: element for user_id, _key, element, _log in _prompts(app)}
    assert chosen == {a.id: ps, b.id: sdm, c.id: sdm}  # b: nothing logged, first in the catalogue


def test_targeted_lowest_rated_picks_the_weakest_element(app, team, colleagues, elements):
    sdm, er = elements["shared_decision_making"], elements["emotion_regulation"]
    a, b, _c = colleagues
    _logs(a, [6], ratings={"shared_decision_making": 4, "emotion_regulation": 2})
    _logs(a, [5], ratings={"shared_decision_making": 5, "emotion_regulation": 3})
    _logs(a, [4], ratings={"problem_solving": 4})
    factories.schedule(team=team, kind="targeted", target="lowest_rated", since=NOW - timedelta(days=10))
    run_job(app, materialise_prompts, NOW)
    chosen = {user_id: element for user_id, _key, element, _log in _prompts(app)}
    assert chosen[a.id] == er  # mean 2.5 against 4.5 and 4
    assert chosen[b.id] == sdm  # no ratings: falls back to the least logged


def test_pick_element_breaks_ties_by_catalogue_order():
    s = ElementStats
    assert pick_element("least_logged", [1, 2, 3], {1: s(2, 4.0), 2: s(1, 3.0), 3: s(1, 5.0)}) == 2
    assert pick_element("lowest_rated", [1, 2, 3], {1: s(2, 3.0), 3: s(1, 3.0)}) == 1
    assert pick_element("lowest_rated", [], {}) is None
