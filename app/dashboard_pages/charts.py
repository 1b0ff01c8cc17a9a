"""Pure chart builders: a Report's series → Plotly figure dicts (Plotly's figure schema, no objects).

A hidden cell is `None` here and so `null` in the JSON: its value never reaches the browser.
Shares are sent as whole percentages and means with one decimal, which keeps each figure small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.dashboards.queries import Cell, Series
from app.dashboards.report import Report

Figure = dict[str, Any]
COLOURS = ("#0b5d6b", "#b35900", "#6a3d9a")  # one per element, AA contrast on white
GREY = "#4a5560"


def point(cell: Cell, kind: str) -> float | None:
    """The number a chart plots for a cell: None when hidden or absent."""
    if cell.suppressed or cell.value is None:
        return None
    if kind == "share":
        return round(cell.value * 100)
    if kind in ("count", "score"):
        return round(cell.value)
    return round(cell.value, 1)


def _layout(y_title: str, *, y_range: Sequence[float] | None = None, barmode: str | None = None,
            suffix: str = "") -> dict[str, Any]:
    yaxis: dict[str, Any] = {"title": {"text": y_title}, "rangemode": "tozero", "fixedrange": True}
    if y_range is not None:
        yaxis["range"] = list(y_range)
    if suffix:
        yaxis["ticksuffix"] = suffix
    layout: dict[str, Any] = {
        "separators": ",.", "height": 300, "margin": {"l": 48, "r": 8, "t": 8, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"type": "category", "fixedrange": True, "automargin": True},
        "yaxis": yaxis, "hovermode": "x unified", "font": {"family": "system-ui, sans-serif", "size": 12},
    }
    if barmode:
        layout["barmode"] = barmode
    return layout


def _line(name: str, x: list[str], series: Series, kind: str, colour: str, dash: str = "solid"
          ) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines+markers", "name": name, "x": x,
            "y": [point(c, kind) for c in series.cells], "line": {"color": colour, "dash": dash},
            "connectgaps": False}


def _right_axis(title: str, y_range: Sequence[float] | None = None, suffix: str = "") -> dict[str, Any]:
    """A second y-axis on the right, for a series with another unit beside the first."""
    axis: dict[str, Any] = {"title": {"text": title}, "overlaying": "y", "side": "right",
                            "rangemode": "tozero", "fixedrange": True, "showgrid": False}
    if y_range is not None:
        axis["range"] = list(y_range)
    else:
        axis["tickmode"] = "auto"  # round numbers of its own, not the left axis's grid lines
    if suffix:
        axis["ticksuffix"] = suffix
    return axis


def _elements(report: Report, element: str | None) -> list[tuple[int, str]]:
    keys = [e.element.key for e in report.catalogue]
    return [(i, k) for i, k in enumerate(keys) if element in (None, k)]


def sessions(report: Report, x: list[str], labels: dict[str, str], element: str | None,
             total_label: str, y_title: str) -> Figure:
    """Logged sessions per week, a bar per element stacked, and all sessions as a line."""
    data: list[dict[str, Any]] = []
    for i, key in _elements(report, element):
        s = report.get("sessions", key)
        assert s is not None
        data.append({"type": "bar", "name": labels[key], "x": x, "marker": {"color": COLOURS[i % 3]},
                     "y": [point(c, "count") for c in s.cells]})
    total = report.get("sessions")
    assert total is not None
    data.append(_line(total_label, x, total, "count", GREY, "dot"))
    return {"data": data, "layout": _layout(y_title, barmode="stack")}


def per_element(report: Report, metric: str, x: list[str], labels: dict[str, str], element: str | None,
                y_title: str, kind: str = "share") -> Figure:
    """One line per element over the weeks (adoption, coverage, self-rating)."""
    data = []
    for i, key in _elements(report, element):
        s = report.get(metric, key)
        assert s is not None
        data.append(_line(labels[key], x, s, kind, COLOURS[i % 3]))
    if kind == "share":
        return {"data": data, "layout": _layout(y_title, y_range=(0, 100), suffix="%")}
    return {"data": data, "layout": _layout(y_title, y_range=(1, 5))}


def ratings(report: Report, x: list[str], labels: dict[str, str], element: str | None, y_title: str,
            client_label: str, client_title: str) -> Figure:
    """Self-rating per element (1-5, left) beside the clients' CollaboRATE score (0-100, right)."""
    figure = per_element(report, "self_rating", x, labels, element, y_title, kind="mean")
    client = report.get("client_sdm_mean")
    assert client is not None
    line = _line(client_label, x, client, "score", GREY, "dash")
    line["yaxis"] = "y2"
    figure["data"].append(line)
    figure["layout"]["yaxis2"] = _right_axis(client_title, (0, 100))
    figure["layout"]["margin"]["r"] = 48
    return figure


