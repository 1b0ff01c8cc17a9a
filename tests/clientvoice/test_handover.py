"""Hand-over on the practitioner's device: the client's pages have no way into the app, every app URL
asks for the practitioner's password until it is given (also for a copy of the session cookie),
the answer is stored once, and the thank-you page shows neither the answers nor the choice.
"""

from __future__ import annotations

import re

import pytest

from app.security import HANDOVER_ENDPOINTS, PUBLIC_ENDPOINTS
from tests import factories
from tests.clientvoice.helpers import answer_form, count_ratings, ratings
from tests.practice.helpers import count_logs
from tests.test_security_sweep import _rules, _url

UNLOCK = "/feedback/unlock"
FORM = "/feedback/handover"
THANKS = "/feedback/handover/thanks"

APP_URLS = sorted({
    _url(rule) for rule in _rules()
    if "GET" in (rule.methods or set()) and rule.endpoint not in HANDOVER_ENDPOINTS | PUBLIC_ENDPOINTS
})


def _hand_over(client, log):
    started = client.submit(f"/logs/{log.id}/feedback/handover")
    assert started.status_code == 302 and started.headers["Location"] == FORM
    return started


def _links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]*)"', html)


@pytest.fixture
def handed_over(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    _hand_over(client, log)
    return log


def test_the_practitioner_is_asked_to_hand_over_and_step_away(client, practitioner):
    log = factories.practice_log(practitioner)
    client.login_as(practitioner)
    page = client.get(f"/logs/{log.id}/feedback/handover").text
    assert "step away" in page and "type your password" in page and "A link is more honest." in page


@pytest.mark.parametrize("url", APP_URLS)
def test_every_app_url_asks_for_the_password_during_a_handover(client, handed_over, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"] == UNLOCK


def test_forms_of_the_app_are_refused_during_a_handover(app, client, practitioner, handed_over):
    for path in (f"/logs/{handed_over.id}/delete", f"/logs/{handed_over.id}/private", "/logs/new",
                 f"/logs/{handed_over.id}/feedback/link", "/language", "/account"):
        response = client.submit(path, {"private": "1", "language": "en"})
        assert response.status_code == 302 and response.headers["Location"] == UNLOCK, path
    assert count_logs(app, practitioner.id) == 1
    assert client.get(UNLOCK).status_code == 200


def test_the_clients_pages_have_no_navigation_and_are_not_cached(client, handed_over):
    form = client.get(FORM)
    assert form.status_code == 200
    assert "How did the conversation with Practitioner go?" in form.text
    assert "<nav" not in form.text and _links(form.text) == ["?lang=nl"]
    assert form.headers["Cache-Control"] == "no-store"
    client.submit(FORM, answer_form())
    thanks = client.get(THANKS)
    assert "<nav" not in thanks.text
    assert _links(thanks.text) == ["?lang=nl", UNLOCK]  # the way back needs the password
    assert thanks.headers["Cache-Control"] == "no-store"
    unlock = client.get(UNLOCK)
    assert "<nav" not in unlock.text and _links(unlock.text) == []


def test_the_client_can_choose_dutch_or_english(client, handed_over):
    assert "Hoe ging het gesprek met Practitioner?" in client.get(FORM + "?lang=nl").text
    assert "Hoe ging het gesprek" in client.get(FORM).text  # the choice is kept
    assert "How did the conversation" in client.get(FORM + "?lang=en").text


def test_the_answer_is_stored_once_and_the_form_then_shows_the_thank_you_page(app, client, handed_over):
    done = client.submit(FORM, answer_form(respondent="together", shared="yes"))
    assert done.status_code == 302 and done.headers["Location"] == THANKS
    [stored] = ratings(app)
    assert (stored.log_id, stored.author_id, stored.respondent, stored.channel, stored.shared) == (
        handed_over.id, handed_over.author_id, "together", "handover", True)
    assert client.get(FORM).headers["Location"] == THANKS
    assert client.submit(FORM, answer_form()).headers["Location"] == THANKS
    assert count_ratings(app) == 1


def _thanks_after(app, practitioner, data) -> str:
    log = factories.practice_log(practitioner)
    device = app.test_client()
    device.login_as(practitioner)
    _hand_over(device, log)
    device.submit(FORM, data)
    return device.get(THANKS).text


def test_the_thank_you_page_is_the_same_whatever_was_answered_or_chosen(app, practitioner):
    shared = _thanks_after(app, practitioner, answer_form(shared="yes", effort_listen="4"))
    kept = _thanks_after(app, practitioner, answer_form(shared="no", effort_listen="0"))
    declined = _thanks_after(app, practitioner, {"action": "skip"})
    assert shared == kept == declined
    assert "Please give the device back to Practitioner." in shared
    assert count_ratings(app) == 2  # declining stores nothing


def test_the_password_ends_the_handover_and_leads_to_the_log(app, client, practitioner, handed_over):
    client.submit(FORM, answer_form(shared="yes"))
    wrong = client.submit(UNLOCK, {"password": "not my password at all"})
    assert wrong.status_code == 401 and "This is not your password." in wrong.text
    assert client.get("/logs").headers["Location"] == UNLOCK
    right = client.submit(UNLOCK, {"password": factories.PASSWORD})
    assert right.status_code == 302 and right.headers["Location"] == f"/logs/{handed_over.id}"
    page = client.get(right.headers["Location"])
    assert page.status_code == 200
    section = page.text[page.text.index('id="client-voice-title"'):]
    assert "Your self-rating" in section and "4 · well" in section  # the log's own rating …
    assert "75 / 100" in section and "Filled in by the young person" in section  # … beside theirs
    assert client.get("/logs").status_code == 200
    assert client.get(FORM).headers["Location"] == "/"  # no way back into the client's form


def test_wrong_passwords_on_the_lock_page_are_slowed_down_like_sign_ins(app, client, handed_over):
    app.config["THROTTLE_FREE_FAILURES"] = 2
    for _ in range(2):
        assert client.submit(UNLOCK, {"password": "guess guess guess"}).status_code == 401
    refused = client.submit(UNLOCK, {"password": factories.PASSWORD})
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    assert client.get("/").headers["Location"] == UNLOCK


def test_a_copy_of_the_session_cookie_from_before_the_handover_is_locked_too(app, practitioner):
    log = factories.practice_log(practitioner)
    device = app.test_client()
    device.login_as(practitioner)
    cookie = device.get_cookie("werkzaam_session")
    assert cookie is not None
    _hand_over(device, log)
    copy = app.test_client()
    copy.set_cookie("werkzaam_session", cookie.value)
    assert copy.get("/logs").headers["Location"] == UNLOCK
    assert copy.get(FORM).headers["Location"] == UNLOCK  # the client's form stays on its device
    fresh = app.test_client()
    fresh.login_as(practitioner)  # a new sign-in gave the password
    assert fresh.get("/logs").status_code == 200


def test_signing_out_from_the_lock_page_ends_the_session(client, handed_over):
    out = client.submit("/logout")
    assert out.headers["Location"].startswith("/login")
    assert client.get("/logs").headers["Location"].startswith("/login")


def test_the_form_and_lock_pages_lead_home_when_there_is_no_handover(client, practitioner):
    client.login_as(practitioner)
    for path in (FORM, THANKS, UNLOCK):
        assert client.get(path).headers["Location"] == "/"
