"""Pure chart builders: a goal's weekly progress as a Plotly figure dict (no plotly import)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.dashboards.queries import WeekStats

BAR = "#0b5d6b"
LINE = "#b35c00"


def week_label(week: WeekStats, prefix: str) -> str:
    year, number = week.iso_week
    return f"{prefix} {number} ({year})" if number == 1 else f"{prefix} {number}"


def progress_figure(weeks: Sequence[WeekStats], *, sessions_name: str, rating_name: str,
                    week_prefix: str) -> dict[str, Any]:
    """Bars: logs applying the element per week; a line: their mean self-rating (1–5, right axis)."""
    labels = [week_label(w, week_prefix) for w in weeks]
    return {
        "data": [
            {"type": "bar", "name": sessions_name, "x": labels, "y": [w.sessions for w in weeks],
             "marker": {"color": BAR}, "hovertemplate": "%{x}: %{y}<extra></extra>"},
            {"type": "scatter", "mode": "lines+markers", "name": rating_name, "x": labels,
             "y": [round(w.self_rating, 2) if w.self_rating is not None else None for w in weeks],
             "yaxis": "y2", "connectgaps": True, "line": {"color": LINE, "width": 3},
             "hovertemplate": "%{x}: %{y}<extra></extra>"},
        ],
        "layout": {
            "height": 280, "margin": {"l": 36, "r": 36, "t": 10, "b": 40},
            "legend": {"orientation": "h", "y": -0.25}, "bargap": 0.3,
            "xaxis": {"type": "category", "fixedrange": True},
            "yaxis": {"rangemode": "tozero", "dtick": 1, "fixedrange": True, "title": {"text": ""}},
            "yaxis2": {"range": [0.5, 5.5], "overlaying": "y", "side": "right", "dtick": 1,
                       "fixedrange": True, "showgrid": False},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        },
    }
