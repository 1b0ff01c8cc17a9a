"""Every metric's one definition (metrics.md), on aggregates made in SQL with GROUP BY.

Two layers. `facts()` runs one GROUP BY per table over a scope's window (a team's logs, prompts,
reflections, group sessions), down to one row per person and week: never a log row. The metric
functions below turn those facts into cells, each with the number of distinct contributors that
the privacy rules (app/dashboards/privacy.py) need. Grouping per person and week in SQL gives the
weekly cells and the whole period's from the same rows, with exact distinct contributor counts at
both levels, and the cost follows the window, not the history (index: team, date).

The pages, charts, exports and the personal overview all read these definitions; the targeted
reflection prompts and the home page use `element_stats_per_author`, the client-voice pages the
CollaboRATE score of one answer (`client_score`, `client_top`) at the end of this module.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    func,
    or_,
    select,
)

from app.auth.models import User
from app.clientvoice.models import ClientRating
from app.coaching.models import CoachFeedback, FeedbackRequest
from app.dashboards.periods import Bucket
from app.dashboards.sql import Bucketing, instant, local_day, minutes_between
from app.db import UTCDateTime, db
from app.groups.models import GroupParticipant, GroupSession
from app.practice.models import PracticeLog, PracticeLogElement, PracticeLogTechnique
from app.prompts.models import Prompt
from app.reflection.models import Reflection, ReflectionShare
from app.teams.models import Membership

# Metric keys (metrics.md), in the order the dashboards show them.
METRICS = ("sessions", "adoption", "coverage", "frequency", "self_rating", "technique_mix",
           "client_sdm_mean", "client_sdm_top", "reflection_rate", "reflection_depth",
           "feedback_rate", "feedback_latency", "intervisie_hours", "sustained")
# A period figure of these is a sum, or a ratio of sums, of its weeks: hiding one week is not
# enough when the period's figure is shown (privacy.py hides the period's figure then).
ADDITIVE = frozenset({"sessions", "coverage", "self_rating", "technique_mix", "reflection_rate",
                      "reflection_depth", "intervisie_hours", "client_sdm_mean", "client_sdm_top",
                      "feedback_rate"})
ALACT_DEPTH_STEPS = ("alternatives", "trial")
FEEDBACK_DAYS = 7  # feedback_rate: coach feedback within this many days of sharing


@dataclass(frozen=True)
class Cell:
    """One number shown for a scope, bucket (and element): `value` None means no value exists
    (nothing to average); `suppressed` means it exists but may not be shown (privacy.py)."""

    value: float | None
    contributors: int
    suppressed: bool = False


@dataclass(frozen=True)
class Series:
    """One metric (of one element, or technique) over buckets, with the whole period's cell."""

    metric: str
    buckets: tuple[Bucket, ...]
    cells: tuple[Cell, ...]
    total: Cell | None = None
    element: str | None = None  # element key
    technique: str | None = None  # technique key


@dataclass(frozen=True)
class Scope:
    """Whose figures: some teams (a group per team) or one person's own (the group is the person)."""

    team_ids: tuple[int, ...] = ()
    person_id: int | None = None

    @staticmethod
    def teams(team_ids: Iterable[int]) -> Scope:
        return Scope(team_ids=tuple(team_ids))

    @staticmethod
    def person(user_id: int) -> Scope:
        return Scope(person_id=user_id)


Key = tuple[int, int]  # (group, bucket index)
PerPerson = dict[int, int]  # person -> count


@dataclass
class Facts:
    """Per person and bucket aggregates of one scope, as SQL grouped them, keyed (group, bucket)."""

    bucketing: Bucketing
    logs: dict[Key, PerPerson] = field(default_factory=lambda: defaultdict(dict))
    # element -> author -> (logs applying it, sum of their self-ratings)
    applied: dict[Key, dict[int, dict[int, tuple[int, int]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    ticks: dict[Key, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))  # technique
    active: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))
    # person -> (prompts settled, answered before they expired)
    prompts: dict[Key, dict[int, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))
    # author -> (ALACT reflections, with the alternatives and trial steps done)
    depth: dict[Key, dict[int, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))
    minutes: dict[Key, int] = field(default_factory=dict)  # group-session minutes
    participants: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))
    # author of the rated logs -> (client answers, sum of their scores, answers with the top score)
    client: dict[Key, dict[int, tuple[int, float, int]]] = field(default_factory=lambda: defaultdict(dict))
    # who shared -> (items settled by now, of which with coach feedback within FEEDBACK_DAYS)
    shares: dict[Key, dict[int, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))
    # who shared -> minutes from sharing to the first coach feedback, one entry per item answered
    latencies: dict[Key, dict[int, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))


