"""One plain sentence per chart, read from the cells that may be shown (never from hidden ones)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import gettext

from app.dashboards.queries import Cell, Series
from app.dashboards.report import Report

Format = Callable[[Cell, str], str]


def _(text: str, **values: object) -> str:
    """gettext, typed (flask_babel's is not)."""
    return str(gettext(text, **values))


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _shown(cells: Sequence[Cell]) -> list[float]:
    return [c.value for c in cells if not c.suppressed and c.value is not None]


def sessions(report: Report, fmt: Format) -> str:
    total = report.get("sessions")
    assert total is not None
    shown = _shown(total.cells)
    if not shown:
        return _("There is not enough data to say anything about these weeks.")
    mean = Cell(sum(shown) / len(shown), 0)
    return _("In %(shown)d of the %(weeks)d weeks the team logged %(mean)s sessions a week on average.",
             shown=len(shown), weeks=len(total.cells), mean=fmt(mean, "mean"))


def adoption(report: Report, keys: Sequence[str], labels: dict[str, str]) -> str:
    """"In 9 of the 12 weeks more than half of the team applied shared decision-making"."""
    parts = []
    weeks = len(report.period.weeks)
    for key in keys:
        s = report.get("adoption", key)
        assert s is not None
        parts.append((key, sum(1 for v in _shown(s.cells) if v > 0.5)))
    first, n = parts[0]
    sentence = _("In %(n)d of the %(weeks)d weeks more than half of the team applied %(element)s",
                 n=n, weeks=weeks, element=_lower(labels[first]))
    rest = [_("%(element)s in %(n)d", element=_lower(labels[k]), n=m) for k, m in parts[1:]]
    return sentence + ("; " + "; ".join(rest) if rest else "") + "."


def coverage(report: Report, keys: Sequence[str], labels: dict[str, str], fmt: Format) -> str:
    parts = [(key, report.get("coverage", key)) for key in keys]
    shown = [(k, s.total) for k, s in parts if s is not None and s.total is not None
             and not s.total.suppressed and s.total.value is not None]
    if not shown:
        return _("For the period as a whole there is not enough data.")
    first, cell = shown[0]
    sentence = _("Over the whole period %(element)s came up in %(share)s of the logged sessions",
                 element=_lower(labels[first]), share=fmt(cell, "share"))
    rest = [_("%(element)s in %(share)s", element=_lower(labels[k]), share=fmt(c, "share"))
            for k, c in shown[1:]]
    return sentence + ("; " + "; ".join(rest) if rest else "") + "."


def _total(s: Series | None) -> Cell | None:
    """The series' period figure, when it may be shown and has a value."""
    if s is None or s.total is None or s.total.suppressed or s.total.value is None:
        return None
    return s.total


def _range(s: Series, kind: str, fmt: Format) -> tuple[int, str, str] | None:
    """(weeks shown, lowest, highest) of the weeks that may be shown, when the total may not."""
    shown = _shown(s.cells)
    if not shown:
        return None
    return len(shown), fmt(Cell(min(shown), 0), kind), fmt(Cell(max(shown), 0), kind)


def ratings(report: Report, keys: Sequence[str], labels: dict[str, str], fmt: Format) -> str:
    """How the team rated its sessions, and how clients rated them, in one sentence."""
    shown = [(k, cell) for k in keys if (cell := _total(report.get("self_rating", k))) is not None]
    parts = []
    if shown:
        first, cell = shown[0]
        parts.append(_("The team rated how well %(element)s went at %(mean)s out of 5 on average",
                       element=_lower(labels[first]), mean=fmt(cell, "mean")))
        parts += [_("%(element)s at %(mean)s", element=_lower(labels[k]), mean=fmt(c, "mean"))
                  for k, c in shown[1:]]
    client = report.get("client_sdm_mean")
    assert client is not None
    said = None
    if (total := _total(client)) is not None:
        said = _("Clients gave a mean score of %(score)s out of 100", score=fmt(total, "score"))
    elif (weeks := _range(client, "score", fmt)) is not None and weeks[1] == weeks[2]:
        said = _("In %(shown)d of the %(weeks)d weeks there were enough client answers to show; their "
                 "mean score was %(score)s out of 100",
                 shown=weeks[0], weeks=len(client.cells), score=weeks[1])
    elif weeks is not None:
        said = _("In %(shown)d of the %(weeks)d weeks there were enough client answers to show; their "
                 "mean score was between %(low)s and %(high)s out of 100",
                 shown=weeks[0], weeks=len(client.cells), low=weeks[1], high=weeks[2])
    if said is not None:
        parts.append(_lower(said) if parts else said)
    if not parts:
        return _("For the period as a whole there is not enough data.")
    return "; ".join(parts) + "."


def techniques(rows: Sequence[Series], element_label: str, technique_labels: dict[str, str],
               fmt: Format) -> str:
    shown = [s for s in rows if s.total is not None and not s.total.suppressed and s.total.value is not None]
    if not shown:
        return _("For the period as a whole there is not enough data.")
    top = max(shown, key=lambda s: s.total.value if s.total and s.total.value else 0.0)  # never people
    assert top.total is not None
    return _("With %(element)s the technique ticked most often was “%(technique)s”, in %(share)s of "
             "the sessions.", element=_lower(element_label), technique=technique_labels[top.technique or ""],
             share=fmt(top.total, "share"))


def reflection(report: Report, fmt: Format) -> str:
    rate, depth = report.get("reflection_rate"), report.get("reflection_depth")
    assert rate is not None and depth is not None
    if rate.total is None or rate.total.suppressed or rate.total.value is None:
        return _("For the period as a whole there is not enough data.")
    sentence = _("%(rate)s of the invitations to reflect were answered in time",
                 rate=fmt(rate.total, "share"))
    if depth.total is not None and not depth.total.suppressed and depth.total.value is not None:
        sentence += _(", and %(depth)s of the ALACT reflections got as far as alternatives and a "
                      "concrete trial", depth=fmt(depth.total, "share"))
    return sentence + "."


def feedback(report: Report, fmt: Format) -> str:
    """How often and how fast coaches answered what the team shared with them."""
    rate, latency = report.get("feedback_rate"), report.get("feedback_latency")
    assert rate is not None and latency is not None
    if (total := _total(rate)) is not None:
        sentence = _("%(rate)s of what the team shared with a coach got feedback within 7 days",
                     rate=fmt(total, "share"))
    elif (weeks := _range(rate, "share", fmt)) is not None and weeks[1] == weeks[2]:
        sentence = _("In %(shown)d of the %(weeks)d weeks enough was shared with coaches to show; "
                     "%(rate)s of it got feedback within 7 days", shown=weeks[0], weeks=len(rate.cells),
                     rate=weeks[1])
    elif weeks is not None:
        sentence = _("In %(shown)d of the %(weeks)d weeks enough was shared with coaches to show; "
                     "between %(low)s and %(high)s of it got feedback within 7 days",
                     shown=weeks[0], weeks=len(rate.cells), low=weeks[1], high=weeks[2])
    else:
        return _("For the period as a whole there is not enough data.")
    if (hours := _total(latency)) is not None:
        sentence += _("; half of the feedback came within %(hours)s hours", hours=fmt(hours, "mean"))
    return sentence + "."


def intervisie(report: Report, fmt: Format) -> str:
    s = report.get("intervisie_hours")
    assert s is not None
    if s.total is None or s.total.suppressed or s.total.value is None:
        return _("For the period as a whole there is not enough data.")
    return _("In this period the team spent %(hours)s hours in group reflection (intervisie).",
             hours=fmt(s.total, "mean"))


def sustained(report: Report, keys: Sequence[str], labels: dict[str, str], fmt: Format) -> str:
    parts = []
    for key in keys:
        s = report.get("sustained", key)
        assert s is not None and s.total is not None
        parts.append(_("%(element)s: %(answer)s", element=_lower(labels[key]), answer=fmt(s.total, "yes")))
    target = fmt(Cell(report.target, 0), "share")
    return _("At least %(target)s of the team applied it in each of the last three months: %(list)s.",
             target=target, list="; ".join(parts))