def feedback(report: Report, x: list[str], rate_label: str, latency_label: str, y_title: str,
             hours_title: str) -> Figure:
    """Per week: the share of the shared items with feedback within the week after (bars, left)
    and the median hours until the first feedback (line, right)."""
    rate, latency = report.get("feedback_rate"), report.get("feedback_latency")
    assert rate is not None and latency is not None
    line = _line(latency_label, x, latency, "mean", COLOURS[1])
    line["yaxis"] = "y2"
    data = [{"type": "bar", "name": rate_label, "x": x, "y": [point(c, "share") for c in rate.cells],
             "marker": {"color": COLOURS[0]}}, line]
    layout = _layout(y_title, y_range=(0, 100), suffix="%")
    layout["yaxis2"] = _right_axis(hours_title)
    layout["margin"]["r"] = 48
    return {"data": data, "layout": layout}


def techniques(report: Report, key: str, x: list[str], technique_labels: dict[str, str], y_title: str
               ) -> Figure:
    """Heatmap: per technique of one element (rows) and week (columns), the share of the logs
    applying the element in which it was ticked."""
    rows = [s for s in report.of("technique_mix") if s.element == key]
    z = [[point(c, "share") for c in s.cells] for s in rows]
    names = [_short(technique_labels[s.technique or ""]) for s in rows]
    trace = {"type": "heatmap", "x": x, "y": names, "z": z,
             "zmin": 0, "zmax": 100, "colorscale": [[0, "#f6f7f9"], [1, COLOURS[0]]],
             "hoverongaps": False, "colorbar": {"ticksuffix": "%", "thickness": 10},
             "hovertemplate": "%{y}<br>%{x}: %{z}%<extra></extra>"}
    layout = _layout(y_title)
    layout.update({"height": 120 + 26 * len(rows), "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
                   "yaxis": {"automargin": True, "fixedrange": True, "autorange": "reversed"}})
    del layout["hovermode"]
    return {"data": [trace], "layout": layout}


def _short(label: str, size: int = 32) -> str:
    """A technique's label short enough for a phone; the table beside the chart has it in full."""
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


def reflection(report: Report, x: list[str], rate_label: str, depth_label: str, y_title: str) -> Figure:
    rate, depth = report.get("reflection_rate"), report.get("reflection_depth")
    assert rate is not None and depth is not None
    data = [_line(rate_label, x, rate, "share", COLOURS[0]),
            _line(depth_label, x, depth, "share", COLOURS[1])]
    return {"data": data, "layout": _layout(y_title, y_range=(0, 100), suffix="%")}


def intervisie(report: Report, x: list[str], name: str, y_title: str) -> Figure:
    s = report.get("intervisie_hours")
    assert s is not None
    data = [{"type": "bar", "name": name, "x": x, "y": [point(c, "mean") for c in s.cells],
             "marker": {"color": COLOURS[0]}}]
    return {"data": data, "layout": _layout(y_title)}


def sustained(report: Report, months: list[str], labels: dict[str, str], element: str | None,
              target_label: str, y_title: str) -> Figure:
    """Monthly adoption per element as bars, and the team's target as a line across them."""
    data: list[dict[str, Any]] = []
    for i, key in _elements(report, element):
        s = next(s for s in report.of("adoption") if s.element == key and s.buckets == report.months)
        data.append({"type": "bar", "name": labels[key], "x": months, "marker": {"color": COLOURS[i % 3]},
                     "y": [point(c, "share") for c in s.cells]})
    target = round(report.target * 100)
    data.append({"type": "scatter", "mode": "lines", "name": target_label, "x": months,
                 "y": [target] * len(months), "line": {"color": GREY, "dash": "dash"}})
    return {"data": data, "layout": _layout(y_title, y_range=(0, 100), barmode="group", suffix="%")}
