"""plotly.js from the installed plotly package: one versioned URL, gzip-compressed, cached a year.

Never from a CDN (architecture.md). The file is compressed once per process at its first request;
a browser that sent it once keeps it (immutable), so a repeat visit does not ask again.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import plotly
from flask import Response, abort, request

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=1)
def plotly_version() -> str:
    """plotly.js's own version (the file's first comment) with a hash of the file, for the URL."""
    head = PLOTLY_JS.read_bytes()[:200].decode("ascii", "replace")
    version = head.split("plotly.js v", 1)[1].split()[0] if "plotly.js v" in head else "0"
    return f"{version}-{_digest()[:8]}"


@lru_cache(maxsize=1)
def _digest() -> str:
    return hashlib.sha256(PLOTLY_JS.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _compressed() -> bytes:
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=9, mtime=0)


def plotly_response(version: str) -> Response:
    """The script for `version` (404 for any other), compressed when the browser accepts gzip."""
    if version != plotly_version():
        abort(404)
    etag = _digest()[:32]
    headers = {"Cache-Control": f"public, max-age={YEAR}, immutable", "Vary": "Accept-Encoding",
               "ETag": f'"{etag}"'}
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body, headers["Content-Encoding"] = _compressed(), "gzip"
    else:
        body = PLOTLY_JS.read_bytes()
    return Response(body, mimetype="text/javascript", headers=headers)
