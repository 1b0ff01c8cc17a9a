"""Fixtures for the reflection tests: a fixed clock, a small team, and the SMTP test server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import ColumnElement

from app.auth.models import User
from app.db import Base, db
from app.organisations.models import Organisation
from app.teams.models import Team
from tests import factories

# Friday 20 March 2026, 14:30 in Amsterdam (CET, UTC+1): a Friday-14:00 schedule is just due.
NOW = datetime(2026, 3, 20, 13, 30, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def colleagues(org: Organisation, team: Team, practitioner: User) -> list[User]:
    """The team's three practitioners (the `practitioner` fixture first)."""
    return [
        practitioner,
        factories.user(org, "p2@example.org", team=team, language="en"),
        factories.user(org, "p3@example.org", team=team),
    ]


@pytest.fixture
def elements(app: Flask, org: Organisation) -> dict[str, int]:
    """Core element ids by key."""
    return factories.element_ids()


def count(app: Flask, model: type[Base], *where: ColumnElement[bool]) -> int:
    from sqlalchemy import func, select

    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
