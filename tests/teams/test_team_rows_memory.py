"""The rows of the admin's list of teams are rendered once per process and kept by each team's id,
name and number of members, the language and the root URL (teams.views._team_rows): each change
shows at once."""

from __future__ import annotations

import re

from tests import factories
from tests.practice.helpers import english_ui  # noqa: F401 - an autouse fixture, used by name

ROW = re.compile(r'<tr><td data-label="[^"]*"><a href="([^"]+)">([^<]+)</a></td>'
                 r'<td data-label="([^"]*)">(\d+)</td></tr>')


def rows(client, **kwargs) -> list[tuple[str, str, str, str]]:
    page = client.get("/admin/teams", **kwargs)
    assert page.status_code == 200
    return ROW.findall(page.text)


def test_a_renamed_team_and_a_new_member_show_at_once(client, org, team, admin):
    client.login_as(admin)
    assert rows(client) == [(f"/admin/teams/{team.id}", "Team Oost", "Members", "0")]
    assert client.submit(f"/admin/teams/{team.id}", {"name": "Team Noord"}).status_code == 302
    assert [r[1] for r in rows(client)] == ["Team Noord"]
    factories.membership(factories.user(org, "nieuw@example.org"), team)
    assert [r[3] for r in rows(client)] == ["1"]


def test_the_rows_follow_the_language_and_the_root_url(client, team, admin, english_ui):  # noqa: F811
    client.login_as(admin)
    assert rows(client)[0][2] == "Members"
    english_ui("nl")
    assert rows(client)[0][2] == "Leden"
    moved = rows(client, environ_overrides={"SCRIPT_NAME": "/werkzaam"})
    assert moved[0][0] == f"/werkzaam/admin/teams/{team.id}"


def _account_row(client, user, **kwargs) -> str:
    page = client.get("/admin/users", **kwargs)
    assert page.status_code == 200
    row = re.search(rf'<tr>\s*<td data-label="[^"]*"><a href="[^"]*/admin/users/{user.id}">.*?</tr>',
                    page.text, re.S)
    assert row, f"no row for {user.email}"
    return row.group()


def test_each_change_to_an_account_shows_at_once_in_the_list(client, org, admin):
    from app.auth.models import User
    from app.teams.models import OrganisationRole

    someone = factories.user(org, "iemand@example.org", name="Iemand Anders")
    client.login_as(admin)
    row = _account_row(client, someone)
    assert "Iemand Anders" in row and "iemand@example.org" in row and "Active" in row
    changes = (
        (lambda s, u: setattr(u, "display_name", "Iemand Nieuw"), "Iemand Nieuw"),
        (lambda s, u: setattr(u, "email", "nieuw@example.org"), "nieuw@example.org"),
        (lambda s, u: s.add(OrganisationRole(user_id=u.id, role="privacy_officer")), "Privacy officer"),
        (lambda s, u: setattr(u, "password_hash", None), "Invited"),
        (lambda s, u: setattr(u, "active", False), "Deactivated"),
    )
    for change, shown in changes:
        with factories.committed() as s:
            change(s, s.get(User, someone.id))
        assert shown in _account_row(client, someone), shown


def test_the_account_rows_follow_the_language_and_the_root_url(client, org, admin, english_ui):  # noqa: F811
    client.login_as(admin)
    assert '<td data-label="Status">Active</td>' in _account_row(client, admin)
    english_ui("nl")
    assert '<td data-label="Toegang">Actief</td>' in _account_row(client, admin)
    moved = _account_row(client, admin, environ_overrides={"SCRIPT_NAME": "/werkzaam"})
    assert f'href="/werkzaam/admin/users/{admin.id}"' in moved
