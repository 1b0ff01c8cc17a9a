"""The log list's filter is made once per language, catalogue and values asked for, and reused
(practice/views.py): each visit still shows its own values, and a filter with errors is made anew."""

from __future__ import annotations

import re


def _box(page: str) -> str:
    return page[page.index('<details class="filter-box"'):page.index("</details>")]


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_a_remembered_filter_is_the_filter_made_afresh(app, client, practitioner, english_ui):
    client.login_as(practitioner)
    asks = ("/logs", "/logs?element=emotion_regulation", "/logs?start=2026-01-05&end=2026-03-01")
    for language in ("en", "nl"):
        english_ui(language)
        for ask in asks:
            first, again = _box(client.get(ask).text), _box(client.get(ask).text)
            app.jinja_env.auto_reload = True  # made every time, as where templates reload
            fresh = _box(client.get(ask).text)
            app.jinja_env.auto_reload = False
            assert _normalised(first) == _normalised(again) == _normalised(fresh), (language, ask)
    english_ui("en")
    chosen = _box(client.get("/logs?element=emotion_regulation").text)
    assert re.search(r'<option selected value="emotion_regulation">', chosen)
    assert "<details class=\"filter-box\" open>" in chosen
    plain = _box(client.get("/logs").text)
    assert "selected" not in plain.replace('<option selected value="">', "") and " open>" not in plain
    dated = _box(client.get("/logs?start=2026-01-05").text)
    assert 'value="2026-01-05"' in dated


def test_a_filter_with_errors_shows_what_was_typed_and_why(client, practitioner):
    client.login_as(practitioner)
    assert client.get("/logs?start=2026-01-05").status_code == 200
    wrong = client.get("/logs?start=yesterday")
    assert wrong.status_code == 400
    box = _box(wrong.text)
    assert 'value="yesterday"' in box and 'class="error"' in box
    again = client.get("/logs?start=2026-01-05")
    assert 'class="error"' not in _box(again.text) and 'value="2026-01-05"' in _box(again.text)
