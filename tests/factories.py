"""Plain functions that create domain objects for tests, each committed in its own context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, has_app_context

from app.auth.models import User, normalise_email
from app.auth.passwords import hash_password
from app.db import db, utcnow
from app.teams.models import CoachAssignment, Membership, Organisation, OrganisationRole, Team

PASSWORD = "correct horse battery staple"
_app: Flask | None = None
_hash_cache: dict[tuple[str, int, int], str] = {}


def use_app(app: Flask) -> None:
    global _app
    _app = app


@contextmanager
def committed() -> Iterator[Any]:
    """The current app context's session, or a new context's; commits at the end."""
    if has_app_context():
        yield db.session
        db.session.commit()
        return
    assert _app is not None, "the app fixture must run first"
    with _app.app_context():
        yield db.session
        db.session.commit()


def _hash(password: str) -> str:
    cfg = current_app.config
    key = (password, cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"])
    if key not in _hash_cache:
        _hash_cache[key] = hash_password(password)
    return _hash_cache[key]


def organisation(name: str = "Jeugdteam Test", min_group_size: int = 5) -> Organisation:
    with committed() as s:
        org = Organisation(name=name, min_group_size=min_group_size)
        s.add(org)
    return org


def team(org: Organisation, name: str = "Team Oost") -> Team:
    with committed() as s:
        t = Team(organisation_id=org.id, name=name)
        s.add(t)
    return t


def user(
    org: Organisation,
    email: str,
    *,
    name: str | None = None,
    password: str | None = PASSWORD,
    team: Team | None = None,
    team_role: str = "practitioner",
    org_roles: Sequence[str] = (),
    language: str = "nl",
    active: bool = True,
    started_on: date | None = None,
) -> User:
    with committed() as s:
        u = User(
            organisation_id=org.id, email=email, email_normalized=normalise_email(email),
            display_name=name or email.split("@")[0].title(), language=language,
            password_hash=_hash(password) if password else None, active=active,
        )
        s.add(u)
        s.flush()
        for role in org_roles:
            s.add(OrganisationRole(user_id=u.id, role=role))
        if team is not None:
            s.add(Membership(user_id=u.id, team_id=team.id, role=team_role,
                             started_on=started_on or date(2024, 1, 1)))
    return u


def membership(u: User, t: Team, role: str = "practitioner", started_on: date | None = None) -> Membership:
    with committed() as s:
        m = Membership(user_id=u.id, team_id=t.id, role=role, started_on=started_on or date(2024, 1, 1))
        s.add(m)
    return m


def coach_assignment(coach: User, coachee: User, started_at: datetime | None = None) -> CoachAssignment:
    with committed() as s:
        a = CoachAssignment(organisation_id=coachee.organisation_id, coach_id=coach.id,
                            coachee_id=coachee.id, started_at=started_at or utcnow())
        s.add(a)
    return a
