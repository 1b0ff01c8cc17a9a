"""A sweep over every route: default deny, CSRF on every POST, security headers, error pages."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from werkzeug.routing import Rule

from app import create_app
from app.security import PUBLIC_ENDPOINTS
from config import TestingConfig

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _rules() -> list[Rule]:
    """Every rule of a freshly built app (no database is touched), sorted for stable test ids."""
    app = create_app(TestingConfig())
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def _dummy_value(converter: Any) -> Any:
    """The first of: one of an `any(...)` converter's items, 1, "x", a UUID, that the converter takes."""
    candidates = [*sorted(getattr(converter, "items", ())), 1, "x", UUID(int=1)]
    for value in candidates:
        try:
            text = converter.to_url(value)
        except (ValueError, TypeError):
            continue
        if re.fullmatch(converter.regex, text):
            return value
    raise AssertionError(f"no dummy value for {converter!r}")


def _dummy_values(rule: Rule) -> dict[str, Any]:
    converters = rule._converters or {}  # noqa: SLF001 - Rule has no public accessor for these
    return {name: _dummy_value(converter) for name, converter in converters.items()}


def _url(rule: Rule) -> str:
    built = rule.build(_dummy_values(rule), append_unknown=False)
    assert built is not None, f"cannot build {rule.rule}"
    return built[1]


def _cases(methods: set[str], *, public: bool | None) -> list[Any]:
    cases = []
    for rule in _rules():
        if public is not None and (rule.endpoint in PUBLIC_ENDPOINTS) != public:
            continue
        for method in sorted((rule.methods or set()) & methods):
            cases.append(pytest.param(method, _url(rule), id=f"{method} {rule.rule}"))
    return cases


PRIVATE_READS = _cases({"GET"}, public=False)
PUBLIC_READS = _cases({"GET"}, public=True)
PRIVATE_WRITES = _cases(UNSAFE, public=False)
ALL_WRITES = _cases(UNSAFE, public=None)


def is_sent_to_login(response: Any) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- default deny and CSRF ------------------------------------------------------------------


def test_the_sweep_found_routes():
    assert PRIVATE_READS and ALL_WRITES
    assert any("/logout" in p.values[1] for p in ALL_WRITES)


@pytest.mark.parametrize(("method", "url"), PRIVATE_READS)
def test_anonymous_visitor_is_sent_to_sign_in(client, method, url):
    assert is_sent_to_login(client.open(url, method=method))


@pytest.mark.parametrize(("method", "url"), PUBLIC_READS)
def test_public_pages_open_without_signing_in(client, method, url):
    response = client.open(url, method=method)
    assert not is_sent_to_login(response)
    assert response.status_code < 500


@pytest.mark.parametrize(("method", "url"), PRIVATE_WRITES)
def test_anonymous_form_with_a_valid_token_is_sent_to_sign_in(client, method, url):
    response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
    assert is_sent_to_login(response)


@pytest.mark.parametrize(("method", "url"), ALL_WRITES)
def test_form_without_csrf_token_is_refused_even_for_an_admin(client, admin, method, url):
    client.login_as(admin)
    response = client.open(url, method=method, data={"anything": "1"})
    assert response.status_code == 400
    assert client.get("/account").status_code == 200  # and the admin is still signed in


def test_form_with_a_forged_csrf_token_is_refused(client, admin):
    client.login_as(admin)
    response = client.post("/admin/teams", data={"csrf_token": "forged", "name": "Team X"})
    assert response.status_code == 400


def test_get_does_not_sign_out(client, practitioner):
    client.login_as(practitioner)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


# --- headers --------------------------------------------------------------------------------


def csp_directives(response: Any) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    parts = (d.strip().split(None, 1) for d in policy.split(";") if d.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_the_security_headers(client, practitioner, signed_in):
    if signed_in:
        client.login_as(practitioner)
    response = client.get("/account" if signed_in else "/login")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_signed_in_pages_are_not_cached(client, practitioner):
    client.login_as(practitioner)
    assert "no-store" in client.get("/account").headers["Cache-Control"]


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_http_only_and_same_site(client, practitioner):
    response = client.login(practitioner.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("werkzaam_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- error pages ----------------------------------------------------------------------------


def test_unknown_page_gets_our_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Werkzaam" in response.text and "<h1>" in response.text


def test_get_on_a_post_only_route_gets_405(client, practitioner):
    assert client.get("/logout").status_code == 405
    client.login_as(practitioner)
    response = client.get("/logout")
    assert response.status_code == 405 and "Werkzaam" in response.text


def test_server_error_shows_our_page_and_no_traceback(app, client, practitioner):
    @app.get("/__boom")
    def boom() -> str:
        raise RuntimeError("secret detail from deep inside")

    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.login_as(practitioner)

    response = client.get("/__boom")

    assert response.status_code == 500
    assert "Werkzaam" in response.text
    for leak in ("Traceback", "secret detail", "RuntimeError", 'File "'):
        assert leak not in response.text
