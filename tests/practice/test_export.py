"""Exports: exactly the author's own logs, with techniques by key and label, in CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from app.clock import local_today
from tests import factories

TODAY = local_today()


def _setup(org, team, practitioner):
    mine = [
        factories.practice_log(practitioner, session_date=TODAY - timedelta(days=3),
                               ratings={"shared_decision_making": 4, "problem_solving": 2},
                               techniques=("sdm_goals_asked", "sdm_decided_together", "ps_homework")),
        factories.practice_log(practitioner, session_date=TODAY, private=True, note="=SOM(A1)",
                               ratings={"emotion_regulation": 5}, techniques=()),
    ]
    someone = factories.user(org, "someone@example.org", team=team)
    factories.practice_log(someone, note="Niet van mij.")
    return mine


def test_json_export_holds_exactly_the_authors_logs(client, org, team, practitioner):
    mine = _setup(org, team, practitioner)
    client.login_as(practitioner)
    response = client.get("/account/my-data/logs.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    logs = json.loads(response.text)["practice_logs"]
    assert [log["id"] for log in logs] == [log.id for log in mine]
    first = logs[0]
    assert first["participants"] == ["youth", "parent"] and first["setting"] == "home"
    assert [(e["key"], e["self_rating"]) for e in first["elements"]] == [
        ("shared_decision_making", 4), ("problem_solving", 2)]
    assert first["elements"][0]["techniques"] == [
        {"key": "sdm_goals_asked", "label_nl": "Wensen en doelen van jeugdige/ouders gevraagd",
         "label_en": "Asked for the young person's and parents' wishes and goals", "retired": False},
        {"key": "sdm_decided_together", "label_nl": "Samen besloten over de volgende stap",
         "label_en": "Decided the next step together", "retired": False},
    ]
    assert logs[1]["private"] is True and logs[1]["elements"][0]["techniques"] == []
    assert "Niet van mij." not in response.text


def test_csv_export_holds_exactly_the_authors_logs(client, org, team, practitioner):
    mine = _setup(org, team, practitioner)
    client.login_as(practitioner)
    response = client.get("/account/my-data/logs.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["id"]) for r in rows] == [log.id for log in mine]
    assert rows[0]["shared_decision_making_rating"] == "4"
    assert rows[0]["shared_decision_making_technique_keys"] == "sdm_goals_asked;sdm_decided_together"
    assert rows[0]["shared_decision_making_technique_labels"] == (
        "Asked for the young person's and parents' wishes and goals;Decided the next step together")
    assert rows[0]["problem_solving_technique_keys"] == "ps_homework"
    assert rows[0]["emotion_regulation_rating"] == ""
    assert rows[1]["note"] == "'=SOM(A1)"  # never a live spreadsheet formula
    assert "Niet van mij." not in response.text


def test_an_empty_export_is_still_a_valid_file(client, practitioner):
    client.login_as(practitioner)
    assert json.loads(client.get("/account/my-data/logs.json").text) == {"practice_logs": []}
    assert client.get("/account/my-data/logs.csv").text.splitlines()[0].startswith("id,session_date")
