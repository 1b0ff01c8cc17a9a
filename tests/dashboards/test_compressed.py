"""Dashboard responses: the charts compressed once, joined with what surrounds them per request
(app/dashboard_pages/compressed.py). A browser must read exactly the page it would get unzipped."""

from __future__ import annotations

import gzip
import re
import zlib
from datetime import date

import pytest

from app.dashboard_pages.compressed import NOTHING, gzipped, part
from tests import factories
from tests.dashboards.helpers import members

PERIOD = {"period": "custom", "start": "2026-01-05", "end": "2026-01-18"}


def unzipped(body: bytes) -> bytes:
    """Both ways a reader may take: the whole body at once, and a stream read in small pieces."""
    whole = gzip.decompress(body)
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pieces = [stream.decompress(body[i:i + 97]) for i in range(0, len(body), 97)]
    assert stream.eof and not stream.unused_data, "the stream must end exactly at the body's end"
    assert b"".join(pieces) + stream.flush() == whole
    return whole


@pytest.mark.parametrize(("before", "middle", "after"), [
    ("<head>" + "abcdefgh" * 500, "<p>Grafiek “één”</p>", "abcdefgh" * 500 + "</html>"),
    ("", "x" * 200_000 + "é" * 70_000, ""),
    ("voor", "", "na"),
    ("", "", ""),
])
def test_the_joined_stream_reads_as_the_three_texts(before, middle, after):
    # The first case repeats text across the middle: the part after it must not refer back past it.
    body = gzipped(before.encode(), part(middle), after.encode())
    assert unzipped(body) == (before + middle + after).encode()


def test_a_kept_part_fits_between_any_texts():
    chart = "<section>" + "grafiek " * 1000 + "</section>"
    charts = part(chart)
    for before, after in (("a" * 10, "b"), ("<html>", "</html>" * 300), ("", "z")):
        assert unzipped(gzipped(before.encode(), charts, after.encode())) == (before + chart + after).encode()
    assert unzipped(gzipped(("hele pagina " * 200).encode(), NOTHING, b"")) == ("hele pagina " * 200).encode()


@pytest.fixture
def logged(org, team, practitioner):
    for person in [practitioner, *members(org, team, 5, prefix="zip")]:
        factories.practice_log(person, session_date=date(2026, 1, 6), ratings={"shared_decision_making": 3})


def tokens_out(html: bytes) -> str:
    """The page without its CSRF tokens (a form's, the menu's sign-out, the language switch): a
    token carries the second it was made, so two requests may well get different ones."""
    return re.sub(r'<input[^>]*\bname="csrf_token"[^>]*>', "", html.decode())


@pytest.mark.parametrize(("who", "path"), [
    ("lead", "/dashboards/teams/{team}"),
    ("lead", "/dashboards/teams/{team}/figures.json"),
    ("practitioner", "/dashboards/me"),
    ("admin", "/dashboards/organisation"),
])
def test_each_dashboard_reads_the_same_zipped_or_not(client, team, lead, practitioner, admin, logged,
                                                     who, path):
    client.login_as({"lead": lead, "practitioner": practitioner, "admin": admin}[who])
    url = path.format(team=team.id)
    zipped = client.get(url, query_string=PERIOD, headers={"Accept-Encoding": "gzip, deflate"})
    plain = client.get(url, query_string=PERIOD)
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in zipped.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert len(zipped.data) < len(plain.data) / 3
    assert tokens_out(unzipped(zipped.data)) == tokens_out(plain.data)
    if path.endswith(".json"):
        return
    assert plain.text.count("<html") == 1 and plain.text.rstrip().endswith("</html>")
    assert "<!-- charts -->" not in plain.text  # the charts stand where their place was kept


def test_a_page_with_a_wrong_filter_is_zipped_with_its_messages(client, team, lead, logged):
    client.login_as(lead)
    args = {"period": "custom", "start": "2026-01-18", "end": "2026-01-05"}
    zipped = client.get(f"/dashboards/teams/{team.id}", query_string=args,
                        headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 400
    page = unzipped(zipped.data).decode()
    assert "De einddatum moet na de begindatum liggen." in page and "</html>" in page
