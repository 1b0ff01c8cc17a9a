"""Pure functions turning an author's logs into CSV or JSON: their own download of their logs, and
the logs in the ZIP of all their data."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.csv_cells import safe_cell
from app.elements.models import CoreElement
from app.practice.models import PracticeLog
from app.practice.queries import applied_elements


def log_record(log: PracticeLog) -> dict[str, Any]:
    """One log as plain data: context, and per applied element its rating and techniques."""
    return {
        "id": log.id,
        "session_date": log.session_date.isoformat(),
        "duration_minutes": log.duration_minutes,
        "setting": log.setting,
        "participants": log.participant_keys,
        "age_band": log.age_band,
        "phase": log.phase,
        "note": log.note,
        "private": log.private,
        "created_at": log.created_at.isoformat(),
        "updated_at": log.updated_at.isoformat(),
        "elements": [
            {
                "key": a.element.key,
                "label_nl": a.element.label_nl,
                "label_en": a.element.label_en,
                "self_rating": a.self_rating,
                "techniques": [
                    {"key": t.key, "label_nl": t.label_nl, "label_en": t.label_en,
                     "retired": t.retired}
                    for t in a.techniques
                ],
            }
            for a in applied_elements(log)
        ],
    }


def to_json(logs: list[PracticeLog]) -> str:
    return json.dumps({"practice_logs": [log_record(log) for log in logs]}, ensure_ascii=False, indent=2)


def to_csv(logs: list[PracticeLog], elements: list[CoreElement], locale: str) -> str:
    """One row per log; per element: its self-rating, technique keys and labels (`;`-separated)."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["id", "session_date", "duration_minutes", "setting", "participants", "age_band",
              "phase", "private", "note", "created_at"]
    for e in elements:
        header += [f"{e.key}_rating", f"{e.key}_technique_keys", f"{e.key}_technique_labels"]
    writer.writerow(header)
    for log in logs:
        applied = {a.element.id: a for a in applied_elements(log)}
        row: list[Any] = [
            log.id, log.session_date.isoformat(), log.duration_minutes, log.setting,
            ";".join(log.participant_keys), log.age_band, log.phase, log.private, log.note or "",
            log.created_at.isoformat(),
        ]
        for e in elements:
            a = applied.get(e.id)
            if a is None:
                row += ["", "", ""]
            else:
                row += [a.self_rating, ";".join(t.key for t in a.techniques),
                        ";".join(t.label(locale) for t in a.techniques)]
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
