"""Labels of the session context enumerations, in the user's language (keys in models.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.forms import SelectChoice, choices

SETTING_LABELS: dict[str, LazyString] = {
    "home": _l("Home visit"),
    "office": _l("At the office"),
    "online": _l("Online"),
    "phone": _l("By phone"),
    "school": _l("At school"),
    "other": _l("Somewhere else"),
}
PARTICIPANT_LABELS: dict[str, LazyString] = {
    "youth": _l("Young person"),
    "parent": _l("Parent or carer"),
    "family": _l("Family"),
    "network": _l("Network"),
    "other_professional": _l("Other professional"),
}
AGE_BAND_LABELS: dict[str, LazyString] = {
    "0-4": _l("0 to 4 years"),
    "4-12": _l("4 to 12 years"),
    "12-18": _l("12 to 18 years"),
    "18-23": _l("18 to 23 years"),
}
PHASE_LABELS: dict[str, LazyString] = {
    "relationship": _l("Building the working relationship"),
    "clarifying": _l("Clarifying the question"),
    "analysis": _l("Mapping problems and strengths"),
    "goals": _l("Setting goals and deciding"),
    "working": _l("Carrying out the help"),
    "evaluating": _l("Evaluating and closing"),
}
RATING_LABELS: dict[int, LazyString] = {
    1: _l("1 · not yet"),
    2: _l("2 · a little"),
    3: _l("3 · fairly well"),
    4: _l("4 · well"),
    5: _l("5 · very well"),
}


def choice_list(labels: Mapping[Any, LazyString]) -> list[SelectChoice]:
    """WTForms choices from a label mapping, in its order (labels translated when rendered)."""
    return choices(labels.items())


LABELS: dict[str, Mapping[Any, LazyString]] = {
    "setting": SETTING_LABELS,
    "participant": PARTICIPANT_LABELS,
    "age_band": AGE_BAND_LABELS,
    "phase": PHASE_LABELS,
    "rating": RATING_LABELS,
}
