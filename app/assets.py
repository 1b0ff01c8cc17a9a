"""Static files under versioned URLs, cached for a year; the favicon at the address browsers try.

`url_for('static', filename=...)` adds `?v=<hash of the file's content>`, so a changed file gets a
new address: a browser keeps each version for a year and never asks again, where `no-cache` made
every page re-check every file.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from flask import Flask, has_request_context, request
from flask.typing import ResponseReturnValue
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
DAY = 24 * 3600


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    # Keyed by modification time and size, so an edited file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _version_on_disk(path: str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return _digest(path, stat.st_mtime_ns, stat.st_size) if S_ISREG(stat.st_mode) else ""


def static_version(app: Flask, filename: str) -> str:
    """A short hash of the static file's content, or "" when there is no such file.

    Like templates, the files are read again only where templates are reloaded (debug): there an
    edited file gets a new version at once. Elsewhere they do not change while the process runs
    (a deploy starts new processes), so each file's version is worked out once, not with a `stat`
    for every link on every page.
    """
    path = safe_join(app.static_folder or "", filename)
    if path is None:
        return ""  # outside the static folder: not a static file
    if app.jinja_env.auto_reload:
        return _version_on_disk(path)
    known: dict[str, str] = app.extensions.setdefault("static_versions", {})
    version = known.get(path)
    if version is None:
        version = _version_on_disk(path)
        if version:  # a missing file is looked for again (the cache holds only real files)
            known[path] = version
    return version


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
