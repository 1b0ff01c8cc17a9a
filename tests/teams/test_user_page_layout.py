"""The admin's account page: destructive action last and confirmed, no heading twice, and after an
action the admin lands where they acted, with the message beside it (also in the catalogue)."""

from __future__ import annotations

import re

from tests import factories


def _flash_section(page: str) -> str | None:
    """The id of the section (or list item) whose own message box holds the flashed message."""
    match = re.search(r'<(?:section|li) [^>]*id="([\w-]+)"[^>]*>(?:(?!</?(?:section|li)[ >]).)*?flashes-here',
                      page, re.S)
    return match.group(1) if match else None


def test_deactivating_is_the_last_action_on_the_page_and_asks_first(client, admin, practitioner):
    client.login_as(admin)
    page = client.get(f"/admin/users/{practitioner.id}").text
    main = page[page.index('<main'):]
    deactivate = main.index("Account uitzetten")
    for section in ('id="teams"', 'id="roles"', 'id="coaching"'):
        assert main.index(section) < deactivate
    form = main[main.rindex("<form", 0, deactivate):deactivate]
    assert 'data-confirm="' in form
    assert "button danger" not in main  # no solid red button on the page


def test_no_heading_or_label_appears_twice(client, admin, practitioner):
    client.login_as(admin)
    page = client.get(f"/admin/users/{practitioner.id}").text
    titles = [re.sub(r"<[^>]+>|\s+", " ", t).strip()
              for t in re.findall(r"<(?:h1|h2|legend|label)[^>]*>(.*?)</(?:h1|h2|legend|label)>", page, re.S)]
    repeated = {t for t in titles if titles.count(t) > 1 and t not in ("Beëindigen",)}
    assert repeated == set()


def test_after_saving_roles_the_admin_is_back_at_the_roles_with_the_message(client, admin, practitioner):
    client.login_as(admin)
    response = client.submit(f"/admin/users/{practitioner.id}/roles", {"roles": ["privacy_officer"]})
    assert response.status_code == 302 and response.location.endswith("?at=roles#roles")
    page = client.get(response.location).text
    assert _flash_section(page) == "roles" and "De rollen zijn opgeslagen." in page
    assert '<div class="flashes" role="status">' not in page  # not (also) at the top, off-screen


def test_after_retiring_a_technique_the_message_is_beside_it(client, admin, org):
    technique = factories.technique(org, "sdm_options_discussed")
    client.login_as(admin)
    response = client.submit(f"/admin/catalogue/techniques/{technique.id}/retire")
    place = f"technique-{technique.id}"
    assert response.status_code == 302 and response.location.endswith(f"?at={place}#{place}")
    page = client.get(response.location).text
    assert _flash_section(page) == place
    assert "De techniek wordt niet meer aangeboden." in page
