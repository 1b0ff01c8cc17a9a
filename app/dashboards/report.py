"""A dashboard's figures for one scope and period: every metric as series, after the privacy rules.

Pages, charts, the figure data, exports and the personal overview all take their numbers from a
Report, so each shows exactly the same cells (and hides exactly the same ones).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.dashboards import queries as q
from app.dashboards.periods import Bucket, Period, sustained_months
from app.dashboards.privacy import effective_k, protect
from app.dashboards.queries import Cell, Facts, Scope, Series
from app.dashboards.sql import months, weeks
from app.elements.queries import ElementCatalogue

DEFAULT_TARGET = 0.5


@dataclass(frozen=True)
class Report:
    """The series of one group (a team, or one person) over a period."""

    period: Period
    series: tuple[Series, ...]
    months: tuple[Bucket, ...]
    target: float
    catalogue: tuple[ElementCatalogue, ...]

    def get(self, metric: str, element: str | None = None, technique: str | None = None) -> Series | None:
        for s in self.series:
            if (s.metric, s.element, s.technique) == (metric, element, technique):
                return s
        return None

    def of(self, metric: str) -> list[Series]:
        return [s for s in self.series if s.metric == metric]

    @property
    def weeks(self) -> tuple[Bucket, ...]:
        return tuple(self.period.weeks)


def team_reports(
    team_ids: Sequence[int], period: Period, now: datetime, catalogue: Sequence[ElementCatalogue],
    *, k: int, targets: Mapping[int, float],
) -> dict[int, Report]:
    """Each team's report, under the privacy rules with minimum group size `k` (never below 3)."""
    scope = Scope.teams(team_ids)
    built = _build(scope, team_ids, period, now, catalogue, targets)
    k = effective_k(k)
    return {g: _protected(r, k) for g, r in built.items()}


def person_report(
    user_id: int, period: Period, now: datetime, catalogue: Sequence[ElementCatalogue], target: float,
) -> Report:
    """One person's own figures, for their eyes only: no threshold (metrics.md, rule 5)."""
    return _build(Scope.person(user_id), [user_id], period, now, catalogue, {user_id: target})[user_id]


def _protected(report: Report, k: int) -> Report:
    series = []
    for s in report.series:
        if s.metric == "sustained":
            continue  # made again below from the protected monthly adoption
        series.append(protect(s, k))
    for element in report.catalogue:
        monthly = next(s for s in series if s.metric == "adoption" and s.element == element.element.key
                       and s.buckets == report.months)
        series.append(_sustained(report, element.element.key, monthly.cells))
    return Report(report.period, tuple(series), report.months, report.target, report.catalogue)


def _sustained(report: Report, element: str, monthly: Sequence[Cell]) -> Series:
    return Series("sustained", report.months, (), q.sustained(monthly, report.target), element)


def _build(
    scope: Scope, groups: Sequence[int], period: Period, now: datetime,
    catalogue: Sequence[ElementCatalogue], targets: Mapping[int, float],
) -> dict[int, Report]:
    weekly = tuple(period.weeks)
    last_months = tuple(sustained_months(period))
    f = q.facts(scope, weeks(weekly), now)
    fm = q.facts(scope, months(last_months), now, only_adoption=True)
    reports = {}
    for g in groups:
        target = targets.get(g, DEFAULT_TARGET)
        series = _series(f, fm, g, weekly, last_months, catalogue)
        report = Report(period, (), last_months, target, tuple(catalogue))
        monthly = {s.element: s.cells for s in series if s.buckets == last_months}
        series += [_sustained(report, e.element.key, monthly[e.element.key]) for e in catalogue]
        reports[g] = Report(period, tuple(series), last_months, target, tuple(catalogue))
    return reports


def _series(
    f: Facts, fm: Facts, g: int, weekly: tuple[Bucket, ...], last_months: tuple[Bucket, ...],
    catalogue: Sequence[ElementCatalogue],
) -> list[Series]:
    ws = list(range(len(weekly)))

    def over(metric: str, fn: Callable[..., Cell], *args: Any, element: str | None = None,
             technique: str | None = None) -> Series:
        cells = tuple(fn(f, g, [b], *args) for b in ws)
        return Series(metric, weekly, cells, fn(f, g, ws, *args), element, technique)

    out = [over("sessions", q.sessions)]
    for entry in catalogue:
        e, key = entry.element.id, entry.element.key
        out += [over("sessions", q.sessions, e, element=key), over("adoption", q.adoption, e, element=key),
                over("coverage", q.coverage, e, element=key),
                over("self_rating", q.self_rating, e, element=key)]
        ticked = {t for b in ws for t in f.ticks.get((g, b), {})}
        out += [over("technique_mix", q.technique_mix, e, t.id, element=key, technique=t.key)
                for t in entry.techniques if not t.retired or t.id in ticked]
    out.append(Series("frequency", weekly, tuple(q.frequency(f, g, [b], 1.0) for b in ws),
                      q.frequency(f, g, ws, max(len(ws), 1))))
    out += [over("client_sdm_mean", q.client_sdm_mean), over("client_sdm_top", q.client_sdm_top),
            over("reflection_rate", q.reflection_rate), over("reflection_depth", q.reflection_depth),
            over("feedback_rate", q.feedback_rate), over("feedback_latency", q.feedback_latency),
            over("intervisie_hours", q.intervisie_hours)]
    month_ix = list(range(len(last_months)))
    for entry in catalogue:
        out.append(Series("adoption", last_months,
                          tuple(q.adoption(fm, g, [m], entry.element.id) for m in month_ix),
                          None, entry.element.key))
    return out
