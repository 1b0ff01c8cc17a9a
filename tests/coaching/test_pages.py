"""The coaching pages as people use them: asking on a log, giving feedback, observations side by side."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.coaching.models import CoachFeedback, FeedbackRequest
from app.db import db
from app.notifications.models import Notification
from app.observations import queries
from app.observations.models import Observation
from app.reflection.models import ReflectionShare
from tests import factories
from tests.coaching import helpers


def test_the_practitioner_asks_on_a_log_in_one_click_and_can_withdraw(app, client, practitioner, coach):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}").text
    assert f"Vraag {coach.display_name} om feedback" in page
    response = client.submit(f"/coaching/logs/{log.id}/ask", {"coach_id": coach.id}, follow_redirects=True)
    assert f"Je hebt {coach.display_name} om feedback op dit gesprek gevraagd." in response.text
    assert "Intrekken" in response.text and f"Vraag {coach.display_name} om feedback" not in response.text
    (request,) = helpers.rows(FeedbackRequest)
    assert (request.practice_log_id, request.coach_id, request.withdrawn_at) == (log.id, coach.id, None)
    client.submit(f"/coaching/logs/{log.id}/withdraw/{coach.id}")
    assert helpers.rows(FeedbackRequest)[0].withdrawn_at is not None


def test_a_log_and_a_reflection_name_whom_their_author_asked_and_since_when(client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    reflection = factories.reflection(practitioner)
    with factories.committed() as s:
        s.add(ReflectionShare(reflection_id=reflection.id, coach_id=coach.id,
                              shared_at=datetime(2026, 2, 27, 15, 0, tzinfo=UTC)))
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}").text
    assert f"Je hebt {coach.display_name} op 2 mrt 2026 om feedback gevraagd." in page
    assert f'action="/coaching/logs/{log.id}/withdraw/{coach.id}"' in page
    page = client.get(f"/reflection/{reflection.id}").text
    assert f"Gedeeld met {coach.display_name} sinds 27 feb 2026" in page
    assert f'action="/reflection/{reflection.id}/shares/{coach.id}/withdraw"' in page


def test_a_private_log_offers_no_ask_button(client, practitioner, coach):
    log = factories.practice_log(practitioner, private=True)
    client.login_as(practitioner)
    assert "om feedback" not in client.get(f"/logs/{log.id}").text


def test_the_coach_sees_give_feedback_on_an_asked_log_only(client, practitioner, coach):
    asked, plain = factories.practice_log(practitioner), factories.practice_log(practitioner)
    helpers.ask(asked, practitioner, coach)
    client.login_as(coach)
    assert f'href="/coaching/logs/{asked.id}/feedback"' in client.get(f"/logs/{asked.id}").text
    assert "/feedback" not in client.get(f"/logs/{plain.id}").text


def test_empty_feedback_is_refused_with_a_message_and_nothing_saved(client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    client.login_as(coach)
    response = client.submit(f"/coaching/logs/{log.id}/feedback", {"element_id": 0})
    assert response.status_code == 400 and "Vul minstens één deel van je feedback in." in response.text
    response = client.submit(
        f"/coaching/logs/{log.id}/feedback", {"next_step": "Samenvatten.", "element_id": 0}
    )
    assert response.status_code == 400 and "Kies over welk element deze volgende stap gaat." in response.text
    assert "Samenvatten." in response.text
    assert helpers.count(CoachFeedback) == 0


def test_the_same_feedback_sent_twice_is_saved_once(client, practitioner, coach):
    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    client.login_as(coach)
    first = client.submit(f"/coaching/logs/{log.id}/feedback", {"keep_doing": "Goed.", "element_id": 0})
    second = client.submit(f"/coaching/logs/{log.id}/feedback", {"keep_doing": "Goed.", "element_id": 0})
    assert first.headers["Location"] == second.headers["Location"]
    assert helpers.count(CoachFeedback) == 1
    assert helpers.count(Notification) == 1  # and the practitioner is told once


def test_self_rating_and_observer_rating_side_by_side(app, client, org, practitioner, coach):
    log = factories.practice_log(
        practitioner,
        ratings={"shared_decision_making": 4},
        techniques=("sdm_goals_asked", "sdm_options_discussed"),
    )
    observation = helpers.observation(
        coach,
        practitioner,
        log=log,
        ratings={"shared_decision_making": 2, "emotion_regulation": 3},
        techniques=("sdm_goals_asked", "sdm_preference_asked", "er_validated"),
    )
    with app.app_context():
        sides = queries.side_by_side(db.session.get(Observation, observation.id))
        got = [
            (
                s.element.key,
                s.self_rating,
                s.observer_rating,
                [(t.technique.key, t.by_self, t.by_observer) for t in s.techniques],
            )
            for s in sides
        ]
    assert got == [
        (
            "shared_decision_making",
            4,
            2,
            [
                ("sdm_goals_asked", True, True),
                ("sdm_options_discussed", True, False),
                ("sdm_preference_asked", False, True),
            ],
        ),
        ("emotion_regulation", None, 3, [("er_validated", False, True)]),
    ]
    client.login_as(practitioner)
    page = client.get(f"/coaching/observations/{observation.id}").text
    assert "Naast elkaar" in page and page.count('data-label="Zelf"') == 6
    assert f"Observatie door {coach.display_name}" in page


def test_an_observation_can_only_link_the_coachees_own_shared_log(
    app, client, org, team, practitioner, coach
):
    other = factories.user(org, "other@example.org", team=team)
    foreign = factories.practice_log(other)
    private = factories.practice_log(practitioner, private=True)
    client.login_as(coach)
    form = {
        "session_date": date.today().isoformat(),
        "source": "live",
        "applied_problem_solving": "y",
        "rating_problem_solving": "3",
    }
    page = client.get(f"/coaching/{practitioner.id}/observations/new").text
    select = page[page.index('name="practice_log_id"') :]
    select = select[: select.index("</select>")]
    assert f'value="{private.id}"' not in select and f'value="{foreign.id}"' not in select
    for log in (foreign, private):
        response = client.submit(
            f"/coaching/{practitioner.id}/observations/new", form | {"practice_log_id": log.id}
        )
        assert response.status_code == 400
    response = client.submit(
        f"/coaching/{practitioner.id}/observations/new", {"session_date": "", "source": "live"}
    )
    assert (
        response.status_code == 400 and "Vink minstens één element aan dat je zag toepassen." in response.text
    )
    assert helpers.count(Observation) == 0


def test_the_overview_lists_the_coaching_of_ones_own_organisation_and_checks_it_once(
    app, client, org, other_org, practitioner, coach
):
    """An assignment that another organisation holds gives no card (nor access, as
    security.coached_now says); the overview's own list of coachees answers the access check of
    the coachees it shows, without a query of its own."""
    from sqlalchemy import update

    from app.teams.models import CoachAssignment
    from tests.test_statement_counts import statements_of

    elsewhere = factories.user(org, "elders@example.org", name="Elders Gecoacht")
    moved = factories.coach_assignment(coach, elsewhere)
    with factories.committed() as s:
        s.execute(update(CoachAssignment).where(CoachAssignment.id == moved.id)
                  .values(organisation_id=other_org.id))
    client.login_as(coach)
    statements = [" ".join(s.split()) for s in statements_of(app, client, "/coaching/")]
    page = client.get("/coaching/").text
    assert practitioner.display_name in page and "Elders Gecoacht" not in page
    assert not [s for s in statements if s.startswith("SELECT coach_assignments.coachee_id FROM")], statements


def test_the_overview_reads_its_coachees_open_goals_in_one_statement(app, client, org, practitioner, coach):
    """Each card shows how many open goals its coachee has and the first one's text: one
    statement for every coachee's goals, and nothing read about the goals' elements."""
    from tests.test_statement_counts import statements_of

    second = factories.user(org, "tweede@example.org", name="Tweede Gecoacht")
    factories.coach_assignment(coach, second)
    helpers.goal(practitioner, text="Eerst luisteren.", target=date(2030, 1, 1))
    helpers.goal(practitioner, "problem_solving", text="Samen opties zoeken.", target=date(2030, 2, 1))
    helpers.goal(practitioner, text="Al bereikt.", status="achieved")
    helpers.goal(second, "shared_decision_making", text="Doelen laten kiezen.")
    client.login_as(coach)
    statements = [" ".join(s.split()) for s in statements_of(app, client, "/coaching/")]
    own = [s for s in statements if not s.startswith("SELECT users.")]  # the user's asks about goals too
    assert len([s for s in own if "FROM learning_goals" in s]) == 1, statements
    assert not [s for s in own if "FROM core_elements" in s], statements
    page = client.get("/coaching/").text
    assert "2 open leerdoelen: Eerst luisteren." in page
    assert "1 open leerdoel: Doelen laten kiezen." in page and "Al bereikt." not in page


def test_the_coachs_queue_is_read_once_per_page_for_the_page_and_the_menu(app, client, practitioner, coach):
    """Home, overview and a coachee's page show the queue and the menu counts it: one statement
    reads both kinds of waiting items, and every page shows the same ones."""
    from tests.test_statement_counts import statements_of

    log = factories.practice_log(practitioner)
    helpers.ask(log, practitioner, coach)
    factories.share(factories.reflection(practitioner), coach)
    client.login_as(coach)
    for path in ("/", "/coaching/", f"/coaching/{practitioner.id}"):
        statements = statements_of(app, client, path)
        reading_queue = [s for s in statements
                         if "feedback_requests.requested_at" in s or "reflection_shares.shared_at" in s]
        assert len(reading_queue) == 1, (path, reading_queue)
        page = client.get(path).text
        assert f"/coaching/logs/{log.id}/feedback" in page, path
