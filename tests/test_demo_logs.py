"""The bulk log generator writes valid, varied logs that the app reads back like any other."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, distinct, exists, func, select

from app.clientvoice.models import ClientRating
from app.dashboards.queries import client_score, client_top
from app.db import db
from app.demo_logs import Practitioner, generate_logs
from app.elements.models import Technique
from app.practice.models import PracticeLog, PracticeLogElement, PracticeLogParticipant, PracticeLogTechnique
from tests import factories


def _practitioners(org, team, n):
    return [
        Practitioner(factories.user(org, f"p{i}@example.org", team=team).id, team.id, org.id)
        for i in range(n)
    ]


def test_generated_logs_are_valid_and_vary_per_person(app, org, team):
    people = _practitioners(org, team, 4)
    with app.app_context():
        written = generate_logs(db.session.connection(), people, date(2026, 1, 1), date(2026, 4, 1), seed=3)
        db.session.commit()
        assert written == db.session.scalar(select(func.count()).select_from(PracticeLog)) > 100
        # Every log applies at least one element, and ratings stay within 1..5.
        without = db.session.scalar(
            select(func.count()).select_from(PracticeLog).where(
                ~select(PracticeLogElement.log_id).where(PracticeLogElement.log_id == PracticeLog.id).exists()
            )
        )
        assert without == 0
        low, high = db.session.execute(
            select(func.min(PracticeLogElement.self_rating), func.max(PracticeLogElement.self_rating))
        ).one()
        assert 1 <= low < high <= 5
        # A ticked technique always belongs to an element the log applies.
        stray = db.session.scalar(
            select(func.count()).select_from(PracticeLogTechnique)
            .join(Technique, Technique.id == PracticeLogTechnique.technique_id)
            .outerjoin(PracticeLogElement, (PracticeLogElement.log_id == PracticeLogTechnique.log_id)
                       & (PracticeLogElement.element_id == Technique.element_id))
            .where(PracticeLogElement.log_id.is_(None))
        )
        assert stray == 0
        per_person = dict(db.session.execute(
            select(PracticeLog.author_id, func.count()).group_by(PracticeLog.author_id)
        ).all())
        assert len(per_person) == 4 and len(set(per_person.values())) > 1
        # Dates stay in the window and the ORM reads the bulk-written rows back.
        first, last = db.session.execute(
            select(func.min(PracticeLog.session_date), func.max(PracticeLog.session_date))
        ).one()
        assert date(2026, 1, 1) <= first and last < date(2026, 4, 1)
        log = db.session.scalars(select(PracticeLog).order_by(PracticeLog.id)).first()
        assert log.created_at.tzinfo is not None and log.elements and log.participant_keys


def test_generation_continues_after_existing_ids(app, org, team):
    people = _practitioners(org, team, 1)
    with app.app_context():
        first = generate_logs(db.session.connection(), people, date(2026, 1, 1), date(2026, 2, 1), seed=1)
        second = generate_logs(db.session.connection(), people, date(2026, 2, 1), date(2026, 3, 1), seed=2)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(PracticeLog)) == first + second


def test_a_share_of_sessions_with_a_young_person_or_parent_has_a_believable_client_rating(app, org, team):
    people = _practitioners(org, team, 6)
    with app.app_context():
        logs = generate_logs(db.session.connection(), people, date(2026, 1, 1), date(2026, 7, 1), seed=5)
        db.session.commit()
        rated = db.session.scalar(select(func.count(distinct(ClientRating.log_id))))
        assert 0.05 * logs < rated < 0.35 * logs
        # Only about sessions where a young person or a parent (or the family) took part.
        stray = db.session.scalar(select(func.count()).select_from(ClientRating).where(
            ~exists().where(PracticeLogParticipant.log_id == ClientRating.log_id,
                            PracticeLogParticipant.participant.in_(("youth", "parent", "family")))))
        assert stray == 0
        # Each answer carries the author of its log, as the client-voice service stores it.
        other_author = db.session.scalar(
            select(func.count()).select_from(ClientRating)
            .join(PracticeLog, PracticeLog.id == ClientRating.log_id)
            .where(PracticeLog.author_id != ClientRating.author_id))
        assert other_author == 0
        mean, top = db.session.execute(select(func.avg(client_score()), func.avg(client_top()))).one()
        assert 65 < float(mean) < 95 and 0.15 < float(top) < 0.6  # CollaboRATE's usual ceiling
        shared = db.session.scalar(select(func.avg(case((ClientRating.shared, 1.0), else_=0.0))))
        assert 0.3 < float(shared) < 0.7
        # Families rate a session higher where the practitioner rated deciding together higher.
        sdm = factories.element_ids()["shared_decision_making"]
        by_self_rating = dict(db.session.execute(
            select(PracticeLogElement.self_rating, func.avg(client_score()))
            .join(ClientRating, ClientRating.log_id == PracticeLogElement.log_id)
            .where(PracticeLogElement.element_id == sdm).group_by(PracticeLogElement.self_rating)
        ).all())
        assert float(by_self_rating[2]) < float(by_self_rating[4])
