"""The practitioner's pages: list with filters and pages, one log, edit, delete, private, home."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.db import db
from app.practice.models import PracticeLog, PracticeLogElement, PracticeLogTechnique
from tests import factories
from tests.dashboards.helpers import retire
from tests.practice.helpers import checked, log_form

TODAY = local_today()


def test_an_empty_list_invites_the_first_log(client, practitioner):
    client.login_as(practitioner)
    page = client.get("/logs")
    assert page.status_code == 200
    assert "You have not logged a session yet." in page.text
    assert "/logs/new" in page.text


def test_the_list_shows_own_logs_newest_first(client, practitioner, org, team):
    old = factories.practice_log(practitioner, session_date=TODAY - timedelta(days=10))
    new = factories.practice_log(practitioner, session_date=TODAY)
    mid = factories.practice_log(practitioner, session_date=TODAY - timedelta(days=3))
    someone = factories.user(org, "someone@example.org", team=team)
    theirs = factories.practice_log(someone)
    client.login_as(practitioner)
    text = client.get("/logs").text
    positions = [text.index(f'href="/logs/{log.id}"') for log in (new, mid, old)]
    assert positions == sorted(positions)
    assert f'href="/logs/{theirs.id}"' not in text


def test_the_list_filters_by_period_and_element(client, practitioner):
    early = factories.practice_log(practitioner, session_date=TODAY - timedelta(days=20))
    er = factories.practice_log(practitioner, session_date=TODAY - timedelta(days=5),
                                ratings={"emotion_regulation": 3}, techniques=("er_validated",))
    sdm = factories.practice_log(practitioner, session_date=TODAY - timedelta(days=2))
    client.login_as(practitioner)
    start = (TODAY - timedelta(days=10)).isoformat()
    text = client.get(f"/logs?start={start}&end={TODAY.isoformat()}").text
    assert f'/logs/{early.id}"' not in text and f'/logs/{er.id}"' in text and f'/logs/{sdm.id}"' in text
    text = client.get("/logs?element=emotion_regulation").text
    assert f'/logs/{er.id}"' in text and f'/logs/{sdm.id}"' not in text and f'/logs/{early.id}"' not in text
    text = client.get(f"/logs?start={TODAY.isoformat()}").text
    assert "No logs match this filter." in text
    assert client.get("/logs?start=not-a-date").status_code == 400


def test_the_list_has_pages_of_25(client, practitioner):
    for i in range(27):
        factories.practice_log(practitioner, session_date=TODAY - timedelta(days=i))
    client.login_as(practitioner)
    first = client.get("/logs").text
    assert first.count('class="log-item"') == 25 and "page=2" in first
    second = client.get("/logs?page=2").text
    assert second.count('class="log-item"') == 2


def test_one_log_shows_its_context_elements_and_techniques(client, practitioner):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 5, "problem_solving": 2},
                                 techniques=("sdm_decided_together", "ps_homework"), note="Leerpunt.")
    client.login_as(practitioner)
    text = client.get(f"/logs/{log.id}").text
    for expected in ("Decided the next step together", "Agreed a practice task for home",
                     "Collaboration and shared decision-making", "Leerpunt.", "Home visit", "Young person"):
        assert expected in text


def test_a_technique_retired_after_the_session_still_shows_on_the_log_in_catalogue_order(
        client, practitioner, org):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 2},
                                 techniques=("ps_homework", "sdm_decided_together", "sdm_goals_asked"))
    client.login_as(practitioner)
    client.get(f"/logs/{log.id}")  # the catalogue is read (and kept) before the change
    retire(org, "sdm_decided_together")
    text = client.get(f"/logs/{log.id}").text
    order = [text.index(label) for label in (
        "Collaboration and shared decision-making", "wishes and goals",
        "Decided the next step together", "No longer offered", "Social and problem-solving skills",
        "Agreed a practice task for home")]
    assert order == sorted(order)


def test_a_dutch_user_sees_the_catalogue_in_dutch(client, practitioner, english_ui):
    log = factories.practice_log(practitioner, techniques=("sdm_decided_together",))
    english_ui("nl")
    client.login_as(practitioner)
    text = client.get(f"/logs/{log.id}").text
    assert "Samen besloten over de volgende stap" in text and "Samenwerken en samen beslissen" in text
    form = client.get("/logs/new").text
    assert "Wensen en doelen van jeugdige/ouders gevraagd" in form
    assert "Vraag open wat de jeugdige en ouders willen bereiken" in form  # the Dutch "how to"


def test_editing_changes_ratings_and_techniques_in_place(app, client, practitioner):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 2},
                                 techniques=("sdm_goals_asked", "ps_homework"),
                                 now=factories.utcnow() - timedelta(hours=1))
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}/edit").text
    assert checked(page, "t_ps_homework") and checked(page, "rating_problem_solving-1")
    data = log_form(rating_shared_decision_making="5", t_sdm_goals_asked=None, t_sdm_options_discussed="y",
                    setting="office", participants=["family"])
    del data["submission_key"]
    assert client.submit(f"/logs/{log.id}/edit", data).status_code == 302
    with app.app_context():
        saved = db.session.get(PracticeLog, log.id)
        assert saved.setting == "office" and saved.participant_keys == ["family"]
        assert [(e.element.key, e.self_rating) for e in saved.elements] == [("shared_decision_making", 5)]
        assert [t.technique.key for t in saved.techniques] == ["sdm_options_discussed"]
        assert saved.updated_at > saved.created_at  # the edit's time, not the log's


def test_an_invalid_edit_keeps_the_input_and_the_log(app, client, practitioner):
    log = factories.practice_log(practitioner, note="Oud.")
    client.login_as(practitioner)
    data = log_form(note="Nieuw, mail jan@example.nl")
    response = client.submit(f"/logs/{log.id}/edit", data)
    assert response.status_code == 400
    assert "This looks like an e-mail address: jan@example.nl" in response.text
    assert "Nieuw, mail jan@example.nl" in response.text
    with app.app_context():
        assert db.session.get(PracticeLog, log.id).note == "Oud."


def test_deleting_asks_first_and_removes_the_whole_log(app, client, practitioner):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 3},
                                 techniques=("sdm_goals_asked", "ps_homework"))
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}/delete")
    assert page.status_code == 200 and "cannot be undone" in page.text
    response = client.submit(f"/logs/{log.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/logs")
    with app.app_context():
        assert db.session.get(PracticeLog, log.id) is None
        assert db.session.scalars(select(PracticeLogElement).where(
            PracticeLogElement.log_id == log.id)).all() == []
        assert db.session.scalars(select(PracticeLogTechnique).where(
            PracticeLogTechnique.log_id == log.id)).all() == []


def test_the_private_switch_goes_both_ways(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    client.submit(f"/logs/{log.id}/private", {"private": "1"})
    with app.app_context():
        assert db.session.get(PracticeLog, log.id).private is True
    assert "Share with my coach again" in client.get(f"/logs/{log.id}").text
    client.submit(f"/logs/{log.id}/private", {"private": "0"})
    with app.app_context():
        assert db.session.get(PracticeLog, log.id).private is False


def test_home_page_offers_logging_recent_logs_and_four_weeks(client, practitioner, org, team):
    for days, rating in ((0, 5), (1, 2), (3, 4), (5, 4), (7, 4), (9, 4)):
        factories.practice_log(practitioner, session_date=TODAY - timedelta(days=days),
                               ratings={"shared_decision_making": rating})
    factories.practice_log(practitioner, session_date=TODAY - timedelta(days=40),
                           ratings={"problem_solving": 1}, techniques=())
    client.login_as(practitioner)
    text = client.get("/").text
    assert 'href="/logs/new"' in text
    assert text.count('class="log-item"') == 5
    assert "The last 4 weeks" in text
    assert "3.8 / 5" in text  # (5+2+4+4+4+4)/6 = 3.83


def test_the_four_week_overview_is_computed_in_sql(app, practitioner, org, team):
    from app.practice.queries import overview_of, overview_stats

    factories.practice_log(practitioner, session_date=TODAY, ratings={"shared_decision_making": 4,
                                                                       "emotion_regulation": 1})
    factories.practice_log(practitioner, session_date=TODAY - timedelta(days=27),
                           ratings={"shared_decision_making": 2})
    factories.practice_log(practitioner, session_date=TODAY - timedelta(days=28),  # outside
                           ratings={"shared_decision_making": 5})
    someone = factories.user(org, "someone@example.org", team=team)
    factories.practice_log(someone, session_date=TODAY, ratings={"problem_solving": 5}, techniques=())
    with app.app_context():
        overview = overview_of(overview_stats(practitioner.id, TODAY), org.id)
        got = {s.element.key: (s.sessions, s.mean_rating) for s in overview}
    assert got == {"shared_decision_making": (2, 3.0), "emotion_regulation": (1, 1.0),
                   "problem_solving": (0, None)}


def test_a_coach_sees_their_coachees_on_the_home_page(client, org, team, coach, practitioner):
    """Only running coaching counts: not one that starts next week, nor one that has ended."""
    starts_later = factories.user(org, "later@example.org", team=team)
    factories.coach_assignment(coach, starts_later, started_at=factories.utcnow() + timedelta(days=7))
    ended = factories.user(org, "ended@example.org", team=team)
    assignment = factories.coach_assignment(coach, ended, started_at=factories.utcnow() - timedelta(days=30))
    with factories.committed() as s:
        s.get(type(assignment), assignment.id).ended_at = factories.utcnow() - timedelta(days=1)
    client.login_as(coach)
    text = client.get("/").text
    assert f'href="/coaching/{practitioner.id}"' in text
    assert f'href="/coaching/{starts_later.id}"' not in text
    assert f'href="/coaching/{ended.id}"' not in text
    assert 'href="/logs/new"' not in text  # not a practitioner, no logs: no logging block


def test_the_logging_block_is_for_practitioners_and_for_whoever_has_logged(app, org, team, practitioner):
    from datetime import date

    from app.teams.models import Membership

    moved_on = factories.user(org, "vertrokken@example.org", team=team)
    factories.practice_log(moved_on, session_date=TODAY - timedelta(days=3))
    former = factories.user(org, "oud@example.org", team=team)
    with app.app_context():
        for m in db.session.scalars(select(Membership).where(
                Membership.user_id.in_([moved_on.id, former.id]))):
            m.ended_on = date(2025, 1, 1)
        db.session.commit()
    shown = {}
    for person in (practitioner, moved_on, former):
        browser = app.test_client()
        browser.login_as(person)
        text = browser.get("/").text
        shown[person.email] = ('href="/logs/new"' in text, text.count('class="log-item"'))
    assert shown == {practitioner.email: (True, 0),  # a practitioner without logs yet
                     moved_on.email: (True, 1),  # no longer in a team, but has logged
                     former.email: (False, 0)}  # neither


def test_an_admin_keeps_the_administration_links(client, admin):
    client.login_as(admin)
    text = client.get("/").text
    assert "/admin/users" in text and "/admin/catalogue" in text


def test_the_log_records_the_team_of_the_session_date(app, org, team):
    later = factories.team(org, "Team West")
    user = factories.user(org, "mover@example.org", team=team, started_on=TODAY - timedelta(days=100))
    with app.app_context():
        from app.teams.models import Membership

        m = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
        m.ended_on = TODAY - timedelta(days=10)
        db.session.commit()
    factories.membership(user, later, started_on=TODAY - timedelta(days=10))
    before = factories.practice_log(user, session_date=TODAY - timedelta(days=20))
    after = factories.practice_log(user, session_date=TODAY - timedelta(days=1))
    assert (before.team_id, after.team_id) == (team.id, later.id)


def test_a_page_past_the_end_shows_the_last_one_and_costs_no_extra_statement(app, client, practitioner):
    """The list's count and page come in one statement, which also clamps the page asked for."""
    from tests.test_statement_counts import statements_of

    both = {"shared_decision_making": 4, "emotion_regulation": 3}
    logs = [factories.practice_log(practitioner, session_date=TODAY - timedelta(days=i),
                                   ratings=both if i % 2 else None)
            for i in range(27)]
    oldest_two = {logs[25].id, logs[26].id}
    client.login_as(practitioner)

    def shown(path: str) -> tuple[set[int], str]:
        text = client.get(path).text
        return {log.id for log in logs if f'/logs/{log.id}"' in text}, text

    for path in ("/logs?page=2", "/logs?page=3", "/logs?page=99"):
        ids, text = shown(path)
        assert ids == oldest_two and "Page 2 of 2" in text, path
    for path in ("/logs?page=0", "/logs?page=-4", "/logs"):
        ids, text = shown(path)
        assert len(ids) == 25 and oldest_two.isdisjoint(ids) and "Page 1 of 2" in text, path
    # 13 logs apply emotion regulation: one page, also when page 5 is asked for.
    ids, text = shown("/logs?element=emotion_regulation&page=5")
    assert ids == {log.id for i, log in enumerate(logs) if i % 2} and "Page 2 of" not in text
    ids, text = shown(f"/logs?start={(TODAY + timedelta(days=1)).isoformat()}&page=3")
    assert ids == set() and "No logs match this filter." in text
    assert len(statements_of(app, client, "/logs?page=99")) == len(statements_of(app, client, "/logs"))
