"""What a dashboard page shows: sections of a title, a reading, a figure and the table behind it.

Built from a Report (already under the privacy rules), so a hidden cell can only be written as
"not enough data" here; the figure gets `null` for it (charts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial

from flask import g
from flask_babel import format_date, get_locale, gettext

from app.dashboard_pages import charts, readings
from app.dashboard_pages.charts import Figure
from app.dashboards.periods import Bucket
from app.dashboards.queries import Cell, ClientRatingStats, Series
from app.dashboards.report import Report


def _(text: str, **values: object) -> str:
    """gettext, typed (flask_babel's is not)."""
    return str(gettext(text, **values))


@dataclass(frozen=True)
class Row:
    header: str
    cells: list[str]


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]  # the first is the row headers' column
    rows: list[Row]


@dataclass
class Section:
    key: str
    title: str
    reading: str
    figure: Figure | None = None
    table: Table | None = None
    notes: list[str] = field(default_factory=list)


def fmt(cell: Cell | None, kind: str) -> str:
    """A cell as the page writes it (Dutch numbers in Dutch): "63%", "3,5", "1.234"."""
    if cell is None or cell.suppressed:
        return _("not enough data")
    if cell.value is None:
        return "–"
    if kind == "share":
        return _number(round(cell.value * 100), 0) + "%"
    if kind in ("count", "score"):
        return _number(round(cell.value), 0)
    if kind == "yes":
        return _("yes") if cell.value >= 1 else _("not yet")
    return _number(cell.value, 1)


def _number(value: float, decimals: int) -> str:
    # Babel's formatting costs ~0.1 ms a number, and a page writes hundreds; the locale's two
    # separators are read once per request (Babel knows them) and applied here.
    group, decimal = _separators()
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def _separators() -> tuple[str, str]:
    cache: dict[str, tuple[str, str]] = g.setdefault("_number_separators", {})
    locale = get_locale()
    key = str(locale)
    if key not in cache:
        symbols = locale.number_symbols.get("latn", {}) if locale is not None else {}
        cache[key] = (symbols.get("group", ","), symbols.get("decimal", "."))
    return cache[key]


def week_labels(weeks: Sequence[Bucket]) -> list[str]:
    long = len(weeks) > 52
    return [_("wk %(n)d", n=w.start.isocalendar().week) + (f" ’{w.start.isocalendar().year % 100:02d}"
                                                            if long else "") for w in weeks]


def week_header(week: Bucket) -> str:
    return _week_header(week.start, str(get_locale()))


@lru_cache(maxsize=1024)
def _week_header(start: date, locale: str) -> str:
    # Babel's date formatting is slow and every table has a row per week: once per week and language.
    return _("Week %(n)d (from %(day)s)", n=start.isocalendar().week, day=format_date(start, "d MMM yyyy"))


def month_labels(months: Sequence[Bucket]) -> list[str]:
    return [str(format_date(m.start, "MMM yyyy")) for m in months]


def period_label(start: date, last_day: date) -> str:
    return _period_label(start, last_day, str(get_locale()))


@lru_cache(maxsize=256)
def _period_label(start: date, last_day: date, locale: str) -> str:
    # Babel's date formatting is slow and the label is the same for every page of the period.
    return _("%(start)s to %(end)s", start=format_date(start, "d MMMM yyyy"),
             end=format_date(last_day, "d MMMM yyyy"))


def _table(caption: str, head: list[str], weeks: Sequence[Bucket], columns: Sequence[tuple[Series, str]],
           with_total: bool = True) -> Table:
    rows = [Row(week_header(w), [fmt(s.cells[i], kind) for s, kind in columns]) for i, w in enumerate(weeks)]
    if with_total:
        rows.append(Row(_("Whole period"), [fmt(s.total, kind) for s, kind in columns]))
    return Table(caption, head, rows)


@dataclass(frozen=True)
class Labels:
    elements: dict[str, str]
    techniques: dict[str, str]