# --- facts: one GROUP BY per table --------------------------------------------------------------


def facts(scope: Scope, bucketing: Bucketing, now: datetime, *, only_adoption: bool = False) -> Facts:
    """The aggregates every metric of `scope` needs, per bucket of `bucketing`. Reads only.

    `now` decides which prompts and shared items are settled (answered, dismissed, or past their
    expiry; given feedback, or shared more than FEEDBACK_DAYS ago) and which feedback counts.
    `only_adoption` reads the logs' elements and the memberships alone (monthly adoption).
    The statements are built once per kind of scope and bucketing (_statements); who, which
    teams and the moment are their bound parameters.
    """
    found = Facts(bucketing)
    run = _statements(scope.person_id is not None, bucketing, db.session.get_bind().dialect.name)
    params = {"person_id": scope.person_id, "team_ids": list(scope.team_ids), "now": now,
              "pending_until": now - timedelta(days=FEEDBACK_DAYS)}
    conn = db.session.connection()
    for g, b, author, element, n, rating_sum in conn.execute(run.applied, params):
        found.applied[(g, b)][element][author] = (int(n), int(rating_sum))
    _active(found, scope)
    if only_adoption:
        return found
    for g, b, author, n in conn.execute(run.logs, params):
        found.logs[(g, b)][author] = int(n)
    for g, b, technique, n in conn.execute(run.ticks, params):
        found.ticks[(g, b)][technique] = int(n)
    for g, b, author, n, scores, tops in conn.execute(run.client, params):
        found.client[(g, b)][author] = (int(n), float(scores), int(tops))
    for n, answered, g, b, user in conn.execute(run.prompts, params):
        found.prompts[(g, b)][user] = (int(n), int(answered or 0))
    for n, complete, g, b, author in conn.execute(run.depth, params):
        found.depth[(g, b)][author] = (int(n), int(complete or 0))
    for g, b, minutes in conn.execute(run.minutes, params):
        found.minutes[(g, b)] = int(minutes)
    for g, b, user in conn.execute(run.participants, params):
        found.participants[(g, b)].add(user)
    for statement in run.shared:
        for minutes, n, done, count, g, b, person in conn.execute(statement, params):
            if n:
                before = found.shares[(g, b)].get(person, (0, 0))
                found.shares[(g, b)][person] = (before[0] + int(n), before[1] + int(done))
            if minutes is not None:
                found.latencies[(g, b)][person].extend([float(minutes)] * int(count))
    return found


@dataclass(frozen=True)
class _Statements:
    """facts()' statements for one kind of scope and one bucketing, in the order facts() reads them."""

    applied: Any
    logs: Any
    ticks: Any
    client: Any
    prompts: Any
    depth: Any
    minutes: Any
    participants: Any
    shared: tuple[Any, Any]


# Bound parameters of every facts() statement (the values come from facts()).
_PERSON = bindparam("person_id", type_=Integer)
_TEAMS: BindParameter[Any] = bindparam("team_ids", expanding=True)
_NOW = bindparam("now", type_=UTCDateTime)


