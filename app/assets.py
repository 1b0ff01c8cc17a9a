"""Static files under versioned URLs, cached for a year; the favicon at the address browsers try.

`url_for('static', filename=...)` adds `?v=<hash of the file's content>`, so a changed file gets a
new address: a browser keeps each version for a year and never asks again, where `no-cache` made
every page re-check every file.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from flask.typing import ResponseReturnValue

YEAR = 365 * 24 * 3600
DAY = 24 * 3600


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    # Keyed by modification time and size, so an edited file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_version(app: Flask, filename: str) -> str:
    """A short hash of the static file's content, or "" when there is no such file."""
    path = Path(app.static_folder or "", filename)
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _digest(str(path), stat.st_mtime_ns, stat.st_size) if path.is_file() else ""


def register_assets(app: Flask) -> None:
    @app.url_defaults
    def _versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

    def send_file_max_age(filename: str | None) -> int | None:
        """A year for the version a page links to; anything else is checked again each time."""
        if filename and has_request_context() and request.endpoint == "static":
            version = request.args.get("v")
            if version and version == static_version(app, filename):
                return YEAR
        return None

    app.get_send_file_max_age = send_file_max_age  # type: ignore[method-assign]

    @app.after_request
    def _immutable(response: Any) -> Any:
        if request.endpoint == "static" and response.cache_control.max_age == YEAR:
            response.cache_control.immutable = True
        return response

    def favicon() -> ResponseReturnValue:
        response = app.send_static_file("favicon.ico")
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = DAY
        return response

    app.add_url_rule("/favicon.ico", "favicon", favicon)
