"""Realistic practice logs in bulk, for the demo and the benchmarks.

Each practitioner gets their own rhythm, element preferences, favourite techniques and a
self-rating that drifts over the months, so dashboards built on it show real variation. For a
share of the sessions with a young person or parent there is a client rating (CollaboRATE) that
follows the self-rating of shared decision-making loosely, higher when answered in hand-over.
Rows are written with COPY on PostgreSQL and executemany on SQLite: a million logs in minutes.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from app.clientvoice.models import ClientRating
from app.elements.models import CoreElement, Technique
from app.practice.models import (
    AGE_BANDS,
    PARTICIPANTS,
    PHASES,
    SETTINGS,
    PracticeLog,
    PracticeLogElement,
    PracticeLogParticipant,
    PracticeLogTechnique,
)

CHUNK = 20_000
# Share of a practitioner's sessions with a young person or parent that gets rated: drawn per
# practitioner from this range (the demo, with small teams, asks more often).
CLIENT_FEEDBACK = (0.05, 0.35)
# One log's rows: the log, its participants, its applied elements, its ticked techniques, and
# its client ratings.
LogRows = tuple[tuple[Any, ...], list[tuple[int, str]], list[tuple[int, int, int]], list[tuple[int, int]],
                list[tuple[Any, ...]]]
Buffers = tuple[list[Any], list[Any], list[Any], list[Any], list[Any]]
SDM = "shared_decision_making"


@dataclass(frozen=True)
class Practitioner:
    user_id: int
    team_id: int
    organisation_id: int


@dataclass
class _Profile:
    per_week: float
    propensity: dict[int, float]
    drift: dict[int, float]
    rating: dict[int, float]
    growth: dict[int, float]
    weights: dict[int, list[float]]
    asks_feedback: float  # share of sessions with a young person or parent that get rated
    client_bias: float  # how this practitioner's families rate them, beyond their own self-rating
    sdm_element: int | None


def _profile(rng: random.Random, catalogue: dict[int, list[int]], sdm_element: int | None,
             client_feedback: tuple[float, float] = CLIENT_FEEDBACK) -> _Profile:
    elements = list(catalogue)
    return _Profile(
        per_week=rng.uniform(3.0, 9.0),
        propensity={e: rng.uniform(0.15, 0.8) for e in elements},
        drift={e: rng.uniform(-0.1, 0.35) for e in elements},
        rating={e: rng.uniform(2.2, 3.8) for e in elements},
        growth={e: rng.uniform(-0.2, 1.0) for e in elements},
        weights={e: [rng.random() ** 2 + 0.02 for _ in catalogue[e]] for e in elements},
        asks_feedback=rng.uniform(*client_feedback),
        client_bias=rng.gauss(0, 0.35),
        sdm_element=sdm_element,
    )


def _pick(rng: random.Random, items: Sequence[int], weights: Sequence[float], k: int) -> list[int]:
    chosen: list[int] = []
    pool, w = list(items), list(weights)
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(i))
        w.pop(i)
    return chosen


def _log_rows(
    rng: random.Random, who: Practitioner, profile: _Profile, catalogue: dict[int, list[int]],
    start: date, end: date, next_id: Iterator[int],
) -> Iterator[LogRows]:
    span = max((end - start).days, 1)
    day = start
    while day < end:
        if day.weekday() < 5:
            for _ in range(_poisson(rng, profile.per_week / 5)):
                yield _one_log(rng, who, profile, catalogue, day, (day - start).days / span, next(next_id))
        day += timedelta(days=1)


def _poisson(rng: random.Random, lam: float) -> int:
    n, p, limit = 0, 1.0, pow(2.718281828, -lam)
    while True:
        p *= rng.random()
        if p < limit:
            return n
        n += 1


def _one_log(
    rng: random.Random, who: Practitioner, profile: _Profile, catalogue: dict[int, list[int]],
    day: date, progress: float, log_id: int,
) -> LogRows:
    applied = [e for e in catalogue if rng.random() < profile.propensity[e] + profile.drift[e] * progress]
    if not applied:
        applied = [max(catalogue, key=lambda e: profile.propensity[e])]
    elements, techniques = [], []
    for e in applied:
        mean = profile.rating[e] + profile.growth[e] * progress
        elements.append((log_id, e, min(5, max(1, round(rng.gauss(mean, 0.8))))))
        k = rng.choice((1, 2, 2, 3, 3, 4))
        techniques += [(log_id, t) for t in _pick(rng, catalogue[e], profile.weights[e], k)]
    at = datetime.combine(day, time(hour=rng.randint(8, 17)), tzinfo=UTC)
    log = (
        log_id, who.organisation_id, who.user_id, who.team_id, day,
        rng.choice((30, 45, 60, 60, 60, 90)),
        rng.choices(SETTINGS, weights=(5, 4, 2, 2, 2, 1))[0],
        rng.choices(AGE_BANDS, weights=(1, 4, 4, 2))[0],
        rng.choices(PHASES, weights=(2, 2, 2, 2, 5, 1))[0],
        None, rng.random() < 0.08, str(uuid.UUID(int=rng.getrandbits(128))), at, at,
    )
    people = _pick(rng, list(range(len(PARTICIPANTS))), [5, 5, 2, 1, 1], rng.choice((1, 1, 2)))
    participants = [(log_id, PARTICIPANTS[i]) for i in people]
    sdm = next((rating for _log, e, rating in elements if e == profile.sdm_element), None)
    client = _client_ratings(rng, profile, log_id, who.user_id, people, sdm)
    return log, participants, elements, techniques, client


def _client_ratings(
    rng: random.Random, profile: _Profile, log_id: int, author_id: int, people: list[int],
    sdm_rating: int | None,
) -> list[tuple[Any, ...]]:
    """At most one answer: it tracks the self-rating loosely (a gap is the learning signal), runs
    higher in hand-over (answers given with the helper near drift upward) and is shared less often
    through a link; about a third are top scores, as CollaboRATE's ceiling effect gives.
    """
    present = {PARTICIPANTS[i] for i in people}
    if not present & {"youth", "parent", "family"} or rng.random() >= profile.asks_feedback:
        return []
    if "youth" in present and "parent" in present:
        respondent = rng.choice(("youth", "parent", "together"))
    else:
        respondent = "youth" if "youth" in present else "parent"
    handover = rng.random() < 0.45
    latent = 3.1 + 0.35 * ((sdm_rating or 3) - 3) + profile.client_bias + (0.3 if handover else 0)
    person = rng.gauss(latent, 0.7)
    items = [min(4, max(0, round(person + rng.gauss(0, 0.4)))) for _ in range(3)]
    shared = rng.random() < (0.6 if handover else 0.45)
    return [(log_id, author_id, respondent, "handover" if handover else "link", *items, shared)]


LOG_COLUMNS = (
    "id", "organisation_id", "author_id", "team_id", "session_date", "duration_minutes", "setting",
    "age_band", "phase", "note", "private", "submission_key", "created_at", "updated_at",
)


def _bulk(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        conn.info["wrote"] = True  # COPY goes around the engine's events (app.db.end_reads)
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Table and column names come from the models, never from input.
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
    conn.exec_driver_sql(
        statement,
        [tuple(_sqlite_value(v) for v in row) for row in rows],
    )


def _sqlite_value(value: Any) -> Any:
    # The same text form SQLAlchemy's SQLite types store, so the ORM reads these rows back.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def catalogue_for(conn: Connection, organisation_id: int) -> dict[int, list[int]]:
    """The organisation's non-retired technique ids per element id."""
    rows = conn.execute(
        select(Technique.element_id, Technique.id)
        .where(Technique.organisation_id == organisation_id, Technique.retired_at.is_(None))
        .order_by(Technique.element_id, Technique.position)
    )
    catalogue: dict[int, list[int]] = {}
    for element_id, technique_id in rows:
        catalogue.setdefault(element_id, []).append(technique_id)
    return catalogue


