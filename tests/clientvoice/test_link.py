"""The one-time link: unguessable and stored hashed, single use (also under two submits at once),
valid 7 days, the same page for unknown, used and expired links, rate-limited, CSRF-protected, and
showing nothing of the client or the log and only the practitioner's first name.
"""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.clientvoice import services
from app.clientvoice.models import ClientFeedbackRequest
from app.db import db
from tests import factories
from tests.clientvoice.helpers import answer_form, count_ratings, link_path, ratings, requests


def _make_link(client, log) -> str:
    made = client.submit(f"/logs/{log.id}/feedback/link")
    assert made.status_code == 302
    return link_path(client.get(made.headers["Location"]).text)


def _answer(visitor, path, **overrides):
    return visitor.post(path, data={"csrf_token": visitor.csrf_token(), **answer_form(**overrides)})


def test_a_link_token_has_256_random_bits_and_only_its_hash_is_stored(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    path = _make_link(client, log)
    token = path.removeprefix("/f/")
    assert len(token) >= 43  # 32 random bytes, base64url: far beyond the 128 bits asked
    [stored] = requests(app)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(vars(stored))
    assert stored.expires_at - stored.created_at == timedelta(days=7)


def test_the_link_page_shows_the_link_and_its_qr_code_once(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    made = client.submit(f"/logs/{log.id}/feedback/link")
    page = client.get(made.headers["Location"]).text
    assert link_path(page)
    assert re.search(r'<img class="qr" src="data:image/svg\+xml', page)  # drawn here, no service
    other_device = app.test_client()
    other_device.login_as(practitioner)
    again = other_device.get(made.headers["Location"]).text
    assert "/f/" not in again and "Make a new one." in again


def test_the_public_page_shows_the_first_name_and_nothing_about_the_client_or_the_log(
    app, client, org, team,
):
    sanne = factories.user(org, "sanne.devries@example.org", name="Sanne de Vries", team=team)
    log = factories.practice_log(sanne, note="Gesprek over school en de ruzie thuis", setting="school",
                                 participants=("youth", "network"), age_band="18-23", phase="goals")
    client.login_as(sanne)
    path = _make_link(client, log)
    english = app.test_client().get(path + "?lang=en")
    dutch = app.test_client().get(path + "?lang=nl")  # the language the client chose on the page
    assert english.status_code == dutch.status_code == 200
    assert "How did the conversation with Sanne go?" in english.text
    assert "Hoe ging het gesprek met Sanne?" in dutch.text
    for response in (english, dutch):
        # Random parts (the CSRF token, static file versions) could contain "18" by chance.
        page = re.sub(r'value="[^"]*"|\?v=[0-9a-f]+', "", response.text)
        for leak in ("de Vries", "devries", "example.org", "school", "ruzie", "18", "Netwerk", "Network",
                     log.session_date.isoformat(), f"/logs/{log.id}", "<nav"):
            assert leak not in page, leak
        links = re.findall(r'<a [^>]*href="([^"]*)"', response.text)
        assert links == ["?lang=en"] or links == ["?lang=nl"]  # no way into the app
    assert dutch.headers["Cache-Control"] == "no-store"
    assert dutch.headers["Referrer-Policy"] == "no-referrer"


def test_an_answer_is_stored_once_with_who_answered_and_the_choice(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    path = _make_link(client, log)
    visitor = app.test_client()
    assert 'checked id="shared-0" name="shared" required type="radio" value="no"' in visitor.get(path).text
    done = _answer(visitor, path, respondent="parent", shared="yes")
    assert done.status_code == 302 and done.headers["Location"] == "/f/thanks"
    [stored] = ratings(app)
    assert (stored.log_id, stored.author_id, stored.respondent, stored.channel, stored.shared) == (
        log.id, practitioner.id, "parent", "link", True)
    assert (stored.effort_understand, stored.effort_listen, stored.effort_include) == (3, 4, 2)
    again = _answer(visitor, path, respondent="youth")
    assert again.status_code == 410
    assert count_ratings(app) == 1


def test_two_submits_at_the_same_moment_store_one_answer(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    path = _make_link(client, log)
    visitors = [app.test_client() for _ in range(2)]
    forms = [{"csrf_token": v.csrf_token(), **answer_form()} for v in visitors]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def submit(i: int) -> None:
        start.wait()
        statuses.append(visitors[i].post(path, data=forms[i]).status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) in ([302, 302], [302, 410])  # the loser is told the link was just used
    assert count_ratings(app) == 1
    assert requests(app)[0].used_at is not None


def test_answers_given_at_the_same_moment_through_one_link_store_one(app, practitioner):
    log = factories.practice_log(practitioner)
    path = _link_at(app, practitioner, log, datetime.now(UTC))
    start = threading.Barrier(2)
    stored: list[bool] = []

    def answer() -> None:
        with app.app_context():
            start.wait()
            stored.append(services.answer_link(path.removeprefix("/f/"), services.Answer("youth", 4, 4, 4),
                                               datetime.now(UTC)))
            db.session.commit()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(stored) == [False, True]
    assert count_ratings(app) == 1


def test_the_service_stores_one_answer_per_link(app, practitioner):
    log = factories.practice_log(practitioner)
    now = datetime.now(UTC)
    with app.app_context():
        _request, raw = services.create_link(db.session.get(type(practitioner), practitioner.id),
                                             db.session.get(type(log), log.id), now)
        answer = services.Answer("youth", 1, 2, 3, shared=False)
        assert services.answer_link(raw, answer, now) is True
        assert services.answer_link(raw, answer, now) is False
        assert services.answer_link("not-a-token", answer, now) is False
        db.session.commit()
    assert count_ratings(app) == 1


def _link_at(app, practitioner, log, at: datetime) -> str:
    with app.app_context():
        _request, raw = services.create_link(db.session.get(type(practitioner), practitioner.id),
                                             db.session.get(type(log), log.id), at)
        db.session.commit()
    return f"/f/{raw}"


def test_a_link_expires_after_7_days(app, practitioner, freeze_clock):
    log = factories.practice_log(practitioner)
    made = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    path = _link_at(app, practitioner, log, made)
    visitor = app.test_client()
    freeze_clock(made + timedelta(days=7) - timedelta(minutes=1))
    assert visitor.get(path).status_code == 200
    form = {"csrf_token": visitor.csrf_token(), **answer_form()}
    freeze_clock(made + timedelta(days=7))
    assert visitor.get(path).status_code == 410
    assert visitor.post(path, data=form).status_code == 410
    assert count_ratings(app) == 0


def _normalised(response) -> tuple[int, str, dict[str, str]]:
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", response.text)
    headers = {k: v for k, v in response.headers.items() if k not in ("Set-Cookie", "Date", "Vary")}
    return response.status_code, body, headers


def test_unknown_used_and_expired_links_look_the_same(app, practitioner, freeze_clock):
    log = factories.practice_log(practitioner)
    now = datetime.now(UTC)
    used = _link_at(app, practitioner, log, now)
    expired = _link_at(app, practitioner, log, now - timedelta(days=8))
    assert _answer(app.test_client(), used).status_code == 302
    unknown = "/f/" + "A" * 43
    seen = [_normalised(app.test_client().get(path)) for path in (unknown, used, expired)]
    assert seen[0][0] == 410 and "This link does not work" in seen[0][1]
    assert seen[0] == seen[1] == seen[2]
    posted = [_normalised(_answer(app.test_client(), path)) for path in (unknown, used, expired)]
    assert posted[0] == posted[1] == posted[2] == seen[0]


def test_the_public_link_pages_are_rate_limited_per_address(app, practitioner, freeze_clock):
    app.config["CLIENT_LINK_REQUESTS_PER_HOUR"] = 3
    log = factories.practice_log(practitioner)
    now = datetime.now(UTC)
    path = _link_at(app, practitioner, log, now)
    freeze_clock(now)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for i in range(3):
        assert guesser.get(f"/f/guess{i}").status_code == 410
    assert guesser.get(path).status_code == 429  # even the right link, until the hour has passed
    assert guesser.post(path, data={"csrf_token": guesser.csrf_token(), **answer_form()}).status_code == 429
    family = app.test_client()
    family.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert family.get(path).status_code == 200
    freeze_clock(now + timedelta(hours=1, seconds=1))
    assert guesser.get(path).status_code == 200
    assert count_ratings(app) == 0


def test_the_public_form_needs_its_csrf_token(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    path = _make_link(client, log)
    visitor = app.test_client()
    visitor.get(path)
    assert visitor.post(path, data=answer_form()).status_code == 400
    assert visitor.post(path, data={"csrf_token": "forged", **answer_form()}).status_code == 400
    assert count_ratings(app) == 0
    assert visitor.get(path).status_code == 200  # the link still works


def test_an_incomplete_answer_is_refused_and_keeps_the_link(app, client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    path = _make_link(client, log)
    visitor = app.test_client()
    refused = _answer(visitor, path, effort_listen=None, respondent="stranger")
    assert refused.status_code == 400
    assert "Choose an answer." in refused.text and "Not a valid choice" in refused.text
    assert count_ratings(app) == 0
    assert _answer(visitor, path).status_code == 302


def test_only_the_author_makes_a_link_for_a_log(app, client, practitioner, coach, org, team):
    log = factories.practice_log(practitioner)
    colleague = factories.user(org, "colleague@example.org", team=team)
    for someone in (coach, colleague):
        other = app.test_client()
        other.login_as(someone)
        assert other.submit(f"/logs/{log.id}/feedback/link").status_code == 404
        assert other.get(f"/logs/{log.id}/feedback/handover").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ClientFeedbackRequest.id)) is None
