"""Static files: versioned URLs cached for a year; the favicon; the language switch in the footer."""

from __future__ import annotations

import os
import re

from app.assets import YEAR, static_version


def _stylesheet(page: str) -> str:
    match = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page)
    assert match, "the stylesheet is not linked under a versioned URL"
    return match.group(1)


def test_pages_link_static_files_under_versioned_urls_cached_for_a_year(client):
    response = client.get(_stylesheet(client.get("/login").text))
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.max_age == YEAR and cache.public and cache.immutable and not cache.no_cache


def test_an_unversioned_or_outdated_static_url_is_checked_again(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age is None and response.cache_control.no_cache


def test_a_signed_in_page_links_versioned_files_too(client, practitioner):
    client.login_as(practitioner)
    page = client.get("/").text
    response = client.get(_stylesheet(page))
    assert response.cache_control.max_age == YEAR
    assert re.search(r'src="/static/js/app\.js\?v=[0-9a-f]+"', page)


def test_the_favicon_answers_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data.startswith(b"\x00\x00\x01\x00")
    assert 'rel="icon"' in client.get("/login").text


def test_a_signed_in_user_switches_language_from_the_footer(client, practitioner):
    client.login_as(practitioner)
    home = client.get("/").text
    footer = home[home.index('<footer'):]
    assert 'name="language" value="en"' in footer
    client.submit("/language", {"language": "en", "next": "/logs"})
    assert "My logs" in client.get("/logs").text
    assert 'name="language" value="nl"' in client.get("/").text


def test_the_message_after_changing_language_is_in_the_new_language(client, practitioner):
    client.login_as(practitioner)
    response = client.submit("/account", {"action": "preferences", "prefs-display_name": "Sanne",
                                          "prefs-language": "en"}, follow_redirects=True)
    assert "Your settings are saved." in response.text
    assert "Je instellingen zijn opgeslagen" not in response.text


def test_a_file_outside_the_static_folder_has_no_version(app):
    assert static_version(app, "css/app.css")
    assert static_version(app, "../__init__.py") == ""
    assert static_version(app, "css/../../__init__.py") == ""


def test_where_templates_reload_an_edited_static_file_gets_a_new_version_at_once(app, tmp_path):
    app.static_folder = str(tmp_path)
    app.jinja_env.auto_reload = True
    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black; }")
    before = static_version(app, "site.css")
    sheet.write_text("body { color: navy; }")
    os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 1_000_000_000))
    after = static_version(app, "site.css")
    assert before and after and before != after