def generate_logs(
    conn: Connection, practitioners: Iterable[Practitioner], start: date, end: date, seed: int = 7,
    client_feedback: tuple[float, float] = CLIENT_FEEDBACK,
) -> int:
    """Write logs dated [start, end) for each practitioner; returns how many. Caller commits.

    `client_feedback`: the range each practitioner's share of rated sessions is drawn from.
    """
    rng = random.Random(seed)
    first = (conn.execute(select(func.max(PracticeLog.id))).scalar() or 0) + 1
    ids = iter(range(first, 2**62))
    catalogues: dict[int, dict[int, list[int]]] = {}
    sdm_element = conn.execute(select(CoreElement.id).where(CoreElement.key == SDM)).scalar()
    buffers: Buffers = ([], [], [], [], [])
    total = 0
    for who in practitioners:
        if who.organisation_id not in catalogues:
            catalogues[who.organisation_id] = catalogue_for(conn, who.organisation_id)
        catalogue = catalogues[who.organisation_id]
        for log, parts, elements, techniques, client in _log_rows(
            rng, who, _profile(rng, catalogue, sdm_element, client_feedback), catalogue, start, end, ids
        ):
            buffers[0].append(log)
            buffers[1].extend(parts)
            buffers[2].extend(elements)
            buffers[3].extend(techniques)
            buffers[4].extend(client)
            total += 1
            if len(buffers[0]) >= CHUNK:
                _flush(conn, buffers)
    _flush(conn, buffers)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('practice_logs', 'id'), "
                          "(SELECT COALESCE(max(id), 1) FROM practice_logs))"))
    # Fresh planner statistics after a bulk load: autovacuum may be off, and is late at best.
    tables = (PracticeLog, PracticeLogParticipant, PracticeLogElement, PracticeLogTechnique, ClientRating)
    for table in tables:
        conn.execute(text(f"ANALYZE {table.__tablename__}"))
    return total


CLIENT_RATING_COLUMNS = ("log_id", "author_id", "respondent", "channel", "effort_understand",
                         "effort_listen", "effort_include", "shared")


def _flush(conn: Connection, buffers: Buffers) -> None:
    _bulk(conn, PracticeLog.__table__, LOG_COLUMNS, buffers[0])  # type: ignore[arg-type]
    _bulk(conn, PracticeLogParticipant.__table__, ("log_id", "participant"), buffers[1])  # type: ignore[arg-type]
    _bulk(conn, PracticeLogElement.__table__, ("log_id", "element_id", "self_rating"), buffers[2])  # type: ignore[arg-type]
    _bulk(conn, PracticeLogTechnique.__table__, ("log_id", "technique_id"), buffers[3])  # type: ignore[arg-type]
    _bulk(conn, ClientRating.__table__, CLIENT_RATING_COLUMNS, buffers[4])  # type: ignore[arg-type]
    for buffer in buffers:
        buffer.clear()
