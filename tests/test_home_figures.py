"""The home page's figures of one's own practice are kept per process, and show every change at once.

The four-week overview and the client-voice block are made once and kept by a mark of one's logs of
the last 91 days and of the answers on one's logs (app/main/queries.py). Each test changes one thing
the mark must notice, after the figures were kept, and expects the next home page to show it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from app.clock import local_today
from tests import factories
from tests.clientvoice.helpers import rating
from tests.practice.helpers import english_ui, log_form  # noqa: F401 - english_ui: an autouse fixture

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def _section(client, marker: str) -> str:
    html = client.get("/").text
    start = html.index(marker)
    return CSRF.sub("", html[start:html.index("</section>", start)])


def overview(client) -> str:
    return _section(client, 'id="overview-title"')


def voice(client) -> str:
    return _section(client, 'id="client-home-title"')


def unshared(client) -> str:
    return voice(client).split("Answers not shared with you")[1]


def test_a_new_log_shows_at_once(client, practitioner):
    factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert "1 session ·" in overview(client)
    factories.practice_log(practitioner, ratings={"shared_decision_making": 2})
    assert "2 sessions · average self-rating 3.0 / 5" in overview(client)


def test_an_edited_log_shows_at_once(client, practitioner):
    log = factories.practice_log(practitioner, now=factories.utcnow() - timedelta(hours=1))
    client.login_as(practitioner)
    assert "average self-rating 4.0 / 5" in overview(client)
    data = log_form(rating_shared_decision_making="2")
    del data["submission_key"]
    assert client.submit(f"/logs/{log.id}/edit", data).status_code == 302
    assert "average self-rating 2.0 / 5" in overview(client)


def test_a_deleted_log_shows_at_once_also_when_it_was_not_the_last_changed(client, practitioner):
    first = factories.practice_log(practitioner, now=factories.utcnow() - timedelta(hours=2))
    factories.practice_log(practitioner, now=factories.utcnow() - timedelta(hours=1))
    client.login_as(practitioner)
    assert "2 sessions" in overview(client)
    assert client.submit(f"/logs/{first.id}/delete").status_code == 302
    assert "1 session ·" in overview(client)


def test_a_new_answer_shows_at_once(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    assert "No answers shared with you yet." in voice(client)
    rating(log, (3, 3, 3), shared=True)
    assert "75 / 100" in voice(client)


def test_answers_on_an_old_log_show_at_once(client, practitioner):
    """Unshared answers count over all sessions: also on a log far outside the 91 days."""
    old = factories.practice_log(practitioner, session_date=local_today() - timedelta(days=400))
    client.login_as(practitioner)
    assert "Shown once there are 3 of them." in unshared(client)
    for items in ((0, 0, 0), (2, 2, 2), (4, 4, 4)):
        rating(old, items, shared=False)
    assert "50 / 100" in unshared(client)


def test_fewer_answers_show_at_once_when_the_latest_stays(client, practitioner):
    """An old log deleted with its one answer: one answer fewer, the latest answer the same."""
    today = local_today()
    gone = factories.practice_log(practitioner, session_date=today - timedelta(days=300))
    kept = factories.practice_log(practitioner, session_date=today - timedelta(days=200))
    rating(gone, (0, 0, 0), shared=False)  # 0
    for items in ((4, 4, 4), (4, 4, 4), (4, 4, 4)):  # 100 each
        rating(kept, items, shared=False)
    client.login_as(practitioner)
    assert "67 / 100" in unshared(client)  # the first three: 0, 100, 100
    assert client.submit(f"/logs/{gone.id}/delete").status_code == 302
    assert "100 / 100" in unshared(client)


def test_other_answers_show_at_once_when_their_number_stays(client, practitioner):
    """An old log deleted with its three answers while three others arrive: as many answers as
    before, but not the same ones."""
    today = local_today()
    gone = factories.practice_log(practitioner, session_date=today - timedelta(days=300))
    kept = factories.practice_log(practitioner, session_date=today - timedelta(days=200))
    for _ in range(3):
        rating(gone, (0, 0, 0), shared=False)
    client.login_as(practitioner)
    assert "0 / 100" in unshared(client)
    assert client.submit(f"/logs/{gone.id}/delete").status_code == 302
    for _ in range(3):
        rating(kept, (4, 4, 4), shared=False)
    assert "100 / 100" in unshared(client)


def test_the_next_day_moves_the_four_weeks(client, practitioner, monkeypatch):
    factories.practice_log(practitioner, session_date=local_today() - timedelta(days=27))
    client.login_as(practitioner)
    assert "1 session ·" in overview(client)
    tomorrow = local_today() + timedelta(days=1)
    monkeypatch.setattr("app.main.views.local_today", lambda: tomorrow)
    assert "0 sessions" in overview(client).split("</li>")[0]  # shared decision-making comes first


def test_unchanged_figures_are_not_counted_again(app, client, practitioner):
    from tests.test_statement_counts import statements_of

    factories.practice_log(practitioner)
    client.login_as(practitioner)
    statements = statements_of(app, client, "/")  # the second of two visits
    assert not [s for s in statements if "avg(" in s], "the figures were counted again"


def test_the_recent_logs_and_the_mark_come_in_one_statement(app, client, practitioner):
    """Unchanged figures cost the home page one statement for its logs: the latest five, and the
    mark that says the kept figures still hold, together."""
    from tests.test_statement_counts import statements_of

    for days in range(7):
        factories.practice_log(practitioner, session_date=local_today() - timedelta(days=days))
    client.login_as(practitioner)
    statements = statements_of(app, client, "/")
    on_logs = [s for s in statements if ("FROM practice_logs" in s or "FROM client_ratings" in s)
               and not s.startswith("SELECT users.")]  # the user's statement asks whether they logged
    assert len(on_logs) == 1, on_logs
    assert client.get("/").text.count('class="log-item"') == 5
