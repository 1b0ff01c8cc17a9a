"""A log's own content on its page (context, elements, techniques, note) is rendered once per
process and kept by the log's last change and the catalogue's revision
(practice.views.log_details): what the memory gives is what the template renders afresh, and each
change shows at once. (A technique retired after the first view: tests/practice/test_pages.py.)"""

from __future__ import annotations

import re

from tests import factories
from tests.practice.helpers import log_form
from tests.test_statement_counts import statements_of

# From the log's context to its note: up to the coaching or client-voice block after it.
DETAILS = re.compile(
    r'<dl class="details">.*?(?=<section class="card[^"]*" aria-labelledby="(?:feedback|client))', re.S)


def details(client, log) -> str:
    page = client.get(f"/logs/{log.id}")
    assert page.status_code == 200
    found = DETAILS.search(page.text)
    assert found, "no details on the log page"
    return found.group()


def test_the_details_from_memory_are_the_ones_the_template_renders(app, client, practitioner, english_ui):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 2},
                                 techniques=("sdm_goals_asked", "ps_homework"), note="Leerpunt.")
    client.login_as(practitioner)
    for language in ("nl", "en"):
        english_ui(language)
        made, kept = details(client, log), details(client, log)
        app.jinja_env.auto_reload = True  # rendered afresh on every request
        try:
            afresh = details(client, log)
        finally:
            app.jinja_env.auto_reload = False
        assert made == kept == afresh and "Leerpunt." in made
    assert "Samenwerken en samen beslissen" not in made and "Collaboration and shared" in made


def test_an_edited_log_shows_at_once(client, practitioner):
    log = factories.practice_log(practitioner, note="Oud.", now=factories.utcnow())
    client.login_as(practitioner)
    assert "Oud." in details(client, log)
    data = log_form(note="Nieuw.", rating_shared_decision_making="2")
    del data["submission_key"]
    assert client.submit(f"/logs/{log.id}/edit", data).status_code == 302
    shown = details(client, log)
    assert "Nieuw." in shown and "Oud." not in shown


def test_keeping_a_log_to_oneself_shows_at_once(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert "Only for me" not in client.get(f"/logs/{log.id}").text
    assert client.submit(f"/logs/{log.id}/private", {"private": "1"}).status_code == 302
    assert "Only for me" in client.get(f"/logs/{log.id}").text
    assert client.submit(f"/logs/{log.id}/private", {"private": "0"}).status_code == 302
    assert "Only for me" not in client.get(f"/logs/{log.id}").text


def test_a_log_seen_again_reads_none_of_its_child_rows(app, client, practitioner):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 2},
                                 techniques=("sdm_goals_asked", "ps_homework"))
    client.login_as(practitioner)
    statements = statements_of(app, client, f"/logs/{log.id}")  # the second of two visits
    children = [s for s in statements if re.search(r"practice_log_(elements|techniques|participants)", s)]
    assert not children, children
