"""The client-rating metrics (metrics.md: client_sdm_mean, client_sdm_top) on answers worked out by hand.

Score of one answer = (sum of the three 0-4 items) / 12 × 100; top score = 4 on all three.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboards.queries import (
    ClientRatingStats,
    TeamClientRating,
    client_ratings_per_author,
    client_ratings_per_team,
    self_rating_beside_shared_answers,
    unshared_client_rating,
)
from tests import factories
from tests.clientvoice.helpers import rating

START, END = date(2026, 3, 2), date(2026, 3, 9)


def test_shared_answers_score_per_author(app, org, team, practitioner):
    log = factories.practice_log(practitioner, session_date=START)
    rating(log, (4, 4, 4), shared=True)   # 12/12 → 100, top
    rating(log, (3, 4, 2), shared=True)   # 9/12 → 75
    rating(log, (0, 0, 0), shared=False)  # unshared: never in the shared figure
    with app.app_context():
        shared = client_ratings_per_author([practitioner.id], shared=True)
        unshared = client_ratings_per_author([practitioner.id], shared=False)
    assert shared == {practitioner.id: ClientRatingStats(2, 87.5, 0.5)}
    assert unshared == {practitioner.id: ClientRatingStats(1, 0.0, 0.0)}


def test_only_answers_about_logs_in_the_period_count(app, org, team, practitioner):
    inside = factories.practice_log(practitioner, session_date=date(2026, 3, 8))
    at_end = factories.practice_log(practitioner, session_date=END)
    rating(inside, (2, 2, 2), shared=True)  # 50
    rating(at_end, (4, 4, 4), shared=True)  # the end is not in the period
    with app.app_context():
        stats = client_ratings_per_author([practitioner.id], shared=True, start=START, end=END)
    assert stats == {practitioner.id: ClientRatingStats(1, 50.0, 0.0)}


def test_unshared_answers_show_from_three_and_grow_in_steps_of_three(app, org, team, practitioner):
    log = factories.practice_log(practitioner)

    def figure() -> ClientRatingStats | None:
        with app.app_context():
            return unshared_client_rating(practitioner.id)

    rating(log, (0, 0, 0), shared=False)  # 0
    rating(log, (2, 2, 2), shared=False)  # 50
    assert figure() is None
    rating(log, (4, 4, 4), shared=False)  # 100, top
    assert figure() == ClientRatingStats(3, 50.0, pytest.approx(1 / 3))
    rating(log, (1, 1, 1), shared=False)  # 25: waits for two more, so it cannot be read off
    rating(log, (4, 4, 0), shared=False)  # 66.67
    assert figure() == ClientRatingStats(3, 50.0, pytest.approx(1 / 3))
    rating(log, (1, 2, 3), shared=False)  # 50
    # (0 + 50 + 100 + 25 + 66.67 + 50) / 6 = 48.61; one top score in six.
    assert figure() == ClientRatingStats(6, pytest.approx(291.6667 / 6), pytest.approx(1 / 6))


def test_shared_answers_never_enter_the_unshared_figure(app, org, team, practitioner):
    log = factories.practice_log(practitioner)
    for _ in range(5):
        rating(log, (4, 4, 4), shared=True)
    rating(log, (0, 0, 0), shared=False)
    rating(log, (0, 0, 0), shared=False)
    with app.app_context():
        assert unshared_client_rating(practitioner.id) is None


def test_team_cells_mix_shared_and_unshared_and_count_contributors(app, org, team, practitioner):
    other = factories.user(org, "other@example.org", team=team)
    elsewhere = factories.team(org, "Team West")
    third = factories.user(org, "third@example.org", team=elsewhere)
    rating(factories.practice_log(practitioner, session_date=START), (4, 4, 4), shared=True)   # 100
    rating(factories.practice_log(practitioner, session_date=START), (2, 2, 2), shared=False)  # 50
    rating(factories.practice_log(other, session_date=START), (0, 0, 0), shared=False)         # 0
    rating(factories.practice_log(third, session_date=START), (3, 3, 3), shared=True)          # 75
    rating(factories.practice_log(other, session_date=END), (4, 4, 4), shared=True)            # outside
    with app.app_context():
        cells = client_ratings_per_team([team.id, elsewhere.id], START, END)
    assert cells == {
        team.id: TeamClientRating(ClientRatingStats(3, 50.0, pytest.approx(1 / 3)), contributors=2),
        elsewhere.id: TeamClientRating(ClientRatingStats(1, 75.0, 0.0), contributors=1),
    }


def test_self_rating_on_the_sessions_with_a_shared_answer(app, org, team, practitioner):
    rated = factories.practice_log(practitioner, ratings={"shared_decision_making": 4})
    kept = factories.practice_log(practitioner, ratings={"shared_decision_making": 2})
    factories.practice_log(practitioner, ratings={"shared_decision_making": 1})
    rating(rated, (3, 3, 3), shared=True)
    rating(rated, (4, 3, 3), shared=True)  # one log counts once
    rating(kept, (1, 1, 1), shared=False)
    sdm = factories.element_ids()["shared_decision_making"]
    with app.app_context():
        assert self_rating_beside_shared_answers(practitioner.id, sdm) == 4.0
