"""Coaching objects for tests, made through the real services (each committed in its own context)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.coaching import services
from app.coaching.models import CoachFeedback
from app.db import utcnow
from app.goals import services as goal_services
from app.goals.models import LearningGoal
from app.observations import services as observation_services
from app.observations.models import Observation
from app.practice.models import PracticeLog
from app.reflection.models import Reflection
from tests import factories

BSN = "111222333"  # passes the eleven-test: the free-text guard must refuse it


def _user(s: Any, user: Any) -> User:
    return factories.get(s, User, user.id)


def ask(log: Any, author: Any, coach: Any, now: datetime | None = None) -> Any:
    """The author asks `coach` for feedback on `log`."""
    with factories.committed() as s:
        return services.ask_feedback_on_log(
            _user(s, author), factories.get(s, PracticeLog, log.id), _user(s, coach), now or utcnow()
        )


def feedback(coach: Any, item: Any, now: datetime | None = None, **fields: Any) -> CoachFeedback:
    """The coach answers a log's request or a shared reflection (default: all four parts filled)."""
    parts: dict[str, Any] = {
        "keep_doing": "Je vroeg naar hun wensen.",
        "work_on": "Laat meer stiltes vallen.",
        "next_step": "Vraag eerst wat zij belangrijk vinden.",
        "free_text": "Fijn gesprek.",
        "element_id": factories.element_ids()["shared_decision_making"],
    }
    data = services.FeedbackInput(**(parts | fields))
    with factories.committed() as s:
        actor = _user(s, coach)
        if isinstance(item, Reflection):
            return services.give_feedback_on_reflection(
                actor, factories.get(s, Reflection, item.id), data, now or utcnow()
            )
        log = factories.get(s, PracticeLog, item.id)
        return services.give_feedback_on_log(actor, log, data, now or utcnow())


def observation(
    coach: Any,
    coachee: Any,
    *,
    log: Any = None,
    ratings: dict[str, int] | None = None,
    techniques: tuple[str, ...] = (),
    session_date: date | None = None,
    now: datetime | None = None,
) -> Observation:
    ids = factories.element_ids()
    org_techniques = [factories.technique(factories_org(coachee), key).id for key in techniques]
    data = observation_services.ObservationInput(
        session_date=session_date or (now or utcnow()).date(),
        source="live",
        ratings={ids[k]: v for k, v in (ratings or {"shared_decision_making": 3}).items()},
        technique_ids=frozenset(org_techniques),
        practice_log_id=log.id if log else None,
    )
    with factories.committed() as s:
        return observation_services.record_observation(
            _user(s, coach), _user(s, coachee), data, now or utcnow()
        )


def factories_org(user: Any) -> Any:
    from app.organisations.models import Organisation

    with factories.committed() as s:
        return s.get(Organisation, user.organisation_id)


def goal(
    owner: Any,
    element: str = "emotion_regulation",
    *,
    text: str = "Eerst het gevoel benoemen.",
    target: date | None = None,
    created_at: datetime | None = None,
    status: str = "open",
) -> LearningGoal:
    when = created_at or utcnow()
    with factories.committed() as s:
        g = goal_services.create_goal(
            _user(s, owner),
            goal_services.GoalInput(
                factories.element_ids()[element], text, target or when.date() + timedelta(weeks=6)
            ),
            when,
        )
        g.status = status
    return g


def end_coaching(coach: Any, coachee: Any, at: datetime | None = None) -> None:
    from app.teams.models import CoachAssignment

    with factories.committed() as s:
        for a in s.scalars(
            select(CoachAssignment).where(
                CoachAssignment.coach_id == coach.id, CoachAssignment.coachee_id == coachee.id
            )
        ):
            a.ended_at = at or utcnow()


def count(model: Any, *where: Any) -> int:
    with factories.committed() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def rows(model: Any, *where: Any, order: Any = None) -> list[Any]:
    with factories.committed() as s:
        query = select(model).where(*where)
        return list(s.scalars(query.order_by(order if order is not None else model.id)))
