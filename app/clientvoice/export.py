"""Pure functions turning a practitioner's shared client answers into CSV or JSON for their download.

Unshared answers appear only as the aggregate the home page shows (from three answers on).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.clientvoice.models import ITEMS
from app.clientvoice.queries import ExportRow
from app.dashboards.queries import ClientRatingStats


def _record(row: ExportRow) -> dict[str, Any]:
    return {
        "log_id": row.log_id,
        "session_date": row.session_date.isoformat(),
        "respondent": row.rating.respondent,
        "channel": row.rating.channel,
        **{item: getattr(row.rating, item) for item in ITEMS},
        "score": round(row.score, 1),
        "top_score": row.top,
    }


def _aggregate(stats: ClientRatingStats | None) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {"responses": stats.responses, "mean_score": round(stats.mean, 1),
            "top_score_rate": round(stats.top_rate, 3)}


def to_json(rows: list[ExportRow], unshared: ClientRatingStats | None) -> str:
    return json.dumps({"shared_client_ratings": [_record(r) for r in rows],
                       "unshared_client_ratings": _aggregate(unshared)}, ensure_ascii=False, indent=2)


def to_csv(rows: list[ExportRow]) -> str:
    """One row per shared answer; every value is a number, a date or a fixed key."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["log_id", "session_date", "respondent", "channel", *ITEMS, "score", "top_score"]
    writer.writerow(header)
    for row in rows:
        record = _record(row)
        writer.writerow([record[name] for name in header])
    return out.getvalue()
