"""`flask create-admin` checks its input as the invitation form does, and saves nothing when refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.db import db
from app.mail.models import OutboxEmail
from app.organisations.models import Organisation
from app.teams.models import OrganisationRole


def create_admin(app, organisation: str, email: str, name: str = "Eerste Beheerder"):
    return app.test_cli_runner().invoke(
        args=["create-admin", "--organisation", organisation, "--email", email, "--name", name])


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Organisation, User, OutboxEmail))  # type: ignore[return-value]


def test_a_valid_command_creates_the_organisation_and_invites_its_admin(app):
    result = create_admin(app, "  Jeugdhulp Noord ", "eerste@example.org")
    assert result.exit_code == 0, result.output
    assert "Invitation queued for eerste@example.org: http://localhost/invitation/" in result.output
    with app.app_context():
        org = db.session.scalar(select(Organisation))
        user = db.session.scalar(select(User))
        assert org.name == "Jeugdhulp Noord" and user.organisation_id == org.id
        roles = db.session.scalars(select(OrganisationRole.role).where(OrganisationRole.user_id == user.id))
        assert list(roles) == ["admin"]
    assert counts(app) == (1, 1, 1)


@pytest.mark.parametrize(("organisation", "email", "name", "message"), [
    ("", "eerste@example.org", "Eerste", "--organisation: Fill in a name."),
    ("   ", "eerste@example.org", "Eerste", "--organisation: Fill in a name."),
    ("Jeugdhulp Noord", "geen-adres", "Eerste", "--email: This is not a valid e-mail address."),
    ("Jeugdhulp Noord", "iemand@", "Eerste", "--email: This is not a valid e-mail address."),
    ("Jeugdhulp Noord", "", "Eerste", "--email: Fill in an e-mail address."),
    ("Jeugdhulp Noord", "eerste@example.org", " ", "--name: Fill in a name."),
    ("J" * 121, "eerste@example.org", "Eerste", "--organisation: "),
])
def test_bad_input_exits_non_zero_with_a_clear_message_and_saves_nothing(
    app, organisation, email, name, message
):
    result = create_admin(app, organisation, email, name)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert counts(app) == (0, 0, 0)


def test_an_address_already_in_use_is_refused_and_nothing_is_added(app):
    assert create_admin(app, "Jeugdhulp Noord", "eerste@example.org").exit_code == 0
    again = create_admin(app, "Jeugdhulp Noord", "Eerste@Example.org", "Nog Iemand")
    assert again.exit_code != 0
    assert "--email: Someone in your organisation already uses this e-mail address." in again.output
    assert counts(app) == (1, 1, 1)