@lru_cache(maxsize=16)
def _statements(person: bool, bucketing: Bucketing, dialect: str) -> _Statements:
    """Built once per kind of scope (one person, or teams) and bucketing: a window ends today, so
    a page's few bucketings change once a day and the statements are reused until then. A set
    takes about 160 kB; 16 hold the preset periods of both scopes, custom periods take turns."""
    bucket = bucketing.index(PracticeLog.session_date, dialect)
    group: Any = _PERSON if person else PracticeLog.team_id
    in_window = [PracticeLog.session_date >= bucketing.start, PracticeLog.session_date < bucketing.end,
                 PracticeLog.author_id == _PERSON if person else PracticeLog.team_id.in_(_TEAMS)]
    minutes, participants = _group_sessions(person, bucketing, dialect)
    return _Statements(
        applied=select(group, bucket, PracticeLog.author_id, PracticeLogElement.element_id, func.count(),
                       func.sum(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(*in_window).group_by(group, bucket, PracticeLog.author_id, PracticeLogElement.element_id),
        logs=select(group, bucket, PracticeLog.author_id, func.count())
        .where(*in_window).group_by(group, bucket, PracticeLog.author_id),
        ticks=select(group, bucket, PracticeLogTechnique.technique_id, func.count())
        .join(PracticeLogTechnique, PracticeLogTechnique.log_id == PracticeLog.id)
        .where(*in_window).group_by(group, bucket, PracticeLogTechnique.technique_id),
        client=_client_ratings(person, group, bucket, in_window),
        prompts=_prompts(person, bucketing, dialect),
        depth=_depth(person, bucketing, dialect),
        minutes=minutes,
        participants=participants,
        shared=_shared_items(person, bucketing, dialect),
    )


def _active(found: Facts, scope: Scope) -> None:
    """Active practitioners per bucket: a practitioner of the team on at least one of its days,
    whose account is active. One's own figures count oneself in every bucket."""
    buckets = found.bucketing.buckets
    if scope.person_id is not None:
        for b in range(len(buckets)):
            found.active[(scope.person_id, b)].add(scope.person_id)
        return
    spans = db.session.execute(
        select(Membership.team_id, Membership.user_id, Membership.started_on, Membership.ended_on)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id.in_(scope.team_ids), Membership.role == "practitioner",
               User.active.is_(True), User.password_hash.is_not(None),
               Membership.started_on < found.bucketing.end,
               or_(Membership.ended_on.is_(None), Membership.ended_on > found.bucketing.start))
    )
    for team_id, user_id, started, ended in spans:
        for b, span in enumerate(buckets):
            if started < span.end and (ended is None or ended > span.start):
                found.active[(team_id, b)].add(user_id)


def _member_on(user_id: ColumnElement[int], day: ColumnElement[Any]) -> Any:
    """Join condition: `user_id` was a practitioner of a scope team on `day` (ended_on excluded)."""
    return and_(Membership.user_id == user_id, Membership.role == "practitioner",
                Membership.team_id.in_(_TEAMS), Membership.started_on <= day,
                or_(Membership.ended_on.is_(None), Membership.ended_on > day))


def _timestamped(person: bool, bucketing: Bucketing, query: Any, user_id: Any, at: Any, dialect: str) -> Any:
    """Group a query of timestamped rows by scope group, bucket (local day of `at`) and person."""
    day = local_day(at, bucketing.start, bucketing.end, dialect)
    bucket = bucketing.index(day, dialect)
    window = [at >= instant(bucketing.start), at < instant(bucketing.end)]
    if person:
        group: Any = _PERSON
        query = query.where(user_id == _PERSON, *window)
    else:
        group = Membership.team_id
        query = query.join(Membership, _member_on(user_id, day)).where(*window)
    return query.add_columns(group, bucket, user_id).group_by(group, bucket, user_id)


def _client_ratings(person: bool, group: Any, bucket: Any, in_window: list[Any]) -> Any:
    """CollaboRATE answers per author of the rated logs, in the bucket of the log's date (an
    answer keeps no time of its own). A team's cells take every answer, as aggregates; one's own
    figures only the answers the client chose to share (privacy.md; the unshared ones reach their
    author only through unshared_client_rating)."""
    where = list(in_window)
    if person:  # the answers' own copy of the author lets the index lead
        where += [ClientRating.author_id == _PERSON, ClientRating.shared.is_(True)]
    return (
        select(group, bucket, PracticeLog.author_id, func.count(ClientRating.id), func.sum(client_score()),
               func.sum(client_top()))
        .join(ClientRating, ClientRating.log_id == PracticeLog.id)
        .where(*where).group_by(group, bucket, PracticeLog.author_id)
    )


def _prompts(person: bool, bucketing: Bucketing, dialect: str) -> Any:
    settled = or_(Prompt.status != "open", Prompt.expires_at <= _NOW)
    in_time = and_(Prompt.status == "answered", Prompt.closed_at <= Prompt.expires_at)
    query = select(func.count(), func.sum(case((in_time, 1), else_=0))).select_from(Prompt).where(settled)
    return _timestamped(person, bucketing, query, Prompt.user_id, Prompt.due_at, dialect)


def _depth(person: bool, bucketing: Bucketing, dialect: str) -> Any:
    done = and_(*(func.coalesce(func.trim(Reflection.answers[step].as_string()), "") != ""
                  for step in ALACT_DEPTH_STEPS))
    query = (select(func.count(), func.sum(case((done, 1), else_=0))).select_from(Reflection)
             .where(Reflection.template_key == "alact"))
    return _timestamped(person, bucketing, query, Reflection.author_id, Reflection.created_at, dialect)


def _group_sessions(person: bool, bucketing: Bucketing, dialect: str) -> tuple[Any, Any]:
    """The minutes of group sessions per bucket, and who took part: two statements."""
    bucket = bucketing.index(GroupSession.session_date, dialect)
    window = [GroupSession.session_date >= bucketing.start, GroupSession.session_date < bucketing.end]
    mine = GroupSession.id.in_(select(GroupParticipant.session_id).where(GroupParticipant.user_id == _PERSON))
    where = mine if person else GroupSession.team_id.in_(_TEAMS)
    group: Any = _PERSON if person else GroupSession.team_id
    minutes = (select(group, bucket, func.sum(GroupSession.duration_minutes)).where(where, *window)
               .group_by(group, bucket))
    participants = (select(group, bucket, GroupParticipant.user_id)
                    .join(GroupParticipant, GroupParticipant.session_id == GroupSession.id)
                    .where(where, *window).group_by(group, bucket, GroupParticipant.user_id))
    return minutes, participants


def _answer(item: Any, item_id: Any, coach_id: Any, shared_at: Any) -> ColumnElement[bool]:
    """Join condition: the coach's feedback on this request of the item, given by `now`."""
    return and_(item == item_id, CoachFeedback.coach_id == coach_id, CoachFeedback.requested_at == shared_at,
                CoachFeedback.created_at <= _NOW)


def _shared_items(person: bool, bucketing: Bucketing, dialect: str) -> tuple[Any, Any]:
    """Logs and reflections shared with a coach, per who shared them and the local day of sharing.

    An item is one request: a log's feedback request, or a reflection's share, with one coach. Its
    first feedback is the coach's answer to that request (given by `now`). It is settled once it
    has feedback, or FEEDBACK_DAYS have passed without the author taking it back before then (an
    item withdrawn sooner never gave the coach the full time, and does not count).
    """
    week = FEEDBACK_DAYS * 24 * 60
    pending_until = bindparam("pending_until", type_=UTCDateTime)  # now - FEEDBACK_DAYS
    # `+ 0` keeps SQLite's planner off the indexes on the author and on the log: otherwise it may
    # walk every log (reflection) of each team member, or every log there is, to find the few
    # shared in the window; this way the window of sharing (its index) leads.
    logs = (FeedbackRequest.requested_at, FeedbackRequest.withdrawn_at, PracticeLog.author_id + 0,
            select().select_from(FeedbackRequest)
            .join(PracticeLog, PracticeLog.id == FeedbackRequest.practice_log_id + 0)
            .outerjoin(CoachFeedback, _answer(CoachFeedback.practice_log_id, FeedbackRequest.practice_log_id,
                                              FeedbackRequest.coach_id, FeedbackRequest.requested_at)))
    reflections = (ReflectionShare.shared_at, ReflectionShare.withdrawn_at, Reflection.author_id + 0,
                   select().select_from(ReflectionShare)
                   .join(Reflection, Reflection.id == ReflectionShare.reflection_id)
                   .outerjoin(CoachFeedback, _answer(
                       CoachFeedback.reflection_id, ReflectionShare.reflection_id, ReflectionShare.coach_id,
                       ReflectionShare.shared_at)))
    statements = []
    for shared_at, withdrawn_at, author, items in (logs, reflections):
        waited = minutes_between(CoachFeedback.created_at, shared_at, dialect)
        in_time = and_(CoachFeedback.id.is_not(None), waited <= week)
        kept = or_(withdrawn_at.is_(None), minutes_between(withdrawn_at, shared_at, dialect) >= week)
        settled = or_(in_time, and_(shared_at <= pending_until, kept))
        latency = cast(func.round(waited), Integer)  # NULL without feedback
        query = items.add_columns(latency, func.sum(case((settled, 1), else_=0)),
                                  func.sum(case((in_time, 1), else_=0)), func.count())
        grouped = _timestamped(person, bucketing, query, author, shared_at, dialect)
        statements.append(grouped.group_by(latency))
    return statements[0], statements[1]


# --- the metrics: one definition each ----------------------------------------------------------
# `bs` is the buckets a cell covers: one week, or every week of the period for its total.


def _share(part: int, whole: int, contributors: int) -> Cell:
    return Cell(part / whole if whole else None, contributors)


def _loggers(f: Facts, g: int, bs: Sequence[int]) -> tuple[int, set[int]]:
    n, who = 0, set[int]()
    for b in bs:
        per_person = f.logs.get((g, b), {})
        n += sum(per_person.values())
        who.update(per_person)
    return n, who


def _appliers(f: Facts, g: int, bs: Sequence[int], element: int) -> tuple[int, int, set[int]]:
    n, ratings, who = 0, 0, set[int]()
    for b in bs:
        per_person = f.applied.get((g, b), {}).get(element, {})
        for author, (count, rating_sum) in per_person.items():
            n, ratings = n + count, ratings + rating_sum
            who.add(author)
    return n, ratings, who


def _summed(rows: dict[Key, dict[int, tuple[int, int]]], g: int, bs: Sequence[int]) -> Cell:
    part, whole, who = 0, 0, set[int]()
    for b in bs:
        for person, (n, done) in rows.get((g, b), {}).items():
            whole, part = whole + n, part + done
            who.add(person)
    return _share(part, whole, len(who))


def sessions(f: Facts, g: int, bs: Sequence[int], element: int | None = None) -> Cell:
    """Logs dated in the cell (applying `element`, when given). Contributors: who logged."""
    total, who = _loggers(f, g, bs)
    if element is None:
        return Cell(total, len(who))
    return Cell(_appliers(f, g, bs, element)[0], len(who))


def coverage(f: Facts, g: int, bs: Sequence[int], element: int) -> Cell:
    """Share of the logs in the cell that apply `element`. Contributors: who logged."""
    total, who = _loggers(f, g, bs)
    return _share(_appliers(f, g, bs, element)[0], total, len(who))


def adoption(f: Facts, g: int, bs: Sequence[int], element: int) -> Cell:
    """Share of the active practitioners who logged a session applying `element` in the cell.

    Contributors: the active practitioners (the denominator)."""
    active: set[int] = set().union(*(f.active.get((g, b), set()) for b in bs))
    applied = _appliers(f, g, bs, element)[2]
    return _share(len(active & applied), len(active), len(active))


def frequency(f: Facts, g: int, bs: Sequence[int], weeks: float) -> Cell:
    """Median over the active practitioners of their logs per week (`weeks` long). Contributors:
    who logged. SQLite has no median: SQL counts per person, the median of those is taken here."""
    active: set[int] = set().union(*(f.active.get((g, b), set()) for b in bs))
    per_person: dict[int, int] = dict.fromkeys(active, 0)
    for b in bs:
        for author, count in f.logs.get((g, b), {}).items():
            if author in per_person:
                per_person[author] += count
    who = _loggers(f, g, bs)[1]
    if not per_person:
        return Cell(None, len(who))
    return Cell(statistics.median(per_person.values()) / weeks, len(who))


def self_rating(f: Facts, g: int, bs: Sequence[int], element: int) -> Cell:
    """Mean self-rating (1-5) over the logs applying `element`. Contributors: who applied it."""
    n, ratings, who = _appliers(f, g, bs, element)
    return Cell(ratings / n if n else None, len(who))


def technique_mix(f: Facts, g: int, bs: Sequence[int], element: int, technique: int) -> Cell:
    """Share of the logs applying `element` in which `technique` was ticked. Contributors: who
    applied the element."""
    n, _ratings, who = _appliers(f, g, bs, element)
    ticks = sum(f.ticks.get((g, b), {}).get(technique, 0) for b in bs)
    return _share(ticks, n, len(who))


def reflection_rate(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Share of the prompts delivered in the cell (and settled by now) that were answered before
    they expired. Contributors: who received them."""
    return _summed(f.prompts, g, bs)


def reflection_depth(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Share of the ALACT reflections written in the cell that completed the alternatives and
    trial steps. Contributors: who wrote them."""
    return _summed(f.depth, g, bs)


def intervisie_hours(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Hours of group reflection sessions held by the team (for one person: taken part in).
    Contributors: the sessions' participants."""
    minutes = sum(f.minutes.get((g, b), 0) for b in bs)
    who: set[int] = set().union(*(f.participants.get((g, b), set()) for b in bs))
    return Cell(minutes / 60, len(who))


def sustained(monthly_adoption: Sequence[Cell], target: float) -> Cell:
    """Adoption of an element at or above the team's target in each of the last months: 1 or 0.

    Made from the months' adoption cells after the privacy rules: when one of them is hidden,
    so is this. Contributors: the fewest of any month."""
    if not monthly_adoption or any(c.suppressed for c in monthly_adoption):
        return Cell(None, 0, suppressed=True)
    contributors = min(c.contributors for c in monthly_adoption)
    if any(c.value is None for c in monthly_adoption):
        return Cell(None, contributors)
    return Cell(1.0 if all((c.value or 0) >= target for c in monthly_adoption) else 0.0, contributors)


def _client(f: Facts, g: int, bs: Sequence[int]) -> tuple[int, float, int, set[int]]:
    n, scores, tops, who = 0, 0.0, 0, set[int]()
    for b in bs:
        for author, (count, score_sum, top_count) in f.client.get((g, b), {}).items():
            n, scores, tops = n + count, scores + score_sum, tops + top_count
            who.add(author)
    return n, scores, tops, who


def client_sdm_mean(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Mean CollaboRATE score (0-100, client_score) over the answers about the logs dated in the
    cell. Contributors: the practitioners whose sessions were rated."""
    n, scores, _tops, who = _client(f, g, bs)
    return Cell(scores / n if n else None, len(who))


def client_sdm_top(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Share of those answers with the maximum on all three items (client_top). Contributors: the
    practitioners whose sessions were rated."""
    n, _scores, tops, who = _client(f, g, bs)
    return _share(tops, n, len(who))


def feedback_rate(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Share of the items shared with a coach in the cell (and settled by now) that got coach
    feedback within FEEDBACK_DAYS. Contributors: who shared them."""
    return _summed(f.shares, g, bs)


def feedback_latency(f: Facts, g: int, bs: Sequence[int]) -> Cell:
    """Median hours from sharing an item in the cell to its first coach feedback, over the items
    that got it. Contributors: who shared those. SQL gives the minutes of each, the median is here."""
    waits, who = [], set[int]()
    for b in bs:
        for person, minutes in f.latencies.get((g, b), {}).items():
            waits += minutes
            who.add(person)
    return Cell(statistics.median(waits) / 60 if waits else None, len(who))


# --- one person's figures per element (home page, targeted prompts) ------------------------------


@dataclass(frozen=True)
class ElementStats:
    """For one element in a period: `sessions` applying it and its mean `self_rating`."""

    sessions: int
    self_rating: float


def element_stats_per_author(
    author_ids: Sequence[int], start: date, end: date, *, shared_only: bool = False
) -> dict[int, dict[int, ElementStats]]:
    """Per author and element applied, over logs dated in [start, end): the number of logs applying
    the element (`sessions` of E) and their mean self-rating (`self_rating` of E).

    A log applies an element when it has the element's row (which holds its self-rating).
    Elements an author did not apply in the period are absent. `shared_only` leaves out the logs
    an author keeps to themselves (for what their coach sees).
    """
    params = {"author_ids": list(author_ids), "start": start, "end": end}
    rows = db.session.connection().execute(_element_stats_query(shared_only), params)
    stats: dict[int, dict[int, ElementStats]] = {}
    for author_id, element_id, count, mean in rows:
        stats.setdefault(author_id, {})[element_id] = ElementStats(int(count), float(mean))
    return stats


@lru_cache(maxsize=2)
def _element_stats_query(shared_only: bool) -> Any:
    """element_stats_per_author's statement, built once: authors and period are bound parameters."""
    query = (
        select(PracticeLog.author_id, PracticeLogElement.element_id,
               func.count(), func.avg(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id.in_(bindparam("author_ids", expanding=True)),
               PracticeLog.session_date >= bindparam("start"), PracticeLog.session_date < bindparam("end"))
        .group_by(PracticeLog.author_id, PracticeLogElement.element_id)
    )
    return query.where(PracticeLog.private.is_(False)) if shared_only else query


@dataclass(frozen=True)
class WeekStats:
    """One ISO week (starting Monday `week_start`): logs applying an element and their mean rating."""

    week_start: date
    sessions: int
    self_rating: float | None

    @property
    def iso_week(self) -> tuple[int, int]:
        """(ISO year, ISO week number): the last days of December can be week 1 of the next year."""
        year, week, _day = self.week_start.isocalendar()
        return year, week


def element_weeks_of_author(author_id: int, element_id: int, start: date, end: date) -> list[WeekStats]:
    """Per ISO week from the week of `start` to the week of `end` (both included): the `sessions`
    and `self_rating` of element E for one author, over logs dated in those weeks.

    Counted per day in SQL (count and sum of ratings), then summed per week, so the week
    arithmetic is the same on SQLite and PostgreSQL. Every week appears; one without logs has
    0 sessions and no mean.
    """
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    rows = db.session.execute(
        select(PracticeLog.session_date, func.count(), func.sum(PracticeLogElement.self_rating))
        .join(PracticeLogElement, PracticeLogElement.log_id == PracticeLog.id)
        .where(PracticeLog.author_id == author_id, PracticeLogElement.element_id == element_id,
               PracticeLog.session_date >= first, PracticeLog.session_date < last + timedelta(days=7))
        .group_by(PracticeLog.session_date)
    )
    totals: dict[date, list[int]] = {}
    for day, count, rating_sum in rows:
        week = day - timedelta(days=day.weekday())
        bucket = totals.setdefault(week, [0, 0])
        bucket[0] += int(count)
        bucket[1] += int(rating_sum)
    weeks = []
    week = first
    while week <= last:
        sessions, rating_sum = totals.get(week, [0, 0])
        weeks.append(WeekStats(week, sessions, rating_sum / sessions if sessions else None))
        week += timedelta(days=7)
    return weeks


# --- client voice: CollaboRATE (metrics.md: client_sdm_mean, client_sdm_top) -------------------
#
# One answer's score and top-score flag are SQL expressions, so a single shared answer on a log,
# a practitioner's own figures and the team cells all use the same definition.

TOP_ITEM = 4
UNSHARED_MINIMUM = 3


def client_score(rating: type[ClientRating] = ClientRating) -> ColumnElement[Any]:
    """The CollaboRATE mean score of one answer, 0-100: the sum of the three 0-4 items / 12 × 100."""
    return (rating.effort_understand + rating.effort_listen + rating.effort_include) * 100.0 / 12


def client_top(rating: type[ClientRating] = ClientRating) -> ColumnElement[Any]:
    """1 when the answer gives the maximum (4) on all three items, else 0 (the top-score flag)."""
    top = and_(rating.effort_understand == TOP_ITEM, rating.effort_listen == TOP_ITEM,
               rating.effort_include == TOP_ITEM)
    return case((top, 1), else_=0)


@dataclass(frozen=True)
class ClientRatingStats:
    """Client ratings aggregated: how many answers, their mean score (0-100), the top-score rate (0-1)."""

    responses: int
    mean: float
    top_rate: float


@dataclass(frozen=True)
class TeamClientRating:
    """A team's client-rating cell: the stats, and its contributors (practitioners rated) for rule k."""

    stats: ClientRatingStats
    contributors: int


def _client_stats(responses: Any, mean: Any, top_rate: Any) -> ClientRatingStats | None:
    if not responses:
        return None
    return ClientRatingStats(int(responses), float(mean), float(top_rate))


def _client_aggregates() -> tuple[Any, Any, Any]:
    return func.count(ClientRating.id), func.avg(client_score()), func.avg(client_top())


def client_ratings_per_author(
    author_ids: Sequence[int], *, shared: bool, start: date | None = None, end: date | None = None,
) -> dict[int, ClientRatingStats]:
    """Per author, over the answers about their logs dated in [start, end) (open when None) whose
    `shared` choice is the one given: `client_sdm_mean` and `client_sdm_top`.

    Shared and unshared answers are never mixed in one figure (privacy.md); authors without such
    answers are absent. For unshared answers shown to the author use unshared_client_rating.
    """
    params = {"author_ids": list(author_ids), "shared": shared, "start": start, "end": end}
    query = _client_ratings_query(start is not None, end is not None)
    stats = {}
    for author_id, responses, mean, top in db.session.connection().execute(query, params):
        found = _client_stats(responses, mean, top)
        if found is not None:
            stats[author_id] = found
    return stats


@lru_cache(maxsize=4)
def _client_ratings_query(start: bool, end: bool) -> Any:
    """client_ratings_per_author's statement, built once per kind of period (bound parameters).

    The answers are found by their own copy of the author (one index range per author); the log
    is read only for its date, when there is a period."""
    query = (
        select(ClientRating.author_id, *_client_aggregates())
        .where(ClientRating.author_id.in_(bindparam("author_ids", expanding=True)),
               ClientRating.shared == bindparam("shared", type_=Boolean))
        .group_by(ClientRating.author_id)
    )
    if start or end:
        query = query.join(PracticeLog, PracticeLog.id == ClientRating.log_id)
    if start:
        query = query.where(PracticeLog.session_date >= bindparam("start"))
    if end:
        query = query.where(PracticeLog.session_date < bindparam("end"))
    return query


def unshared_client_rating(author_id: int, minimum: int = UNSHARED_MINIMUM) -> ClientRatingStats | None:
    """The author's own figure of answers that were not shared with them; None below `minimum`.

    It takes the answers in the order they came in, in whole steps of `minimum` (3, 6, 9 …): a
    new answer joins the figure only together with others, so comparing the figure before and
    after cannot reveal one answer (no differencing, metrics.md rule 2). Over all their logs.
    One statement: the answers are numbered in SQL and the figure takes the whole steps of them.
    """
    row = db.session.connection().execute(
        _UNSHARED_FIGURE, {"author_id": author_id, "minimum": minimum}).one()
    return _client_stats(*row)


def _unshared_figure() -> Any:
    numbered = (
        select(ClientRating.id, func.row_number().over(order_by=ClientRating.id).label("n"),
               func.count().over().label("total"))
        .where(ClientRating.author_id == bindparam("author_id"), ClientRating.shared.is_(False))
        .subquery()
    )
    minimum = bindparam("minimum", type_=Integer)
    return (
        select(*_client_aggregates()).join(numbered, numbered.c.id == ClientRating.id)
        .where(numbered.c.n <= numbered.c.total - numbered.c.total % minimum)
    )


_UNSHARED_FIGURE = _unshared_figure()  # built once: the author and the step are bound parameters


def client_ratings_per_team(team_ids: Sequence[int], start: date, end: date) -> dict[int, TeamClientRating]:
    """Per team, over every answer (shared or not) about its logs dated in [start, end): the stats
    and the number of practitioners whose sessions were rated (the cell's contributors).

    The caller applies the minimum group size to `contributors` before showing anything.
    """
    rows = db.session.execute(
        select(PracticeLog.team_id, *_client_aggregates(), func.count(distinct(PracticeLog.author_id)))
        .join(ClientRating, ClientRating.log_id == PracticeLog.id)
        .where(PracticeLog.team_id.in_(team_ids),
               PracticeLog.session_date >= start, PracticeLog.session_date < end)
        .group_by(PracticeLog.team_id)
    )
    cells = {}
    for team_id, responses, mean, top, contributors in rows:
        stats = _client_stats(responses, mean, top)
        if stats is not None:
            cells[team_id] = TeamClientRating(stats, int(contributors))
    return cells


def self_rating_beside_shared_answers(
    author_id: int, element_id: int, start: date | None = None, end: date | None = None
) -> float | None:
    """The author's mean self-rating of the element over their logs that have a shared client
    answer: the `self_rating` metric on exactly the sessions whose client rating they can see.
    Over the logs dated in [start, end) (open when None).
    """
    params = {"author_id": author_id, "element_id": element_id, "start": start, "end": end}
    mean = db.session.connection().execute(
        _self_rating_beside_query(start is not None, end is not None), params).scalar()
    return None if mean is None else float(mean)


@lru_cache(maxsize=4)
def _self_rating_beside_query(start: bool, end: bool) -> Any:
    """self_rating_beside_shared_answers' statement, built once per kind of period."""
    rated = select(ClientRating.id).where(ClientRating.log_id == PracticeLog.id,
                                          ClientRating.shared.is_(True))
    query = (
        select(func.avg(PracticeLogElement.self_rating))
        .join(PracticeLog, PracticeLog.id == PracticeLogElement.log_id)
        .where(PracticeLog.author_id == bindparam("author_id"),
               PracticeLogElement.element_id == bindparam("element_id"), rated.exists())
    )
    if start:
        query = query.where(PracticeLog.session_date >= bindparam("start"))
    if end:
        query = query.where(PracticeLog.session_date < bindparam("end"))
    return query
