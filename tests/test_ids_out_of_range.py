"""An id no row can have (beyond the INTEGER range, or absurdly long) is a 404 on every route,
never a database error; for ids in the path and in the query string alike."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from app import create_app
from app.db import db
from app.routing import MAX_ID
from config import TestingConfig

HUGE = "99999999999999999999"


def _rules() -> list[Any]:
    """Every rule of a freshly built app (no database is touched), sorted for stable test ids."""
    app = create_app(TestingConfig())
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def _dummy_value(converter: Any) -> Any:
    """A value the converter takes: one of an `any(...)` converter's items, else 1."""
    items = sorted(getattr(converter, "items", ()))
    return items[0] if items else 1


def _id_urls() -> list[Any]:
    """Every (method, URL) of a rule with an int parameter, each int set to HUGE (or just past MAX_ID)."""
    cases = []
    for rule in _rules():
        converters = rule._converters or {}  # noqa: SLF001 - Rule has no public accessor for these
        ints = [name for name, c in converters.items() if isinstance(c, IntegerConverter)]
        if not ints:
            continue
        for too_big in (HUGE, str(MAX_ID + 1)):
            values = {name: _dummy_value(c) for name, c in converters.items() if name not in ints}
            url = rule.build({**values, **dict.fromkeys(ints, 1)}, append_unknown=False)[1]
            # Swap the placeholder 1s for the huge number, from the end (the id segments).
            parts = url.split("/")
            for i, part in enumerate(parts):
                if part == "1":
                    parts[i] = too_big
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                cases.append(pytest.param(method, "/".join(parts),
                                          id=f"{method} {rule.rule} {len(too_big)} digits"))
    return cases


ID_URLS = _id_urls()


def test_the_sweep_found_the_id_routes():
    assert len(ID_URLS) > 40
    assert any(url.endswith(f"/logs/{HUGE}") for _m, url in (p.values for p in ID_URLS))


@pytest.mark.parametrize(("method", "url"), ID_URLS)
def test_an_id_out_of_range_is_not_found_for_a_signed_in_admin(app, client, admin, method, url):
    client.login_as(admin)
    response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
    assert response.status_code == 404, response.text[:300]
    assert "Werkzaam" in response.text


@pytest.mark.parametrize("too_big", [HUGE, "9" * 5000])
def test_an_id_out_of_range_is_not_found_when_signed_out(client, too_big):
    response = client.get(f"/logs/{too_big}")
    assert response.status_code == 404


def test_the_largest_id_is_an_ordinary_not_found(client, practitioner):
    client.login_as(practitioner)
    assert client.get(f"/logs/{MAX_ID}").status_code == 404


@pytest.mark.parametrize("url", [
    f"/reflection/new?template=quick&log={HUGE}",
    "/reflection/new?template=quick&log=-5",
    f"/reflection/groups/new?team={HUGE}",
])
def test_an_id_out_of_range_in_the_query_string_is_not_found(app, client, lead, url):
    client.login_as(lead)
    response = client.get(url)
    assert response.status_code == 404
    with app.app_context():  # nothing was written on the way
        from app.reflection.models import Reflection

        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0


@pytest.mark.parametrize("page", [HUGE, "9" * 5000, "²", "-3", "x"])
def test_a_strange_page_number_shows_a_page(client, admin, page):
    client.login_as(admin)
    assert client.get(f"/admin/users?page={page}").status_code == 200
