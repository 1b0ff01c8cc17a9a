"""In production the session cookie carries the __Host- prefix: Secure, Path=/, no Domain."""

from __future__ import annotations

import re

import pytest

from app import create_app
from config import ProductionConfig


@pytest.fixture
def production_client(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "production-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", database_url)
    settings = ProductionConfig()
    settings.DATABASE_URL = database_url
    settings.SECRET_KEY = "production-secret-for-this-test"
    settings.MAIL_DIR = str(tmp_path / "mail")
    app = create_app(settings)
    yield app.test_client()
    app.extensions["db"]["engine"].dispose()


def cookie_header(response, name: str) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


def assert_host_prefixed(header: str) -> None:
    attributes = [part.strip().split("=")[0].lower() for part in header.split(";")[1:]]
    assert "secure" in attributes and "httponly" in attributes
    assert "Path=/;" in header + ";" and "domain" not in attributes


def test_the_production_settings_name_every_cookie_with_the_host_prefix(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db/werkzaam")
    settings = ProductionConfig()
    for kind in ("SESSION", "REMEMBER"):
        assert getattr(settings, f"{kind}_COOKIE_NAME").startswith("__Host-")
        assert getattr(settings, f"{kind}_COOKIE_SECURE") is True
        assert getattr(settings, f"{kind}_COOKIE_PATH") == "/"
        assert getattr(settings, f"{kind}_COOKIE_DOMAIN") is None


def test_the_session_cookie_is_host_prefixed_before_and_after_sign_in(production_client, practitioner):
    https = {"base_url": "https://werkzaam.example.org"}
    page = production_client.get("/login", **https)
    assert page.status_code == 200
    assert_host_prefixed(cookie_header(page, "__Host-session"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    signed_in = production_client.post("/login", data={
        "csrf_token": token.group(1), "email": practitioner.email, "password": "correct horse battery staple",
    }, headers={"Referer": "https://werkzaam.example.org/login"}, **https)
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert_host_prefixed(cookie_header(signed_in, "__Host-session"))
    assert not any(h.startswith("werkzaam_session=") for h in signed_in.headers.getlist("Set-Cookie"))
