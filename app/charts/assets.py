"""plotly.js from the installed plotly package: one versioned URL, gzip-compressed, cached a year.

Never from a CDN (architecture.md). The file is compressed once per process at its first request;
a browser that sent it once keeps it (immutable), so a repeat visit does not ask again.

plotly.js adds its own style rules in a <style> element, which the Content-Security-Policy
(style-src 'self') refuses; the same rules are read from the script and served as a stylesheet.
"""

from __future__ import annotations

import gzip
import hashlib
import re
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


_PAIR = re.compile(r"""\s*"((?:[^"\\]|\\.)*)":(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,?)""")


@lru_cache(maxsize=1)
def plotly_css() -> bytes:
    """plotly.js's style rules (its `plotcss` table: "X .main-svg" and so on) as a stylesheet."""
    script = PLOTLY_JS.read_text("utf-8")
    at = script.index('{"X,X div":') + 1
    rules = []
    while True:
        pair = _PAIR.match(script, at)
        if pair is None:
            break
        selector = pair.group(1).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector}{{{pair.group(2) if pair.group(2) is not None else pair.group(3)}}}")
        at = pair.end()
        if not pair.group(4):
            break
    return "\n".join(rules).encode()


@lru_cache(maxsize=1)
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds at load unless an element with the id exists
    (its map library's rules; no map is drawn here). The page holds empty elements with them."""
    script = PLOTLY_JS.read_text("utf-8")
    return tuple(dict.fromkeys(re.findall(r'getElementById\("([0-9a-f]{64})"\)', script)))


def plotly_response(version: str, kind: str = "js") -> Response:
    """The script (or its stylesheet) for `version`, 404 for any other; gzip when accepted."""
    if version != plotly_version():
        abort(404)
    etag = f"{_digest()[:32]}-{kind}"
    headers = {"Cache-Control": f"public, max-age={YEAR}, immutable", "Vary": "Accept-Encoding",
               "ETag": f'"{etag}"'}
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    if kind == "css":
        body = gzip.compress(plotly_css(), mtime=0) if gzipped else plotly_css()
    else:
        body = _compressed() if gzipped else PLOTLY_JS.read_bytes()
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype="text/css" if kind == "css" else "text/javascript", headers=headers)
