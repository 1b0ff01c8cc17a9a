"""Demo data for coaching: items waiting for the demo coach (some for days), earlier feedback that
was acknowledged and became a learning goal, an observation, and news waiting for the practitioner.

Everything goes through the real services, at moments in the past. Idempotent: an organisation
whose demo coach has any feedback request gets nothing new.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from app.auth.models import User
from app.clock import local_date
from app.coaching import services
from app.coaching.models import FeedbackRequest
from app.db import db
from app.elements.models import CoreElement, Technique
from app.notifications.models import Notification
from app.observations import services as observations
from app.organisations.models import Organisation
from app.practice.models import PracticeLog
from app.practice.queries import first_applied_element
from app.reflection import services as reflections

ALACT = {
    "action": "Het moment waarop moeder boos werd toen ik over de school van haar zoon begon.",
    "looking_back": "Ik wilde snel afspraken maken; zij voelde zich niet gehoord.",
    "awareness": "Ik ging naar oplossingen voordat ik haar boosheid had erkend.",
    "alternatives": "Eerst benoemen wat ik zie en vragen wat zij nodig heeft.",
    "trial": "De volgende keer eerst het gevoel erkennen, dan pas samen naar stappen kijken.",
}


def _recent_logs(user_id: int, count: int, before: date | None = None) -> list[PracticeLog]:
    """The user's latest shared logs, newest first (only those of sessions before `before`)."""
    query = select(PracticeLog).where(PracticeLog.author_id == user_id, PracticeLog.private.is_(False))
    if before is not None:
        query = query.where(PracticeLog.session_date < before)
    return list(db.session.scalars(
        query.order_by(PracticeLog.session_date.desc(), PracticeLog.id.desc()).limit(count)))


def _element_of(log: PracticeLog) -> int:
    first = first_applied_element(log)
    assert first is not None, "a demo log applies an element"
    return first


def seed_coaching_demo(org: Organisation, coach_email: str, practitioner_email: str,
                       other_emails: tuple[str, str], now: datetime) -> None:
    """Fill the demo coach's workplace; see the module's docstring. Flushes."""
    users = {u.email: u for u in db.session.scalars(select(User).where(
        User.organisation_id == org.id, User.email.in_([coach_email, practitioner_email, *other_emails])))}
    coach, sanne = users.get(coach_email), users.get(practitioner_email)
    if coach is None or sanne is None or db.session.scalar(
            select(FeedbackRequest.id).where(FeedbackRequest.coach_id == coach.id).limit(1)):
        return

    def days(n: int) -> datetime:
        return now - timedelta(days=n)

    er = db.session.scalar(select(CoreElement.id).where(CoreElement.key == "emotion_regulation"))
    # Feedback comes after the session: the earlier history uses sessions of three weeks ago and more.
    recent = _recent_logs(sanne.id, 3)[1:3]
    older = _recent_logs(sanne.id, 2, before=local_date(days(21)))
    if len(recent) < 2 or len(older) < 2:
        return  # a demo without generated logs (as in some tests) gets no coaching history
    waiting, fresh = recent
    tried, earlier = older

    # Earlier feedback, seen and tried: the "next step" became a learning goal.
    services.ask_feedback_on_log(sanne, earlier, coach, days(20))
    seen = services.give_feedback_on_log(coach, earlier, services.FeedbackInput(
        keep_doing="Je vroeg wat moeder zelf wilde bereiken.", work_on="Je gaf snel je eigen advies.",
        element_id=_element_of(earlier)), days(18))
    services.acknowledge_feedback(sanne, seen, "seen", days(17))
    services.ask_feedback_on_log(sanne, tried, coach, days(12))
    feedback = services.give_feedback_on_log(coach, tried, services.FeedbackInput(
        keep_doing="Je benoemde de boosheid van de jongere rustig.",
        work_on="Na het benoemen ging je snel door naar afspraken.",
        next_step="Erken eerst het gevoel en vat samen wat je hoorde, voordat je een oplossing zoekt.",
        element_id=er), days(10))
    services.acknowledge_feedback(sanne, feedback, "trying", days(9))
    observations.record_observation(coach, sanne, observations.ObservationInput(
        session_date=tried.session_date, source="live", practice_log_id=tried.id,
        ratings={e.element_id: max(1, e.self_rating - 1) for e in tried.elements},
        technique_ids=frozenset(_offered([t.technique_id for t in tried.techniques])[1:]),
        note="Rustig tempo; de jongere kreeg ruimte om te vertellen."), days(8))
    db.session.execute(update(Notification).where(Notification.user_id == sanne.id)
                       .values(read_at=days(7)))

    # News for the practitioner: feedback from yesterday, not yet read.
    services.ask_feedback_on_log(sanne, fresh, coach, days(6))
    services.give_feedback_on_log(coach, fresh, services.FeedbackInput(
        keep_doing="Je liet de ouders eerst hun wensen vertellen.",
        next_step="Vraag aan het eind hoe zij de samenwerking ervaren.",
        element_id=_element_of(fresh)), days(1))

    # Waiting for the coach, the longest on top.
    for email, asked in zip(other_emails, (days(5), now - timedelta(hours=4)), strict=True):
        other = users.get(email)
        logs = _recent_logs(other.id, 1) if other is not None else []
        if other is not None and logs:
            services.ask_feedback_on_log(other, logs[0], coach, asked)
    services.ask_feedback_on_log(sanne, waiting, coach, days(3))
    reflection = reflections.create_reflection(sanne, "alact", ALACT, None, days(2), element_id=er)
    reflections.share_reflection(sanne, reflection, coach, days(1))
    db.session.flush()


def _offered(technique_ids: list[int]) -> list[int]:
    """The techniques still in the catalogue (an observation ticks only those), in order."""
    return sorted(t for t in technique_ids
                  if (technique := db.session.get(Technique, t)) is not None and technique.retired_at is None)