def team_sections(report: Report, element: str | None, labels: Labels) -> list[Section]:
    """Every chart of the team dashboard (and the figure data), in the page's order."""
    keys = [e.element.key for e in report.catalogue if element in (None, e.element.key)]
    weeks = report.weeks
    x = week_labels(weeks)
    names = labels.elements
    week_col = _("Week")

    def get(metric: str, key: str | None = None) -> Series:
        s = report.get(metric, key)
        assert s is not None
        return s

    sessions_cols = [(get("sessions", k), "count") for k in keys] + [(get("sessions"), "count"),
                                                                     (get("frequency"), "mean")]
    sections = [Section(
        "sessions", _("Logged sessions per week"), readings.sessions(report, fmt),
        charts.sessions(report, x, names, element, _("All sessions"), _("Sessions")),
        _table(_("Logged sessions per week, per element"),
               [week_col, *(names[k] for k in keys), _("All sessions"), _("Median per practitioner")],
               weeks, sessions_cols),
        [_("A session in which several elements were applied counts for each of them.")],
    )]
    for metric, title, caption, reading in (
        ("adoption", _("Reach: share of the team that applied the element"),
         _("Share of the active practitioners who applied the element at least once"),
         readings.adoption(report, keys, names)),
        ("coverage", _("Coverage: share of the sessions in which the element was applied"),
         _("Share of the logged sessions that applied the element"),
         readings.coverage(report, keys, names, fmt)),
    ):
        sections.append(Section(
            metric, title, reading,
            charts.per_element(report, metric, x, names, element, _("Per cent")),
            _table(caption, [week_col, *(names[k] for k in keys)], weeks,
                   [(get(metric, k), "share") for k in keys]),
        ))
    sections.append(Section(
        "ratings", _("Self-rating beside client rating"), readings.ratings(report, keys, names, fmt),
        charts.ratings(report, x, names, element, _("Self-rating (1-5)"), _("Clients (CollaboRATE)"),
                       _("Client rating (0-100)")),
        _table(_("Mean self-rating (1 = not yet, 5 = very well) and the clients' rating (0 to 100)"),
               [week_col, *(names[k] for k in keys), _("Client rating"), _("Top score")], weeks,
               [(get("self_rating", k), "mean") for k in keys]
               + [(get("client_sdm_mean"), "score"), (get("client_sdm_top"), "share")]),
        [_("Young people and parents rate how much effort was made to involve them (CollaboRATE, 0 to "
           "100). Their answer counts in the week of the session. A top score is the highest answer on "
           "all three questions. The gap between the two ratings is something to learn from, not a "
           "score.")],
    ))
    for key in keys:
        rows = [s for s in report.of("technique_mix") if s.element == key]
        sections.append(Section(
            f"techniques-{key}", _("Techniques: %(element)s", element=names[key]),
            readings.techniques(rows, names[key], labels.techniques, fmt),
            charts.techniques(report, key, x, labels.techniques, _("Technique")),
            _table(_("Share of the sessions with this element in which the technique was ticked"),
                   [week_col, *(labels.techniques[s.technique or ""] for s in rows)], weeks,
                   [(s, "share") for s in rows]),
        ))
    sections.append(Section(
        "reflection", _("Reflection: rate and depth"), readings.reflection(report, fmt),
        charts.reflection(report, x, _("Answered in time"), _("ALACT with alternatives and trial"),
                          _("Per cent")),
        _table(_("Reflection rate and depth"), [week_col, _("Answered in time"),
                                                _("ALACT with alternatives and trial")],
               weeks, [(get("reflection_rate"), "share"), (get("reflection_depth"), "share")]),
    ))
    sections.append(Section(
        "feedback", _("Feedback from coaches"), readings.feedback(report, fmt),
        charts.feedback(report, x, _("Feedback within 7 days"), _("Hours until feedback (median)"),
                        _("Per cent"), _("Hours")),
        _table(_("Logs and reflections shared with a coach, by the week they were shared"),
               [week_col, _("Feedback within 7 days"), _("Hours until feedback (median)")], weeks,
               [(get("feedback_rate"), "share"), (get("feedback_latency"), "mean")]),
        [_("Something shared in the last 7 days counts once the coach has answered or the 7 days "
           "are over.")],
    ))
    sections.append(Section(
        "intervisie", _("Intervisie hours"), readings.intervisie(report, fmt),
        charts.intervisie(report, x, _("Hours"), _("Hours")),
        _table(_("Hours of group reflection per week"), [week_col, _("Hours")], weeks,
               [(get("intervisie_hours"), "mean")]),
    ))
    months = report.months
    monthly = [next(s for s in report.of("adoption") if s.element == k and s.buckets == months) for k in keys]
    sustained_rows = [Row(str(format_date(m.start, "MMMM yyyy")), [fmt(s.cells[i], "share") for s in monthly])
                      for i, m in enumerate(months)]
    sustained_rows.append(Row(_("Sustained"), [fmt(get("sustained", k).total, "yes") for k in keys]))
    sections.append(Section(
        "sustained", _("Sustained: reach against the team's target"),
        readings.sustained(report, keys, names, fmt),
        charts.sustained(report, month_labels(months), names, element, _("Target"), _("Per cent")),
        Table(_("Reach per month and whether it met the target in each of the last three months"),
              [_("Month"), *(names[k] for k in keys)], sustained_rows),
    ))
    return sections


def figures(sections: Sequence[Section]) -> dict[str, Figure]:
    return {s.key: s.figure for s in sections if s.figure is not None}


