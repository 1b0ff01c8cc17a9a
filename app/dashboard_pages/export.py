"""The data behind every chart and table as CSV or Excel, under the same rules as the page.

Stable columns a script can read: metric, element (key or empty), period_start, period_end (the
bucket's last day), value (empty when suppressed), suppressed (0/1), then technique (key or empty),
team (empty for one's own figures) and unit (share 0-1, mean, score 0-100, count, hours, yes_no).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from app.dashboards.queries import Cell, Series
from app.dashboards.report import Report

COLUMNS = ("metric", "element", "period_start", "period_end", "value", "suppressed", "technique", "team",
           "unit")
UNITS = {"sessions": "count", "adoption": "share", "coverage": "share", "frequency": "mean",
         "self_rating": "mean", "technique_mix": "share", "client_sdm_mean": "score",
         "client_sdm_top": "share", "reflection_rate": "share", "reflection_depth": "share",
         "feedback_rate": "share", "feedback_latency": "hours", "intervisie_hours": "hours",
         "sustained": "yes_no"}
DECIMALS = {"count": 0, "share": 4, "mean": 2, "score": 2, "hours": 2, "yes_no": 0}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    metric: str
    element: str
    period_start: str
    period_end: str
    value: float | None
    suppressed: bool
    technique: str
    team: str
    unit: str


def rows(reports: Mapping[str, Report], element: str | None) -> Iterator[ExportRow]:
    """Every cell of every report (keyed by team name; "" for one's own), bucket by bucket."""
    for team, report in reports.items():
        for s in report.series:
            if element is not None and s.element not in (None, element):
                continue
            for bucket, cell in zip(s.buckets if s.cells else (), s.cells, strict=True):
                yield _row(s, cell, bucket.start.isoformat(), bucket.last_day.isoformat(), team)
            if s.total is not None and len(s.cells) != 1:  # one week: its total is the same cell
                first, last = s.buckets[0].start.isoformat(), s.buckets[-1].last_day.isoformat()
                yield _row(s, s.total, first, last, team)


def _row(s: Series, cell: Cell, start: str, end: str, team: str) -> ExportRow:
    unit = UNITS[s.metric]
    value = None if cell.suppressed or cell.value is None else round(cell.value, DECIMALS[unit])
    return ExportRow(s.metric, s.element or "", start, end, value, cell.suppressed, s.technique or "",
                     team, unit)


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return str(int(value)) if DECIMALS[unit] == 0 else f"{value:.{DECIMALS[unit]}f}"


def to_csv(reports: Mapping[str, Report], element: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows(reports, element):
        writer.writerow([r.metric, r.element, r.period_start, r.period_end, _number(r.value, r.unit),
                         int(r.suppressed), r.technique, _safe(r.team), r.unit])
    return out.getvalue()


def to_xlsx(reports: Mapping[str, Report], element: str | None, purpose: str) -> bytes:
    """A workbook with the same rows as the CSV (numbers as numbers), and a sheet that says what
    it is for."""
    import xlsxwriter  # here, not at start-up: about 10 MiB that only an export needs

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    sheet = book.add_worksheet("data")
    bold = book.add_format({"bold": True})
    for col, name in enumerate(COLUMNS):
        sheet.write_string(0, col, name, bold)
    for i, r in enumerate(rows(reports, element), start=1):
        for col, text in enumerate((r.metric, r.element, r.period_start, r.period_end)):
            sheet.write_string(i, col, text)
        if r.value is not None:
            sheet.write_number(i, 4, r.value)
        sheet.write_number(i, 5, int(r.suppressed))
        sheet.write_string(i, 6, r.technique)
        sheet.write_string(i, 7, r.team)
        sheet.write_string(i, 8, r.unit)
    about = book.add_worksheet("about")
    about.write_string(0, 0, purpose)
    book.close()
    return buffer.getvalue()
