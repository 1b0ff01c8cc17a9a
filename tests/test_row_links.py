"""row_link gives each row the address url_for gives it, with url_for run once per list."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from app.links import row_link


@pytest.mark.parametrize(("endpoint", "key", "values"), [
    ("practice.view_log", "log_id", {}),
    ("teams.team", "team_id", {}),
    ("teams.user", "user_id", {}),
    ("groups.group", "group_id", {}),
    ("practice.logs", "page", {"element": "shared_decision_making"}),  # the id in the query string
])
def test_a_row_link_is_the_address_url_for_gives(app: Flask, endpoint: str, key: str, values: dict[str, str]
                                                 ) -> None:
    with app.test_request_context("/", base_url="https://werkzaam.example/sub"):
        link = row_link(endpoint, key, **values)
        for row_id in (1, 7, 42, 918_273, 2**40):
            assert link(row_id) == url_for(endpoint, **{key: row_id}, **values)
