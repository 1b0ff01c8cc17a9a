"""A log's open feedback requests and a reflection's running shares, read in one statement with the
author's running coaches (whom they can still ask, or share with)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.coaching import queries as coaching_queries
from app.coaching.models import FeedbackRequest
from app.reflection import queries as reflection_queries
from app.reflection.models import ReflectionShare
from tests import factories
from tests.coaching import helpers
from tests.test_statement_counts import counting

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=60)


@pytest.fixture
def people(org, team, freeze_clock):
    """Anna's coaches in every state: running (Bram, Carla, twice assigned Dirk), ended (Evi),
    deactivated (Fenna); Gert coaches someone else."""
    freeze_clock(NOW)
    anna = factories.user(org, "anna@example.org", name="Anna", team=team)
    other = factories.user(org, "other@example.org", name="Otto", team=team)
    names = ("Bram", "Carla", "Dirk", "Evi", "Fenna", "Gert")
    coach = {n: factories.user(org, f"{n.lower()}@example.org", name=n) for n in names}
    for n in ("Bram", "Carla", "Dirk", "Dirk", "Evi", "Fenna"):
        factories.coach_assignment(coach[n], anna, started_at=LONG_AGO)
    factories.coach_assignment(coach["Gert"], other, started_at=LONG_AGO)
    with factories.committed() as s:
        s.get(type(coach["Fenna"]), coach["Fenna"].id).active = False
    return anna, other, coach


def _end(coach, anna):
    helpers.end_coaching(coach, anna, NOW - timedelta(days=1))


def test_a_reflection_shows_its_running_shares_and_whom_the_author_can_share_with(app, people):
    anna, other, coach = people
    reflection = factories.reflection(anna)
    elsewhere = factories.reflection(anna)
    with factories.committed() as s:
        for name, days, withdrawn in (("Carla", 3, None), ("Evi", 5, None), ("Bram", 2, NOW)):
            s.add(ReflectionShare(reflection_id=reflection.id, coach_id=coach[name].id,
                                  shared_at=NOW - timedelta(days=days), withdrawn_at=withdrawn))
        s.add(ReflectionShare(reflection_id=elsewhere.id, coach_id=coach["Dirk"].id, shared_at=NOW))
    _end(coach["Evi"], anna)  # the coaching ended; the share still runs until Anna withdraws it
    with app.app_context(), counting(app) as statements:
        found = reflection_queries.sharing(reflection.id, anna.id)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert [(s.coach.display_name, s.since) for s in found.opened] == [
        ("Evi", NOW - timedelta(days=5)), ("Carla", NOW - timedelta(days=3))]
    assert [c.display_name for c in found.coaches] == ["Bram", "Carla", "Dirk"]


def test_a_log_shows_its_open_requests_and_whom_the_author_can_ask(app, people):
    anna, other, coach = people
    log = factories.practice_log(anna)
    helpers.ask(log, anna, coach["Dirk"], NOW - timedelta(days=1))
    helpers.ask(log, anna, coach["Bram"], NOW - timedelta(days=4))
    helpers.ask(log, anna, coach["Evi"], NOW - timedelta(days=2))
    helpers.ask(log, anna, coach["Carla"], NOW - timedelta(days=3))
    helpers.ask(factories.practice_log(other), other, coach["Gert"], NOW)
    with factories.committed() as s:
        s.query(FeedbackRequest).filter_by(practice_log_id=log.id, coach_id=coach["Carla"].id).one() \
            .withdrawn_at = NOW
    _end(coach["Evi"], anna)
    with app.app_context(), counting(app) as statements:
        found = coaching_queries.asking(log.id, anna.id, NOW)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert [r.coach.display_name for r in found.opened] == ["Bram", "Evi", "Dirk"]
    assert [c.display_name for c in found.coaches] == ["Bram", "Carla", "Dirk"]


def test_without_open_rows_the_coaches_come_alone_and_without_coaches_nothing(app, org, people):
    _anna, other, _coach = people
    log = factories.practice_log(other)
    alone = factories.user(org, "alleen@example.org", name="Alleen")
    with app.app_context():
        found = coaching_queries.asking(log.id, other.id, NOW)
        assert found.opened == [] and [c.display_name for c in found.coaches] == ["Gert"]
        nobody = reflection_queries.sharing(factories.reflection(alone).id, alone.id)
        assert nobody.opened == [] and nobody.coaches == []
