"""The privacy rules for every aggregate a lead, coach, admin or colleague sees (metrics.md).

1. A cell is shown only with at least k distinct contributors; otherwise its value is dropped
   here, before anything renders, exports or serialises it ("te weinig gegevens").
2. No differencing: a period figure that is a sum (or a ratio of sums) of its weeks is hidden
   when any of its weeks with data is, so subtracting the shown weeks cannot reveal the hidden
   one. (A week without any contributor reads "not enough data" too, but hides nothing: the
   difference would only tell that nobody contributed, so it does not hide the total.) Within
   one week the sub-cells (elements, techniques) share their contributors, so they are shown or
   hidden together; the organisation overview shows no total over teams.
"""

from __future__ import annotations

from dataclasses import replace

from app.dashboards.queries import ADDITIVE, Cell, Series

MIN_K = 3

SUPPRESSED = Cell(None, 0, suppressed=True)


def effective_k(setting: int) -> int:
    """The organisation's minimum group size, never below 3 whatever the database holds."""
    return max(MIN_K, setting)


def hide(cell: Cell, k: int) -> Cell:
    """`cell`, or a suppressed cell without value or contributor count when it has fewer than k."""
    return cell if cell.contributors >= k and not cell.suppressed else SUPPRESSED


def protect(series: Series, k: int) -> Series:
    """The series as others may see it: small cells hidden, and a summed total hidden with them."""
    cells = tuple(hide(c, k) for c in series.cells)
    total = hide(series.total, k) if series.total is not None else None
    hidden_data = any(c.suppressed or 0 < c.contributors < k for c in series.cells)
    if total is not None and series.metric in ADDITIVE and hidden_data:
        total = SUPPRESSED
    return replace(series, cells=cells, total=total)
