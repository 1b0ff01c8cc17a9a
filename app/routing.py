"""Ids in URLs: a number no row can have is no page (404), never a database error (500).

Every id column is an INTEGER, which PostgreSQL holds up to 2**31 - 1; a larger number in a URL
used to reach the database and fail there. The app's `int` converter refuses it while routing,
and `id_arg` does the same for ids in a query string.
"""

from __future__ import annotations

from flask import Flask, abort
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` with an upper bound of MAX_ID: a larger number matches no route (404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def id_arg(value: str) -> int:
    """For `request.args.get(name, type=id_arg)`: the id; not a number gives the default (None);
    a number no row can have gives 404, like the same id in the path."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        abort(404)
    return number


def register_routing(app: Flask) -> None:
    """Install the bounded `int` converter; must run before any route is added."""
    app.url_map.converters["int"] = IdConverter
