"""The client-rating and feedback metrics on every output: page, figure JSON, CSV and Excel.

The data are the `rated` and `shared` sets of conftest.py (worked out in test_client_metrics and
test_feedback_metrics), shown for the weeks of Monday 2 and 9 March 2026 with k = 5 unless said.
"""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest

from app.auth.models import User
from tests import factories
from tests.clientvoice.helpers import rating
from tests.dashboards.conftest import FEEDBACK_NOW
from tests.dashboards.test_privacy import _Tables, csv_rows, find, get, set_k, xlsx_rows

WEEKS = {"start": "2026-03-02", "end": "2026-03-15"}
W0, W1 = "2026-03-02", "2026-03-09"
HIDDEN = "te weinig gegevens"
RATINGS = "Gemiddeld eigen oordeel (1 = nog niet, 5 = heel goed) en het oordeel van cliënten (0 tot 100)"
FEEDBACK = "Logboeken en reflecties die met een coach zijn gedeeld, per week van delen"


def column(page: str, caption: str, heading: str) -> list[str]:
    """One column of a page's table, week by week and then the whole period."""
    parser = _Tables()
    parser.feed(page)
    table = parser.tables[caption]
    index = table[0].index(heading)
    return [row[index] for row in table[1:]]


def cells(rows: list[dict[str, str]], metric: str) -> list[tuple[str, str]]:
    """(value, suppressed) of a metric in W0, W1 and the whole period, from a CSV or the workbook."""
    return [(r["value"], r["suppressed"]) for r in (find(rows, metric, "", W0, "2026-03-08"),
                                                   find(rows, metric, "", W1, "2026-03-15"),
                                                   find(rows, metric, "", W0, "2026-03-15"))]


def trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t["name"] == name)


def test_a_hidden_client_week_reaches_no_output(client, org, team, lead, rated):
    client.login_as(lead)
    page = get(client, team, **WEEKS).text
    # W0: 70.83 from five practitioners is shown; W1 (four) is not, nor the period (it would give
    # W1 back), on the page, in the figure and in both files alike.
    assert column(page, RATINGS, "Oordeel cliënten") == ["71", HIDDEN, HIDDEN]
    assert column(page, RATINGS, "Topscore") == ["33%", HIDDEN, HIDDEN]
    figures = get(client, team, "/figures.json", **WEEKS).text
    line = trace(json.loads(figures)["figures"]["ratings"], "Cliënten (CollaboRATE)")
    assert line["y"] == [71, None] and line["yaxis"] == "y2"
    exported = get(client, team, "/export.csv", **WEEKS).text
    for rows in (csv_rows(client, team, **WEEKS), xlsx_rows(client, team, **WEEKS)):
        assert [(float(v) if v else v, s) for v, s in cells(rows, "client_sdm_mean")] == [
            (70.83, "0"), ("", "1"), ("", "1")]
        assert cells(rows, "client_sdm_top")[1:] == [("", "1"), ("", "1")]
    # W1's 72.92 (and 25 % top scores) and the period's 71.67 appear nowhere.
    for text in (page, figures, exported):
        for hidden in ("72.9", "72,9", "71.67", "71,67", "0.25"):
            assert hidden not in text, hidden
    assert not re.search(r">\s*(73|72|25%)\s*<", page)


def test_with_k_four_the_client_week_and_period_are_shown(client, org, team, lead, rated):
    set_k(org, 4)
    client.login_as(lead)
    page = get(client, team, **WEEKS).text
    assert column(page, RATINGS, "Oordeel cliënten") == ["71", "73", "72"]
    rows = csv_rows(client, team, **WEEKS)
    assert cells(rows, "client_sdm_mean") == [("70.83", "0"), ("72.92", "0"), ("71.67", "0")]
    assert cells(rows, "client_sdm_top") == [("0.3333", "0"), ("0.2500", "0"), ("0.3000", "0")]
    assert "; cliënten gaven gemiddeld 72 van de 100." in page


def test_feedback_on_every_output(client, org, team, lead, shared, freeze_clock):
    freeze_clock(FEEDBACK_NOW)
    client.login_as(lead)
    page = get(client, team, **WEEKS).text
    # Rate: W0 3 of 5 (five sharers) shown; W1 (three) hidden, and so the period. Latency: four
    # and two contributors, hidden every week and over the period.
    assert column(page, FEEDBACK, "Feedback binnen 7 dagen") == ["60%", HIDDEN, HIDDEN]
    assert column(page, FEEDBACK, "Uren tot feedback (middelste waarde)") == [HIDDEN] * 3
    assert ("In 1 van de 2 weken werd genoeg met coaches gedeeld om te tonen; daarvan kreeg 60% binnen "
            "7 dagen feedback.") in page
    figures = get(client, team, "/figures.json", **WEEKS).text
    figure = json.loads(figures)["figures"]["feedback"]
    assert trace(figure, "Feedback binnen 7 dagen")["y"] == [60, None]
    assert trace(figure, "Uren tot feedback (middelste waarde)")["y"] == [None, None]
    exported = get(client, team, "/export.csv", **WEEKS).text
    for rows in (csv_rows(client, team, **WEEKS), xlsx_rows(client, team, **WEEKS)):
        rate = cells(rows, "feedback_rate")
        assert (float(rate[0][0]), rate[0][1]) == (0.6, "0") and rate[1:] == [("", "1"), ("", "1")]
        assert cells(rows, "feedback_latency") == [("", "1")] * 3
    for text in (page, figures, exported):
        for hidden in ("0.6667", "0.625", "67%", "30.0", "30,0", "96.0", "96,0", "36.0", "36,0"):
            assert hidden not in text, hidden


