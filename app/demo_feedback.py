"""Months of feedback asked and given, so the demo's dashboards show feedback rate and time.

Each coachee asks their coach for feedback on one or two logs most weeks, a day or so after the
session; each coach has their own pace (most answers within a few days, some after the week is
over). Every request written here is answered: the coach's queue keeps only the waiting items of
the coaching demo (app/coaching/demo.py). Rows are written directly, without notifications.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from app.clock import local_instant
from app.coaching.models import CoachFeedback, FeedbackRequest
from app.db import db
from app.practice.models import PracticeLog, PracticeLogElement

KEEP_DOING = (
    "Je vroeg eerst wat de jongere zelf wilde bereiken.",
    "Je vatte goed samen wat de ouders vertelden.",
    "Je bleef rustig toen het spannend werd.",
    "Je legde de keuzes helder en zonder oordeel uit.",
    "Je gaf de jongere ruimte om mee te denken.",
    "Je benoemde het gevoel voordat je verder ging.",
)
WORK_ON = (
    "Je ging snel door naar oplossingen.",
    "Je gaf veel eigen advies; vraag eerst wat zij al geprobeerd hebben.",
    "Vraag vaker door voordat je samenvat.",
    "Laat wat meer stilte vallen na een vraag.",
)
NEXT_STEP = (
    "Vraag aan het eind hoe zij het gesprek hebben ervaren.",
    "Laat de jongere zelf een eerste kleine stap kiezen.",
    "Oefen samen een lastig moment na voordat je afspraken maakt.",
)


@dataclass(frozen=True)
class Coaching:
    """A coach and coachee, from `since`; the coachee's requests are made before `until`."""

    coach_id: int
    coachee_id: int
    organisation_id: int
    since: datetime
    until: datetime


def generate_feedback(pairs: Sequence[Coaching], now: datetime, seed: int = 11) -> int:
    """Write answered feedback requests on the coachees' shared logs; returns how many. Flushes."""
    rng = random.Random(seed)
    asked = set(db.session.scalars(select(FeedbackRequest.practice_log_id)))
    pace = {coach: rng.uniform(30, 60) for coach in sorted({p.coach_id for p in pairs})}  # median hours
    requests: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    for pair in pairs:
        weeks = _logs_per_week(pair, asked)
        per_week = rng.uniform(1.0, 2.2)
        for week in sorted(weeks):
            logs = weeks[week]
            for log_id, day, element_id in rng.sample(logs, min(len(logs), _poisson(rng, per_week))):
                shared = local_instant(day + timedelta(days=rng.choice((0, 1, 1, 2))),
                                       time(rng.randint(9, 17), rng.randint(0, 59)))
                hours = min(rng.lognormvariate(math.log(pace[pair.coach_id]), 1.1), 21 * 24)
                answered = shared + timedelta(hours=max(hours, 0.5))
                if shared < pair.since or shared >= pair.until or answered >= now:
                    continue
                requests.append({"organisation_id": pair.organisation_id, "practice_log_id": log_id,
                                 "coach_id": pair.coach_id, "requested_at": shared})
                answers.append(_answer(rng, pair, log_id, element_id, shared, answered, now))
    if requests:
        db.session.execute(insert(FeedbackRequest), requests)
        db.session.execute(insert(CoachFeedback), answers)
    db.session.flush()
    return len(requests)


def _logs_per_week(pair: Coaching, asked: set[int]) -> dict[date, list[tuple[int, date, int]]]:
    """The coachee's logs the coach may read (not private, not asked about yet), per ISO week."""
    rows = db.session.execute(
        select(PracticeLog.id, PracticeLog.session_date, func.min(PracticeLogElement.element_id))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id == pair.coachee_id, PracticeLog.private.is_(False),
               PracticeLog.session_date >= pair.since.date())
        .group_by(PracticeLog.id, PracticeLog.session_date).order_by(PracticeLog.id)
    )
    weeks: dict[date, list[tuple[int, date, int]]] = defaultdict(list)
    for log_id, day, element_id in rows:
        if log_id not in asked:
            weeks[day - timedelta(days=day.weekday())].append((log_id, day, element_id))
    return weeks


def _answer(rng: random.Random, pair: Coaching, log_id: int, element_id: int, shared: datetime,
            answered: datetime, now: datetime) -> dict[str, object]:
    step = rng.random() < 0.3
    seen = answered + timedelta(hours=rng.uniform(2, 30))
    acknowledged = seen < now and rng.random() < 0.7
    return {
        "organisation_id": pair.organisation_id, "practitioner_id": pair.coachee_id,
        "coach_id": pair.coach_id, "item_kind": "log", "practice_log_id": log_id,
        "requested_at": shared, "created_at": answered, "element_id": element_id,
        "keep_doing": rng.choice(KEEP_DOING), "work_on": rng.choice(WORK_ON) if rng.random() < 0.7 else None,
        "next_step": rng.choice(NEXT_STEP) if step else None,
        "acknowledgement": "seen" if acknowledged else None,
        "acknowledged_at": seen if acknowledged else None,
    }


def _poisson(rng: random.Random, lam: float) -> int:
    n, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p < limit:
            return n
        n += 1
