"""The coach's queue: what waits for feedback, oldest first, with how long it has waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.coaching import queries
from app.reflection.models import ReflectionShare
from tests import factories
from tests.coaching import helpers

# Friday 20 March 2026, 10:00 in Amsterdam.
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=60)


def _share(reflection, coach, at):
    with factories.committed() as s:
        s.add(ReflectionShare(reflection_id=reflection.id, coach_id=coach.id, shared_at=at))


@pytest.fixture
def scene(app, org, team, freeze_clock):
    """A coach with two coachees, and items in every state; only three wait for this coach."""
    freeze_clock(NOW)
    anna = factories.user(org, "anna@example.org", name="Anna", team=team)
    bert = factories.user(org, "bert@example.org", name="Bert", team=team)
    gone = factories.user(org, "gone@example.org", name="Gijs", team=team)
    coach = factories.user(org, "coach@example.org", name="Karim")
    elsewhere = factories.user(org, "elsewhere@example.org", name="Els")
    for who in (anna, bert, gone):
        factories.coach_assignment(coach, who, started_at=LONG_AGO)
    factories.coach_assignment(elsewhere, anna, started_at=LONG_AGO)
    day = NOW.date()

    def log(author, days_ago):
        return factories.practice_log(author, session_date=day - timedelta(days=days_ago), now=NOW)

    three_days = log(anna, 4)
    helpers.ask(three_days, anna, coach, NOW - timedelta(days=3))
    five_hours = log(anna, 0)
    helpers.ask(five_hours, anna, coach, NOW - timedelta(hours=5))
    reflection = factories.reflection(bert, created_at=NOW - timedelta(days=2))
    _share(reflection, coach, NOW - timedelta(days=1, hours=2))
    # Not waiting: made private after asking, withdrawn, answered, asked of someone else, coaching ended.
    private = log(anna, 10)
    helpers.ask(private, anna, coach, NOW - timedelta(days=10))
    with factories.committed() as s:
        s.get(type(private), private.id).private = True
    withdrawn = log(anna, 7)
    helpers.ask(withdrawn, anna, coach, NOW - timedelta(days=7))
    with factories.committed() as s:
        from app.coaching.models import FeedbackRequest

        s.query(FeedbackRequest).filter_by(practice_log_id=withdrawn.id).one().withdrawn_at = NOW - timedelta(
            days=1
        )
    answered = log(bert, 6)
    helpers.ask(answered, bert, coach, NOW - timedelta(days=6))
    helpers.feedback(coach, answered, NOW - timedelta(days=2))
    other = log(anna, 1)
    helpers.ask(other, anna, elsewhere, NOW - timedelta(days=8))
    ended = log(gone, 4)
    helpers.ask(ended, gone, coach, NOW - timedelta(days=4))
    helpers.end_coaching(coach, gone, NOW - timedelta(hours=1))
    return {
        "coach": coach,
        "anna": anna,
        "bert": bert,
        "three_days": three_days,
        "five_hours": five_hours,
        "reflection": reflection,
    }


def _queue(app, coach):
    with app.app_context():
        return [
            (i.kind, i.object_id, i.coachee_name, i.waited(NOW)) for i in queries.queue_for(coach.id, NOW)
        ]


def test_the_queue_holds_what_waits_oldest_first_with_its_waiting_time(app, scene):
    assert _queue(app, scene["coach"]) == [
        ("log", scene["three_days"].id, "Anna", timedelta(days=3)),
        ("reflection", scene["reflection"].id, "Bert", timedelta(days=1, hours=2)),
        ("log", scene["five_hours"].id, "Anna", timedelta(hours=5)),
    ]


def test_the_page_shows_the_queue_in_order_and_says_how_long_each_waits(app, client, scene):
    client.login_as(scene["coach"])
    text = client.get("/coaching/").text
    first = text.index(f"/coaching/logs/{scene['three_days'].id}/feedback")
    second = text.index(f"/coaching/reflections/{scene['reflection'].id}/feedback")
    third = text.index(f"/coaching/logs/{scene['five_hours'].id}/feedback")
    assert first < second < third
    assert text.index("wacht 3 dagen") < text.index("wacht 1 dag<") < text.index("wacht 5 uur")
    # The home page opens with the same queue.
    home = client.get("/").text
    assert home.index("Wacht op je feedback") < home.index(
        f"/coaching/logs/{scene['three_days'].id}/feedback"
    )


def test_an_item_leaves_the_queue_when_feedback_is_given(app, client, scene):
    client.login_as(scene["coach"])
    url = f"/coaching/logs/{scene['three_days'].id}/feedback"
    response = client.submit(url, {"keep_doing": "Goed doorgevraagd."})
    assert response.status_code == 302
    assert [k for k, *_ in _queue(app, scene["coach"])] == ["reflection", "log"]
    assert url not in client.get("/coaching/").text


def test_an_item_leaves_the_queue_when_the_share_is_withdrawn(app, client, scene):
    client.login_as(scene["bert"])
    client.submit(f"/reflection/{scene['reflection'].id}/shares/{scene['coach'].id}/withdraw")
    assert [k for k, *_ in _queue(app, scene["coach"])] == ["log", "log"]
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(scene["anna"])
    client.submit(f"/coaching/logs/{scene['five_hours'].id}/withdraw/{scene['coach'].id}")
    assert [o for _k, o, *_ in _queue(app, scene["coach"])] == [scene["three_days"].id]


def test_a_coach_without_coachees_gets_a_helpful_empty_page(client, org):
    lonely = factories.user(org, "lonely@example.org")
    client.login_as(lonely)
    response = client.get("/coaching/")
    assert response.status_code == 200
    assert "Je coacht nog niemand." in response.text
    assert "beheerder" in response.text


def test_the_overview_counts_shared_sessions_per_element_over_four_weeks(app, client, scene):
    anna = scene["anna"]
    day = NOW.date()
    factories.practice_log(
        anna, session_date=day - timedelta(days=27), now=NOW, ratings={"problem_solving": 3}, techniques=()
    )
    factories.practice_log(
        anna,
        session_date=day - timedelta(days=28),
        now=NOW,  # outside the 4 weeks
        ratings={"problem_solving": 3},
        techniques=(),
    )
    factories.practice_log(
        anna, session_date=day, now=NOW, ratings={"problem_solving": 3}, techniques=(), private=True
    )  # kept to herself: not counted
    with app.app_context():
        coachees = queries.coachees_of(scene["coach"], NOW)
        cards = {c.coachee.display_name: c for c in queries.overview_for(scene["coach"].id, coachees, day)}
        sessions = {e.key: n for e, n in cards["Anna"].sessions}
    assert set(cards) == {"Anna", "Bert"}  # Gijs's coaching has ended
    # Anna: the three-days log (day-4), five-hours (day 0), withdrawn (day-7), other (day-1): all SDM;
    # the private one of day-10 is left out, and so is the one of 28 days ago.
    assert sessions == {"shared_decision_making": 4, "emotion_regulation": 0, "problem_solving": 1}
    assert cards["Bert"].last_feedback_at == NOW - timedelta(days=2)
    assert cards["Anna"].last_feedback_at is None


def test_the_coachees_come_with_this_coachs_last_feedback_in_one_statement(app, scene):
    """The overview reads when the coach last gave each coachee feedback along with the coachees;
    another coach's feedback does not count, and the cards are those overview_for reads itself."""
    from sqlalchemy import select

    from app.auth.models import User
    from tests.test_statement_counts import counting

    with app.app_context():
        from app.db import db

        elsewhere = db.session.scalar(select(User).where(User.email == "elsewhere@example.org"))
    anna_log = factories.practice_log(scene["anna"], now=NOW)
    helpers.ask(anna_log, scene["anna"], elsewhere, NOW - timedelta(days=1))
    helpers.feedback(elsewhere, anna_log, NOW - timedelta(hours=3))
    with app.app_context():
        with counting(app) as statements:
            coachees, last = queries.coachees_and_last_feedback(scene["coach"], NOW)
        assert [c.display_name for c in coachees] == ["Anna", "Bert"]
        assert last == {scene["bert"].id: NOW - timedelta(days=2)}
        assert len([s for s in statements if s.lstrip().startswith("SELECT")]) == 1
        day = NOW.date()
        given = queries.overview_for(scene["coach"].id, coachees, day, last)
        read = queries.overview_for(scene["coach"].id, coachees, day)
        assert [(c.coachee.id, c.sessions, c.last_feedback_at) for c in given] == [
            (c.coachee.id, c.sessions, c.last_feedback_at) for c in read]