def test_feedback_with_k_four_matches_between_page_and_files(client, org, team, lead, shared, freeze_clock):
    set_k(org, 4)
    freeze_clock(FEEDBACK_NOW)
    client.login_as(lead)
    page = get(client, team, **WEEKS).text
    # Latency: W0 30 h (four sharers) and the period's 36 h (four) are shown; W1 (two) is not.
    assert column(page, FEEDBACK, "Uren tot feedback (middelste waarde)") == ["30,0", HIDDEN, "36,0"]
    for rows in (csv_rows(client, team, **WEEKS), xlsx_rows(client, team, **WEEKS)):
        assert [(float(v) if v else v, s) for v, s in cells(rows, "feedback_latency")] == [
            (30.0, "0"), ("", "1"), (36.0, "0")]
    # The period's rate stays hidden (W1 is), its median time is not a sum of the weeks: shown.
    assert ("daarvan kreeg 60% binnen 7 dagen feedback; de helft van de feedback kwam binnen 36,0 uur."
            in page)


FIGURE = re.compile(r'<script type="application/json" class="figure"[^>]*>(.*?)</script>', re.S)


def _page_figures(page: str) -> list[dict]:
    return [json.loads(m) for m in FIGURE.findall(page)]


@pytest.mark.parametrize("k", [4, 5])
def test_every_figure_with_client_ratings_is_valid_plotly(client, org, team, lead, rated, k):
    set_k(org, k)
    client.login_as(lead)
    for args in (WEEKS, {"period": "52"}):
        for key, fig in get(client, team, "/figures.json", **args).get_json()["figures"].items():
            go.Figure(fig)
            assert len(json.dumps(fig, separators=(",", ":"))) < 5000, key
    client.submit("/logout")
    with factories.committed() as s:
        p1 = s.query(User).filter_by(email="p1@example.org").one()
    client.login_as(p1)
    figures = _page_figures(client.get("/dashboards/me", query_string={"period": "custom", **WEEKS}).text)
    assert len(figures) == 2
    for fig in figures:
        go.Figure(fig)


def test_every_feedback_figure_is_valid_plotly(client, org, team, lead, shared, freeze_clock):
    set_k(org, 4)
    freeze_clock(FEEDBACK_NOW)
    client.login_as(lead)
    for fig in get(client, team, "/figures.json", **WEEKS).get_json()["figures"].values():
        go.Figure(fig)


def test_own_client_rating_counts_shared_answers_and_the_rest_in_threes(client, org, team, rated):
    with factories.committed() as s:
        p1 = s.query(User).filter_by(email="p1@example.org").one()
    client.login_as(p1)
    args = {"period": "custom", **WEEKS}
    caption = "Jouw gemiddelde eigen oordeel per week en de antwoorden die cliënten met jou deelden"
    page = client.get("/dashboards/me", query_string=args).text
    # p1's shared answers: 100 in each week (the unshared 50 stays out), shown without threshold.
    assert column(page, caption, "Oordeel cliënten") == ["100", "100", "100"]
    assert "Antwoorden die niet met jou gedeeld zijn, zie je als één cijfer zodra het er 3 zijn." in page
    profile = _Tables()
    profile.feed(page)
    row = next(r for r in profile.tables["Jouw cijfers over de periode naast die van je team"]
               if r[0] == "Oordeel cliënten (0-100)")
    assert row[1:] == ["100", HIDDEN]  # the team's period is hidden (its second week has four)
    own = list(csv_rows_of(client, args))
    assert [r["value"] for r in own if r["metric"] == "client_sdm_mean"] == ["100.00", "100.00", "100.00"]
    # Two more unshared answers: three, so they show as one figure, (50 + 100 + 0) / 3.
    log = factories.practice_log(p1)
    rating(log, (4, 4, 4), shared=False)
    rating(log, (0, 0, 0), shared=False)
    page = client.get("/dashboards/me", query_string=args).text
    assert ("Antwoorden die niet met jou gedeeld zijn, over al je gesprekken: 50 van de 100, uit 3 "
            "antwoorden; 33% daarvan is een topscore.") in page


def csv_rows_of(client, args: dict[str, str]):
    import csv
    import io

    response = client.get("/dashboards/me/export.csv", query_string=args)
    assert response.status_code == 200
    return csv.DictReader(io.StringIO(response.text))


def test_the_overview_shows_the_new_figures_per_team(client, org, team, admin, rated):
    set_k(org, 4)
    client.login_as(admin)
    page = client.get("/dashboards/organisation", query_string={"period": "custom", **WEEKS}).text
    tables = _Tables()
    tables.feed(page)
    table = tables.tables["Kerncijfers per team over de periode"]
    head = table[0]
    by_team = {row[0]: row for row in table[1:]}
    client_column = head.index("Oordeel cliënten (0-100)")
    # Team Oost: 71.67 over the period (both weeks shown at k = 4); Team West: one person rated.
    assert by_team["Team Oost"][client_column] == "72"
    assert by_team["Team West"][client_column] == HIDDEN
    assert "Feedback binnen 7 dagen" in head and "Uren tot feedback (middelste waarde)" in head
