"""On PostgreSQL a page's statements are turned into the server's form once per text and kept, the
longest ones (load_user's with a page's facts) too; none is longer than the driver keeps."""

from __future__ import annotations

import pytest
from flask import Flask

from app.db import LONGEST_STATEMENT
from tests.test_statement_counts import counting

PAGES = ("/", "/logs", "/reflection/inbox", "/reflection/", "/goals/", "/account")


def test_a_pages_statements_are_converted_once_and_kept(app: Flask, client, practitioner) -> None:
    if app.extensions["db"]["engine"].dialect.name != "postgresql":
        pytest.skip("the placeholders are psycopg's; runs with --database=postgresql")
    from psycopg import _queries

    client.login_as(practitioner)
    longest = 0
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        before = _queries._query2pg.cache_info()
        with counting(app) as statements:
            assert client.get(path).status_code == 200, path
        after = _queries._query2pg.cache_info()
        assert after.misses == before.misses, f"{path}: a statement was parsed again"
        assert after.hits - before.hits == len(statements), path
        longest = max(longest, *(len(s) for s in statements))
    assert 4096 < longest <= LONGEST_STATEMENT  # the reflection pages' user statement is kept too
