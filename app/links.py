"""Links to many rows of one kind: the address is built once per page, then each row's id goes in.

A list page links every row to its own page; `url_for` per row costs more than the rest of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

_MARK = 918_273_645_546_372_819  # stands in for the id: no row has it, and it cannot be in a path


def row_link(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """A function from a row's id to `url_for(endpoint, key=id, **values)`, with one url_for."""
    values = {key: _MARK, **values}
    before, after = url_for(endpoint, **values).split(str(_MARK), 1)
    return lambda row_id: f"{before}{int(row_id)}{after}"
