"""Dashboard responses, gzip-compressed, with their biggest part compressed once.

Most of a dashboard page is its charts, kept as made (app/dashboards/cache.py); around them sit
the menu, the filter and a form with the request's own CSRF token. A gzip body is one deflate
stream, and a deflate stream may be built from pieces that each start without history and end on
a byte boundary (RFC 1951, a full flush). So the charts are compressed once, when they are made,
and each request compresses only the few kilobytes around them, then joins the three.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from flask import Response, request

from app.security import CHART_CSP

LEVEL = 1  # fast; the charts' HTML is repetitive, so it still shrinks about sevenfold
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, OS unknown
SMALLEST = 1024  # a shorter body is sent as it is


@dataclass(frozen=True)
class Part:
    """Text kept together with its deflated form: a piece with no history before it that ends on a
    byte boundary and is not the last, so it fits anywhere inside a longer stream."""

    raw: bytes
    deflated: bytes


NOTHING = Part(b"", b"")  # an empty piece: a page compressed here as a whole


NOTHING = Part(b"", b"")  # an empty piece: the page around it is compressed here as a whole


def part(text: str) -> Part:
    raw = text.encode()
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Part(raw, compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH))


def gzipped(head: bytes, middle: Part, tail: bytes) -> bytes:
    """`head + middle + tail` as a gzip body; only `head` and `tail` are compressed here."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    # The full flush after `head` ends its piece and forgets it: nothing after refers back to it.
    pieces = [_GZIP_HEADER, compressor.compress(head), compressor.flush(zlib.Z_FULL_FLUSH),
              middle.deflated, compressor.compress(tail), compressor.flush(zlib.Z_FINISH)]
    crc = zlib.crc32(tail, zlib.crc32(middle.raw, zlib.crc32(head)))
    size = len(head) + len(middle.raw) + len(tail)
    pieces.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(pieces)


def compressed_response(before: str, middle: Part, after: str, mimetype: str, status: int = 200) -> Response:
    """The response for `before + middle + after`, gzip-compressed when the browser accepts it.
    An HTML page gets the policy that lets the chart script run (app/security.py)."""
    headers = {"Vary": "Accept-Encoding"}
    if mimetype == "text/html":
        headers["Content-Security-Policy"] = CHART_CSP
    head, tail = before.encode(), after.encode()
    size = len(head) + len(middle.raw) + len(tail)
    if "gzip" in request.headers.get("Accept-Encoding", "") and size > SMALLEST:
        headers["Content-Encoding"] = "gzip"
        body = gzipped(head, middle, tail)
    else:
        body = head + middle.raw + tail
    return Response(body, status=status, mimetype=mimetype, headers=headers)
