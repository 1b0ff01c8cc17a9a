"""plotly.js from the installed plotly package: one versioned URL, gzip-compressed, cached a year.

Never from a CDN (architecture.md). The file is compressed once per process at its first request;
a browser that sent it once keeps it (immutable), so a repeat visit does not ask again.

plotly.js adds its own style rules in a <style> element, which the Content-Security-Policy
(style-src 'self') refuses; the same rules are read from the script and served as a stylesheet.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from flask import Response, abort, request

# Found without importing plotly (several MiB per worker that the app never calls).
PLOTLY_JS = Path(str(getattr(find_spec("plotly"), "origin", ""))).parent / "package_data" / "plotly.min.js"
YEAR = 365 * 24 * 3600


CHUNK = 1 << 18  # the file (4.6 MB) is read in pieces: a worker never holds a copy of it


def _chunks() -> Iterator[bytes]:
    with PLOTLY_JS.open("rb") as script:
        while piece := script.read(CHUNK):
            yield piece


def _file_matches(pattern: re.Pattern[bytes], longest: int) -> Iterator[tuple[int, re.Match[bytes]]]:
    """Every match of `pattern` (none longer than `longest` bytes) with its offset in the file."""
    text, base = b"", 0  # `text` starts at offset `base` of the file
    for piece in _chunks():
        text += piece
        keep = max(len(text) - longest, 0)  # a match starting from here may go on in the next piece
        yield from ((base + m.start(), m) for m in pattern.finditer(text) if m.start() < keep)
        text, base = text[keep:], base + keep
    yield from ((base + m.start(), m) for m in pattern.finditer(text))


@lru_cache(maxsize=1)
def plotly_version() -> str:
    """plotly.js's own version (the file's first comment) with a hash of the file, for the URL."""
    with PLOTLY_JS.open("rb") as script:
        head = script.read(200).decode("ascii", "replace")
    version = head.split("plotly.js v", 1)[1].split()[0] if "plotly.js v" in head else "0"
    return f"{version}-{_digest()[:8]}"


@lru_cache(maxsize=1)
def _digest() -> str:
    digest = hashlib.sha256()
    for piece in _chunks():
        digest.update(piece)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _compressed() -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as packed:
        for piece in _chunks():
            packed.write(piece)
    return out.getvalue()


_TABLE = re.compile(rb'\{"X,X div":')
_PAIR = re.compile(r"""\s*"((?:[^"\\]|\\.)*)":(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,?)""")
_STYLE_ID = re.compile(rb'getElementById\("([0-9a-f]{64})"\)')


@lru_cache(maxsize=1)
def plotly_css() -> bytes:
    """plotly.js's style rules (its `plotcss` table: "X .main-svg" and so on) as a stylesheet."""
    start = next(at for at, _found in _file_matches(_TABLE, 16))
    with PLOTLY_JS.open("rb") as script:
        script.seek(start)
        table = script.read(CHUNK).decode("utf-8", "replace")  # the table is a few kB
    at = 1
    rules = []
    while True:
        pair = _PAIR.match(table, at)
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
    return tuple(dict.fromkeys(m.group(1).decode() for _at, m in _file_matches(_STYLE_ID, 100)))


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
        body = _compressed() if gzipped else b"".join(_chunks())
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype="text/css" if kind == "css" else "text/javascript", headers=headers)
