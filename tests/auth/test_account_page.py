"""The account page keeps its two forms as made while they show no errors (auth.views.account):
each page still shows the person's own name and language, in that language, with its own token."""

from __future__ import annotations

import re

from app.remembered import CSRF_SLOT
from tests import factories


def _value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def test_the_account_page_follows_name_and_language_at_once(app, org, team, practitioner):
    client = app.test_client()
    client.login_as(practitioner)
    page = client.get("/account").text
    token = _value(page, "prefs-csrf_token")
    assert token != CSRF_SLOT and _value(page, "prefs-display_name") == practitioner.display_name
    renamed = client.post("/account", data={"action": "preferences", "prefs-csrf_token": token,
                                            "prefs-display_name": "Sanne de Vries", "prefs-language": "nl"})
    assert renamed.status_code == 302  # the token the remembered form showed is this session's
    page = client.get("/account").text
    assert _value(page, "prefs-display_name") == "Sanne de Vries" and "Wachtwoord wijzigen" in page
    client.submit("/account", {"action": "preferences", "prefs-display_name": "Sanne de Vries",
                               "prefs-language": "en"})
    page = client.get("/account").text
    assert "Change password" in page and '<option selected value="en">' in page


def test_two_people_of_the_same_name_each_see_their_own_address(app, org, team):
    for email in ("sanne@example.org", "sanne.devries@example.org"):
        person = factories.user(org, email, team=team, name="Sanne")
        browser = app.test_client()
        browser.login_as(person)
        assert f"<strong>{email}</strong>" in browser.get("/account").text
