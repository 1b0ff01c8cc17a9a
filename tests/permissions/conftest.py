"""Fixtures of the permission tests: the world of table.py, per test or once per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Table, select

from app import create_app
from app.db import Base
from config import TestingConfig
from tests import factories
from tests.conftest import Client, _empty_all_tables
from tests.permissions.world import World, build_world

# The world's rows per database, taken right after it was first built (see `world`).
_BUILT: dict[str, tuple[World, list[tuple[Table, list[dict[str, Any]]]]]] = {}


def _rows(app: Flask) -> list[tuple[Table, list[dict[str, Any]]]]:
    with app.extensions["db"]["engine"].connect() as conn:
        return [(t, [dict(r._mapping) for r in conn.execute(select(t))]) for t in Base.metadata.sorted_tables]


def _write_back(app: Flask, rows: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    with app.extensions["db"]["engine"].begin() as conn:
        for table, data in rows:
            if data:
                conn.execute(table.insert(), data)


def _world(app: Flask, database_url: str) -> World:
    """The world, built by the factories once per database, then written back row for row.

    The same rows with the same ids, in a tenth of the time: every test starts from an empty
    database (the `app` fixture empties it after each test), and new rows get new ids.
    """
    if database_url not in _BUILT:
        built = build_world()
        _BUILT[database_url] = (built, _rows(app))
        return built
    built, rows = _BUILT[database_url]
    _write_back(app, rows)
    return built


@pytest.fixture
def world(app: Flask, database_url: str) -> World:
    """A fresh world for a test that changes it (the `app` fixture empties the tables after)."""
    return _world(app, database_url)


@pytest.fixture(scope="module")
def module_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app for a module of tests that only read: its tables are emptied when the module ends."""
    tmp: Path = tmp_path_factory.mktemp("permissions")
    settings = TestingConfig()
    settings.DATABASE_URL = database_url
    settings.MAIL_DIR = str(tmp / "mail")
    settings.SCHEDULER_LOCK_FILE = str(tmp / "scheduler.lock")
    flask_app = create_app(settings)
    flask_app.test_client_class = Client
    factories.use_app(flask_app)
    yield flask_app
    _empty_all_tables(flask_app)
    flask_app.extensions["db"]["engine"].dispose()


@pytest.fixture(scope="module")
def module_world(module_app: Flask, database_url: str) -> World:
    """One world for every test of a module that does not change it."""
    return _world(module_app, database_url)
