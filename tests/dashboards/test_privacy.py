"""The privacy rules on every output: the page, the figure JSON, the CSV and the Excel workbook.

Team Oost has six practitioners (k = 5). Week of 5 January 2026: p1-p5 log shared decision-making,
and p1-p4 (four people) also emotion regulation with ratings 1, 2, 2, 2 (mean 1.75). Week of
12 January: all six log both, emotion regulation rated 4.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from sqlalchemy import update

from app.organisations.models import Organisation
from tests import factories
from tests.dashboards.helpers import members

S, E = "shared_decision_making", "emotion_regulation"
PERIOD = {"period": "custom", "start": "2026-01-05", "end": "2026-01-18"}
W0, W1 = "2026-01-05", "2026-01-12"


@pytest.fixture
def oost(app, org, team, lead):
    p = members(org, team, 6)
    for person, rating in zip(p[:4], (1, 2, 2, 2), strict=True):
        factories.practice_log(person, session_date=date(2026, 1, 6), ratings={S: 4, E: rating},
                               techniques=("sdm_goals_asked", "er_validated"))
    factories.practice_log(p[4], session_date=date(2026, 1, 7), ratings={S: 3})
    for person in p:
        factories.practice_log(person, session_date=date(2026, 1, 13), ratings={S: 3, E: 4},
                               techniques=("sdm_goals_asked", "er_validated"))
    return p


def set_k(org: Organisation, k: int) -> None:
    with factories.committed() as s:
        s.execute(update(Organisation).where(Organisation.id == org.id).values(min_group_size=k))


def get(client, team, what: str = "", **args: str):
    url = f"/dashboards/teams/{team.id}{what}"
    response = client.get(url, query_string={**PERIOD, **args})
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(client, team, **args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(get(client, team, "/export.csv", **args).text)))


def xlsx_rows(client, team, **args: str) -> list[dict[str, str]]:
    """The workbook's data sheet read with the standard library (the file is a zip of XML)."""
    book = zipfile.ZipFile(io.BytesIO(get(client, team, "/export.xlsx", **args).data))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 - our own file
    shared = [si.findtext("m:t", "", ns) or "".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
              for si in strings.findall("m:si", ns)]
    sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))  # noqa: S314
    table = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells: dict[str, str] = {}
        for c in row.findall("m:c", ns):
            column = re.match(r"[A-Z]+", c.get("r", "")).group(0)  # type: ignore[union-attr]
            value = c.findtext("m:v", "", ns)
            cells[column] = shared[int(value)] if c.get("t") == "s" else value
        table.append(cells)
    head = [table[0][col] for col in sorted(table[0])]
    return [{h: r.get(chr(ord("A") + i), "") for i, h in enumerate(head)} for r in table[1:]]


def find(rows: list[dict[str, str]], metric: str, element: str = "", start: str = W0, end: str | None = None,
         ) -> dict[str, str]:
    hits = [r for r in rows if r["metric"] == metric and r["element"] == element
            and r["period_start"] == start and (end is None or r["period_end"] == end) and not r["technique"]]
    assert len(hits) == 1, (metric, element, start, end, hits)
    return hits[0]


def figure(client, team, key: str, **args: str) -> dict:
    return get(client, team, "/figures.json", **args).get_json()["figures"][key]


def test_four_contributors_are_hidden_five_are_shown(client, org, team, lead, oost):
    client.login_as(lead)
    set_k(org, 4)
    # k = 4: the four who applied emotion regulation in the first week may be described.
    assert find(csv_rows(client, team), "self_rating", E, end="2026-01-11")["value"] == "1.75"
    assert figure(client, team, "ratings")["data"][1]["y"][0] == 1.8
    assert ">1,8<" in get(client, team).text
    set_k(org, 5)
    row = find(csv_rows(client, team), "self_rating", E, end="2026-01-11")
    assert (row["value"], row["suppressed"]) == ("", "1")
    assert figure(client, team, "ratings")["data"][1]["y"][0] is None
    page = get(client, team).text
    assert ">1,8<" not in page and "1.75" not in page and "te weinig gegevens" in page
    # shared decision-making had five people that week: shown (mean of 4, 4, 4, 4, 3).
    assert find(csv_rows(client, team), "self_rating", S, end="2026-01-11")["value"] == "3.80"


def test_hidden_values_reach_no_output(client, org, team, lead, oost):
    client.login_as(lead)
    page = get(client, team).text
    figures = get(client, team, "/figures.json").text
    exported = get(client, team, "/export.csv").text
    rows = xlsx_rows(client, team)
    for text in (page, figures, exported):
        assert "1.75" not in text and "1,75" not in text
    assert "1,8<" not in page and "1.8," not in figures and "1.8]" not in figures
    xlsx = find(rows, "self_rating", E, end="2026-01-11")
    assert (xlsx["value"], xlsx["suppressed"]) == ("", "1")


