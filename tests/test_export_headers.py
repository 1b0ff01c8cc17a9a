"""Exports name their charset once: exactly `text/csv; charset=utf-8` (JSON: application/json)."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.parametrize(("url", "content_type"), [
    ("/account/my-data/logs.csv", "text/csv; charset=utf-8"),
    ("/reflection/skj/export.csv", "text/csv; charset=utf-8"),
    ("/account/my-data/logs.json", "application/json"),
    ("/feedback/export.csv", "text/csv; charset=utf-8"),
    ("/feedback/export.json", "application/json"),
])
def test_the_export_content_type_is_exact(client, practitioner, url, content_type):
    factories.practice_log(practitioner)
    client.login_as(practitioner)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