SUMMARY: tuple[tuple[str, bool, str], ...] = (
    # (metric, per element, kind) of the organisation overview and the personal profile
    ("sessions", False, "count"), ("frequency", False, "mean"), ("adoption", True, "share"),
    ("coverage", True, "share"), ("self_rating", True, "mean"), ("sustained", True, "yes"),
    ("client_sdm_mean", False, "score"), ("client_sdm_top", False, "share"),
    ("reflection_rate", False, "share"), ("reflection_depth", False, "share"),
    ("feedback_rate", False, "share"), ("feedback_latency", False, "mean"),
    ("intervisie_hours", False, "mean"),
)


def metric_names() -> dict[str, str]:
    return {
        "sessions": _("Logged sessions"), "adoption": _("Reach"), "coverage": _("Coverage"),
        "frequency": _("Sessions per week (median)"), "self_rating": _("Self-rating"),
        "technique_mix": _("Techniques"), "client_sdm_mean": _("Client rating (0-100)"),
        "client_sdm_top": _("Top score from clients"), "reflection_rate": _("Reflection"),
        "reflection_depth": _("Depth"), "feedback_rate": _("Feedback within 7 days"),
        "feedback_latency": _("Hours until feedback (median)"), "intervisie_hours": _("Intervisie hours"),
        "sustained": _("Sustained"),
    }


def summary_columns(report: Report, element: str | None, names: dict[str, str]) -> list[tuple[str, Callable[
        [Report], Cell | None], str]]:
    """The period's key figures as (heading, cell of a report, kind)."""
    titles = metric_names()
    keys = [e.element.key for e in report.catalogue if element in (None, e.element.key)]
    out: list[tuple[str, Callable[[Report], Cell | None], str]] = []
    for metric, per_element, kind in SUMMARY:
        for key in keys if per_element else [None]:
            heading = f"{titles[metric]}: {names[key]}" if key else titles[metric]
            out.append((heading, partial(_total, metric=metric, key=key), kind))
    return out


def _total(report: Report | None, metric: str, key: str | None) -> Cell | None:
    s = report.get(metric, key) if report is not None else None
    return s.total if s is not None else None


def profile(mine: Report, team: Report | None, element: str | None, names: dict[str, str]) -> Table:
    """One person's practice profile over the period beside their team's (team under the rules)."""
    rows = []
    adoption = metric_names()["adoption"]
    for heading, cell_of, kind in summary_columns(mine, element, names):
        own_kind = "yes" if heading.startswith(adoption) else kind
        rows.append(Row(heading, [fmt(cell_of(mine), own_kind),
                                  fmt(cell_of(team), kind) if team is not None else "–"]))
    return Table(_("Your figures over the period beside your team's"),
                 [_("Figure"), _("You"), _("Your team")], rows)


def personal_sections(mine: Report, element: str | None, labels: Labels,
                      unshared: ClientRatingStats | None = None) -> list[Section]:
    """One's own charts: sessions per week by element, and self-rating per element beside the
    clients' rating of the answers shared with oneself (`unshared`: the others, in steps of three)."""
    keys = [e.element.key for e in mine.catalogue if element in (None, e.element.key)]
    weeks, names = mine.weeks, labels.elements
    x = week_labels(weeks)
    total = mine.get("sessions")
    assert total is not None
    logged = fmt(total.total, "count")
    sessions_cols = [(s, "count") for k in keys if (s := mine.get("sessions", k)) is not None]
    ratings_cols = [(s, "mean") for k in keys if (s := mine.get("self_rating", k)) is not None]
    client, top = mine.get("client_sdm_mean"), mine.get("client_sdm_top")
    assert client is not None and top is not None
    if unshared is None:
        hidden = _("Answers not shared with you are shown as one figure once there are 3 of them.")
    else:
        hidden = _("Answers not shared with you, over all your sessions: %(score)s out of 100 from %(n)d "
                   "answers, %(top)s of them a top score.", score=fmt(Cell(unshared.mean, 0), "score"),
                   n=unshared.responses, top=fmt(Cell(unshared.top_rate, 0), "share"))
    return [
        Section("sessions", _("Your logged sessions per week"),
                _("You logged %(n)s sessions in this period.", n=logged),
                charts.sessions(mine, x, names, element, _("All sessions"), _("Sessions")),
                _table(_("Your logged sessions per week, per element"),
                       [_("Week"), *(names[k] for k in keys)], weeks, sessions_cols)),
        Section("ratings", _("Your self-rating beside your clients' rating"),
                _("How well it went, in your own words from 1 (not yet) to 5 (very well), beside how "
                  "young people and parents saw your effort to involve them (0 to 100)."),
                charts.ratings(mine, x, names, element, _("Self-rating (1-5)"),
                               _("Clients (answers shared with you)"), _("Client rating (0-100)")),
                _table(_("Your mean self-rating per week and the answers clients shared with you"),
                       [_("Week"), *(names[k] for k in keys), _("Client rating"), _("Top score")], weeks,
                       [*ratings_cols, (client, "score"), (top, "share")]),
                [_("The clients' line counts only the answers they chose to share with you."), hidden]),
    ]