def test_a_total_with_one_hidden_week_is_hidden_too(client, team, lead, oost):
    client.login_as(lead)
    rows = csv_rows(client, team)
    # Week 2 has six raters of emotion regulation (shown); the period has six too, but its mean
    # minus week 2's would give week 1's hidden one: (4·1.75 + 6·4) / 10 and 4 give 1.75 back.
    assert find(rows, "self_rating", E, W1)["value"] == "4.00"
    total = find(rows, "self_rating", E, W0, end="2026-01-18")
    assert (total["value"], total["suppressed"]) == ("", "1")
    # Sessions had five and six loggers: both weeks shown, so the total is shown (5 + 6 logs).
    assert find(rows, "sessions", "", W0, end="2026-01-18")["value"] == "11"


def test_an_empty_week_hides_no_total(client, team, lead, oost):
    client.login_as(lead)
    rows = csv_rows(client, team, end="2026-01-25")  # a third week, in which nobody logged
    empty = find(rows, "sessions", "", "2026-01-19")
    assert (empty["value"], empty["suppressed"]) == ("", "1")  # no contributor: not shown either
    # Subtracting the two shown weeks from the total only tells that nobody logged: 5 + 6 + 0.
    assert find(rows, "sessions", "", W0, end="2026-01-25")["value"] == "11"


def test_a_narrower_filter_drops_a_cell_below_k(client, team, lead, oost):
    client.login_as(lead)
    # Over both weeks six people applied emotion regulation: adoption 6/6 is shown.
    assert find(csv_rows(client, team), "adoption", E, W0, end="2026-01-18")["value"] == "1.0000"
    # The first week alone: four of the six applied it; the share of the team (6) stays shown,
    # but their mean rating is hidden in the page, the CSV and the Excel file alike.
    narrow = {"start": W0, "end": "2026-01-11", "element": E}
    assert find(csv_rows(client, team, **narrow), "adoption", E, W0)["value"] == "0.6667"
    for rows in (csv_rows(client, team, **narrow), xlsx_rows(client, team, **narrow)):
        assert find(rows, "self_rating", E, W0, end="2026-01-11")["suppressed"] == "1"
        assert not [r for r in rows if r["element"] == S]  # the element filter holds in the export
    assert "1,8<" not in get(client, team, **narrow).text


class _Tables(HTMLParser):
    """Every table of a page: caption -> rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("caption", "th", "td"):
            self._in, self._text = tag, ""
        if tag == "tr" and self._caption is not None:
            self.tables[self._caption].append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._caption = self._text.strip()
            self.tables[self._caption] = []
        elif tag in ("th", "td") and self._caption is not None:
            self.tables[self._caption][-1].append(self._text.strip())
        self._in = None if tag in ("caption", "th", "td") else self._in

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def test_the_exports_match_the_page(client, team, lead, oost):
    client.login_as(lead)
    parser = _Tables()
    parser.feed(get(client, team).text)
    coverage = parser.tables["Aandeel van de gelogde gesprekken waarin het element is toegepast"]
    head, first_week = coverage[0], coverage[1]
    column = head.index("Emoties leren reguleren")
    # The page: 4 of the 5 sessions of the first week applied emotion regulation.
    assert first_week[column] == "80%"
    for rows in (csv_rows(client, team), xlsx_rows(client, team)):
        assert float(find(rows, "coverage", E, W0, "2026-01-11")["value"]) == 0.8
    sessions = parser.tables["Gelogde gesprekken per week, per element"]
    total_column = sessions[0].index("Alle gesprekken")
    assert [row[total_column] for row in sessions[1:]] == ["5", "6", "11"]
    for rows in (csv_rows(client, team), xlsx_rows(client, team)):
        assert [find(rows, "sessions", "", w, e)["value"] for w, e in
                ((W0, "2026-01-11"), (W1, "2026-01-18"), (W0, "2026-01-18"))] == ["5", "6", "11"]


def test_figures_are_valid_plotly_and_small(client, team, lead, oost):
    import plotly.graph_objects as go

    client.login_as(lead)
    for args in ({}, {"period": "52"}):
        for key, fig in get(client, team, "/figures.json", **args).get_json()["figures"].items():
            go.Figure(fig)  # an invalid property fails here, not in the browser
            assert len(json.dumps(fig, separators=(",", ":"))) < 5000, key
