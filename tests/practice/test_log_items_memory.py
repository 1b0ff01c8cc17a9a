"""A list of logs (the home page, /logs) is rendered once per process and kept until one of its logs
changes (practice.views.log_items): what the memory gives is exactly what the template renders
afresh, in the visitor's language and under the app's root URL."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import render_template
from flask_babel import force_locale

from app.clock import local_today
from app.practice import queries
from app.practice.views import log_items
from tests import factories
from tests.practice.helpers import log_form

ITEM = re.compile(r'<li class="log-item">.*?</li>\s*</ul>\s*</li>', re.S)


def test_every_list_from_memory_is_the_one_the_template_renders(app, org, practitioner):
    today = local_today()
    factories.practice_log(practitioner, session_date=today, duration_minutes=None, private=True)
    factories.practice_log(practitioner, session_date=today - timedelta(days=3),
                           ratings={"shared_decision_making": 2, "problem_solving": 5})
    with app.test_request_context("/"):
        def recent(limit: int = queries.RECENT) -> list[queries.LogRow]:
            return queries.recent_logs_and_mark(practitioner.id, org.id, today - timedelta(days=90),
                                                today + timedelta(days=1), limit)[0]

        lists = [recent(), recent(1), []]
        for language in ("nl", "en", "nl"):
            with force_locale(language):
                for rows in lists:
                    kept = [str(log_items(rows)) for _ in range(2)]
                    assert kept[0] == kept[1] == render_template("practice/_log_items.html", logs=rows)
        with force_locale("nl"):
            assert "Alleen voor mij" in str(log_items(lists[0]))


def test_an_edited_log_shows_at_once(client, practitioner):
    log = factories.practice_log(practitioner, duration_minutes=45)
    client.login_as(practitioner)
    assert "45 min" in client.get("/logs").text and "45 min" in client.get("/").text
    data = log_form(duration_minutes="50")
    del data["submission_key"]
    assert client.submit(f"/logs/{log.id}/edit", data).status_code == 302
    for path in ("/logs", "/"):
        items = ITEM.findall(client.get(path).text)
        assert len(items) == 1 and "50 min" in items[0], path


def test_the_list_follows_the_language(client, practitioner, english_ui):
    factories.practice_log(practitioner, setting="school")
    client.login_as(practitioner)
    assert "At school" in ITEM.findall(client.get("/logs").text)[0]
    english_ui("nl")
    assert "Op school" in ITEM.findall(client.get("/logs").text)[0]


def test_the_links_follow_the_root_url(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert f'href="/logs/{log.id}"' in client.get("/logs").text
    page = client.get("/logs", environ_overrides={"SCRIPT_NAME": "/werkzaam"}).text
    assert f'href="/werkzaam/logs/{log.id}"' in page
