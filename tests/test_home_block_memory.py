"""One's own practice on the home page (recent logs, the last four weeks, the client-voice figures)
is rendered once per process and kept by what it follows from (main.views._practice_block): what the
memory gives is what the template renders afresh, and every change shows at once. (Changes to the
figures: tests/test_home_figures.py, which read the block from memory too.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import template_rendered
from sqlalchemy import update

from app.clock import local_today
from app.teams.models import Membership
from tests import factories
from tests.clientvoice.helpers import rating
from tests.practice.helpers import english_ui  # noqa: F401 - an autouse fixture, used by name

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="[^"]*"')
BLOCK = re.compile(r'<a class="button big".*?id="client-home-title".*?</section>', re.S)


def block(client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    found = BLOCK.search(page.text)
    assert found, "no practice block on the home page"
    return CSRF.sub("", found.group())


@contextmanager
def rendered(app) -> Iterator[list[str]]:
    names: list[str] = []

    def record(_sender, template, context, **_extra) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def test_the_block_from_memory_is_the_one_the_template_renders(app, client, practitioner, english_ui):  # noqa: F811
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 4, "problem_solving": 2})
    rating(log, (3, 3, 3), shared=True)
    client.login_as(practitioner)
    shown = {}
    for language in ("nl", "en"):
        english_ui(language)
        made, kept = block(client), block(client)
        app.jinja_env.auto_reload = True  # rendered afresh on every request
        try:
            afresh = block(client)
        finally:
            app.jinja_env.auto_reload = False
        assert made == kept == afresh
        shown[language] = made
    assert "75 / 100" in shown["en"] and "75 van 100" in shown["nl"]


def test_the_block_is_rendered_once_until_something_in_it_changes(app, client, practitioner):
    factories.practice_log(practitioner)
    client.login_as(practitioner)
    client.get("/")
    with rendered(app) as names:
        client.get("/")
    assert "main/index.html" in names and "main/_practice.html" not in names
    factories.practice_log(practitioner, ratings={"shared_decision_making": 2})
    with rendered(app) as names:
        assert "2 sessions" in block(client)
    assert "main/_practice.html" in names


def test_an_old_log_among_the_recent_ones_shows_a_change_at_once(client, practitioner):
    """Someone who has not logged for months sees their last logs, from before the figures' days."""
    old = factories.practice_log(practitioner, session_date=local_today() - timedelta(days=400))
    client.login_as(practitioner)
    assert "Only for me" not in block(client)
    assert client.submit(f"/logs/{old.id}/private", {"private": "1"}).status_code == 302
    assert "Only for me" in block(client)


def test_a_practitioner_without_logs_sees_the_block(client, practitioner):
    client.login_as(practitioner)
    assert "No logs yet." in block(client)


def test_someone_who_logged_sees_the_block_after_their_team(client, practitioner):
    """No longer a practitioner of a team (a coach now, say), yet their logs are theirs to see."""
    factories.practice_log(practitioner)
    with factories.committed() as s:
        s.execute(update(Membership).where(Membership.user_id == practitioner.id)
                  .values(ended_on=local_today()))
    client.login_as(practitioner)
    assert 'class="log-item"' in block(client)


def test_the_home_page_of_someone_without_practice_reads_no_logs(app, client, org):
    """A lead or an admin who does not practise: their home page reads no more than the user."""
    from tests.test_statement_counts import statements_of

    client.login_as(factories.user(org, "office@example.org"))
    statements = statements_of(app, client, "/")
    assert len(statements) == len(statements_of(app, client, "/account")), statements
    assert 'id="recent-title"' not in client.get("/").text
