"""The family decides: an answer kept private ("nee") never shows on its own (not on the log, not in
an export, not in the personal figures before there are three), and a log with one looks exactly
like a log without an answer. A shared answer shows on the log to the author and their coach.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.db import db
from app.privacy.models import AccessLog
from tests import factories
from tests.clientvoice.helpers import rating

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def _section(html: str, marker: str) -> str:
    """The client-voice block of a page, without its (random) CSRF tokens."""
    start = html.index(marker)
    return CSRF.sub("", html[start:html.index("</section>", start)])


def _log_block(client, log) -> str:
    page = client.get(f"/logs/{log.id}")
    assert page.status_code == 200
    return _section(page.text, 'id="client-voice-title"')


def _home_block(client) -> str:
    return _section(client.get("/").text, 'id="client-home-title"')


def test_a_log_with_an_unshared_answer_looks_like_a_log_without_one(app, client, practitioner, coach):
    unanswered = factories.practice_log(practitioner)
    kept = factories.practice_log(practitioner)
    rating(kept, (0, 1, 0), shared=False)
    for reader in (practitioner, coach):
        viewer = app.test_client()
        viewer.login_as(reader)
        blocks = [_log_block(viewer, log).replace(f"/logs/{log.id}/", "/logs/ID/")
                  for log in (unanswered, kept)]
        assert blocks[0] == blocks[1]
        assert "No answer has been shared yet." in blocks[0] and "/ 100" not in blocks[0]


def test_a_shared_answer_shows_to_the_author_and_the_coach_beside_the_self_rating(app, practitioner, coach):
    log = factories.practice_log(practitioner, ratings={"shared_decision_making": 2})
    rating(log, (4, 4, 4), shared=True, respondent="parent")
    rating(log, (1, 1, 1), shared=False)
    for reader in (practitioner, coach):
        viewer = app.test_client()
        viewer.login_as(reader)
        block = _log_block(viewer, log)
        assert "Filled in by a parent or carer" in block and "100 / 100" in block and "top score" in block
        assert "2 · a little" in block
        assert block.count("/ 100") == 1  # the unshared one is not there
    with app.app_context():
        reads = db.session.scalars(select(AccessLog.object_id).where(  # reads, not signing in and out
            AccessLog.actor_id == coach.id, AccessLog.actor_role != "self")).all()
    assert reads == [log.id]  # the coach's read of the log (with its answer) is in the access log


def test_a_coach_sees_no_answer_on_a_log_kept_private_and_others_not_at_all(
    app, org, team, practitioner, coach, lead, admin,
):
    log = factories.practice_log(practitioner, private=True)
    rating(log, (4, 4, 4), shared=True)
    for reader in (coach, lead, admin, factories.user(org, "colleague@example.org", team=team)):
        viewer = app.test_client()
        viewer.login_as(reader)
        assert viewer.get(f"/logs/{log.id}").status_code == 404
        assert "100 / 100" not in viewer.get("/").text


def test_only_the_author_can_ask_for_feedback_on_a_log(app, practitioner, coach):
    log = factories.practice_log(practitioner)
    viewer = app.test_client()
    viewer.login_as(coach)
    block = _log_block(viewer, log)
    assert "Ask the young person or parent for feedback" not in block and "feedback/link" not in block


def test_unshared_answers_show_at_home_only_from_three_and_never_mixed_with_shared(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    nothing = _home_block(client)
    assert "Shown once there are 3 of them." in nothing
    rating(log, (0, 0, 0), shared=False)
    rating(log, (1, 1, 1), shared=False)
    assert _home_block(client) == nothing  # two unshared answers cannot be told from none
    rating(log, (2, 2, 2), shared=False)  # (0 + 25 + 50) / 3 = 25
    three = _home_block(client)
    assert "25 / 100" in three and "3 answers" in three and "Shown once" not in three
    rating(log, (4, 4, 4), shared=False)
    assert _home_block(client) == three  # a fourth one waits for two more
    rating(log, (4, 4, 4), shared=True)
    both = _home_block(client)
    shared_part, unshared_part = both.split("Answers not shared with you")
    assert "100 / 100" in shared_part and "1 answer" in shared_part
    assert "25 / 100" in unshared_part and "3 answers" in unshared_part
    # Mixed, they would read (0 + 25 + 50 + 100) / 4 = 44, or with the fourth unshared one 55.
    assert "44 / 100" not in both and "55 / 100" not in both


def test_the_home_page_shows_the_self_rating_beside_the_client_rating(client, practitioner):
    rated = factories.practice_log(practitioner, ratings={"shared_decision_making": 5})
    factories.practice_log(practitioner, ratings={"shared_decision_making": 2})
    rating(rated, (3, 3, 3), shared=True)  # 75
    client.login_as(practitioner)
    block = _home_block(client)
    assert "3.5 / 5" in block and "average of 2 sessions" in block  # (5 + 2) / 2
    assert "75 / 100" in block and "your self-rating of those sessions: 5.0 / 5" in block


def test_home_figures_follow_the_last_three_months_and_unshared_answers_all_sessions(client, practitioner):
    """Self-rating and shared answers: sessions of the last 91 days. Unshared answers: all sessions,
    so a moving window never lets one answer drop out of or into the figure on its own."""
    today = local_today()
    old = factories.practice_log(practitioner, session_date=today - timedelta(days=91),
                                 ratings={"shared_decision_making": 1})
    edge = factories.practice_log(practitioner, session_date=today - timedelta(days=90),
                                  ratings={"shared_decision_making": 4})
    rating(old, (0, 0, 0), shared=True)  # 0, outside the window
    rating(edge, (3, 3, 3), shared=True)  # 75, inside
    for items in ((0, 0, 0), (2, 2, 2), (4, 4, 4)):  # unshared: 0, 50, 100 on the old session
        rating(old, items, shared=False)
    client.login_as(practitioner)
    block = _home_block(client)
    shared_part, unshared_part = block.split("Answers not shared with you")
    assert "4.0 / 5" in shared_part and "average of 1 session" in shared_part
    assert "75 / 100" in shared_part and "1 answer" in shared_part
    assert "your self-rating of those sessions: 4.0 / 5" in shared_part
    assert "50 / 100" in unshared_part and "3 answers" in unshared_part


def test_exports_hold_shared_answers_and_never_an_unshared_one(app, client, practitioner):
    log = factories.practice_log(practitioner)
    rating(log, (3, 4, 2), shared=True, respondent="parent")
    for items in ((0, 1, 0), (1, 0, 1)):
        rating(log, items, shared=False)
    client.login_as(practitioner)
    data = json.loads(client.get("/feedback/export.json").text)
    assert data == {
        "shared_client_ratings": [{"log_id": log.id, "session_date": log.session_date.isoformat(),
                                   "respondent": "parent", "channel": "link", "effort_understand": 3,
                                   "effort_listen": 4, "effort_include": 2, "score": 75.0,
                                   "top_score": False}],
        "unshared_client_ratings": None,  # two are not a figure yet
    }
    rows = list(csv.DictReader(io.StringIO(client.get("/feedback/export.csv").text)))
    assert [(r["log_id"], r["respondent"], r["score"]) for r in rows] == [(str(log.id), "parent", "75.0")]
    rating(log, (2, 2, 2), shared=False)  # three unshared: only their aggregate appears
    data = json.loads(client.get("/feedback/export.json").text)
    assert len(data["shared_client_ratings"]) == 1
    assert data["unshared_client_ratings"] == {"responses": 3, "mean_score": 25.0, "top_score_rate": 0.0}
    practice = client.get("/account/my-data/logs.json").text + client.get("/account/my-data/logs.csv").text
    assert "client" not in practice and "effort" not in practice
    with app.app_context():
        exports = db.session.scalars(select(AccessLog.object_type).where(AccessLog.action == "export")).all()
    assert exports.count("client_ratings_json") == 2 and "client_ratings_csv" in exports
