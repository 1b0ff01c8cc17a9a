"""plotly.js under a versioned, long-cached URL, and the template helpers that link to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue

from app.charts.assets import plotly_response, plotly_style_ids, plotly_version

bp = Blueprint("charts", __name__, url_prefix="/charts")


@bp.app_context_processor
def _chart_helpers() -> dict[str, Any]:
    return {"plotly_url": lambda: url_for("charts.plotly_js", version=plotly_version()),
            "plotly_css_url": lambda: url_for("charts.plotly_style", version=plotly_version()),
            "plotly_style_ids": plotly_style_ids}


@bp.get("/plotly-<version>.min.js")
def plotly_js(version: str) -> ResponseReturnValue:
    return plotly_response(version)


@bp.get("/plotly-<version>.css")
def plotly_style(version: str) -> ResponseReturnValue:
    return plotly_response(version, "css")
