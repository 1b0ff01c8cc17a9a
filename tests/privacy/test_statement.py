"""The privacy statement: public, in plain Dutch (and English), linked from every page's footer."""

from __future__ import annotations

from tests import factories

FOOTER_LINK = 'href="/privacy"'


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1]


def test_it_opens_without_signing_in_in_dutch_and_english(client, english_ui):
    english_ui("nl")
    page = client.get("/privacy")
    assert page.status_code == 200
    text = page.text
    assert "Privacyverklaring" in text
    for words in ("Geen gegevens van cliënten", "24 maanden", "3 maanden nadat je vertrekt", "5 jaar",
                  "functionaris gegevensbescherming (FG)", "Autoriteit Persoonsgegevens",
                  "Een teamleider ziet alleen totalen"):
        assert words in text
    english_ui("en")
    english = client.get("/privacy")
    assert "Privacy statement" in english.text and "24 months" in english.text


def test_the_login_page_links_to_it_in_the_footer(client):
    assert FOOTER_LINK in footer(client.get("/login").text)


def test_a_signed_in_page_links_to_it_in_the_footer(client, practitioner):
    client.login_as(practitioner)
    assert FOOTER_LINK in footer(client.get("/logs").text)


def test_signed_in_it_names_the_organisations_privacy_officer(client, practitioner, privacy_officer,
                                                               other_org):
    factories.user(other_org, "fg@other.example.org", name="Andere FG", org_roles=["privacy_officer"])
    assert "privacy@example.org" not in client.get("/privacy").text  # not to visitors
    client.login_as(practitioner)
    page = client.get("/privacy")
    assert "privacy@example.org" in page.text and "fg@other.example.org" not in page.text
    assert 'href="/privacy/my-data"' in page.text
