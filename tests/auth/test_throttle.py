"""Sign-in throttling per account and per address, shared through the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth import services, throttle
from app.auth.models import ThrottleEvent, User
from app.db import db
from tests import factories

OTHER_ADDRESS = {"REMOTE_ADDR": "10.0.0.2"}
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def sign_in(client, email: str, password: str = factories.PASSWORD, **kwargs):
    return client.submit("/login", {"email": email, "password": password}, **kwargs)


def fail(client, email: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = sign_in(client, email, "not the right password", **kwargs)
        assert response.status_code == 401


def events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ThrottleEvent)) or 0


def age_all_events(app, by: timedelta) -> None:
    with app.app_context():
        for event in db.session.scalars(select(ThrottleEvent)):
            event.created_at -= by
        db.session.commit()


def last_login(app, user) -> datetime | None:
    with app.app_context():
        return db.session.scalar(select(User.last_login_at).where(User.id == user.id))


# --- through the sign-in page ----------------------------------------------------------------


def test_after_the_free_failures_even_the_right_password_waits_unchecked(
    app, client, practitioner, monkeypatch
):
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"])
    checked = []
    monkeypatch.setattr(services, "verify_password", lambda *a: checked.append(a) or True)
    counted = events(app)

    response = client.login(practitioner.email)

    assert response.status_code == 429
    assert checked == []
    assert events(app) == counted  # a refused attempt is not even counted
    assert last_login(app, practitioner) is None
    assert client.get("/").status_code == 302


def test_the_account_waits_from_another_address_too(app, client, practitioner):
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"])
    assert sign_in(client, practitioner.email, environ_base=OTHER_ADDRESS).status_code == 429


def test_another_account_from_another_address_signs_in_while_one_waits(app, client, org, practitioner):
    colleague = factories.user(org, "colleague@example.org")
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"])

    other = app.test_client()
    assert sign_in(other, colleague.email, environ_base=OTHER_ADDRESS).status_code == 302


def test_failures_below_the_allowance_do_not_slow_anyone_down(app, client, practitioner):
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"] - 1)
    assert client.login(practitioner.email).status_code == 302


def test_one_address_trying_many_accounts_is_slowed_down(app, client, org, practitioner):
    app.config["THROTTLE_FREE_FAILURES_PER_ADDRESS"] = 8
    for n in range(8):
        fail(client, f"guess{n}@example.org", 1)

    assert client.login(practitioner.email).status_code == 429
    assert sign_in(app.test_client(), practitioner.email, environ_base=OTHER_ADDRESS).status_code == 302


def test_signing_in_works_again_once_the_wait_has_passed(app, client, practitioner):
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"])
    assert client.login(practitioner.email).status_code == 429

    age_all_events(app, timedelta(seconds=3))  # the first wait is 2 s; still inside the window

    assert client.login(practitioner.email).status_code == 302


def test_failures_older_than_the_window_are_forgotten(app, client, practitioner):
    fail(client, practitioner.email, app.config["THROTTLE_FREE_FAILURES"])
    assert client.login(practitioner.email).status_code == 429
    age_all_events(app, timedelta(minutes=app.config["THROTTLE_WINDOW_MINUTES"], seconds=1))
    assert client.login(practitioner.email).status_code == 302


def test_successful_sign_in_forgives_the_account_but_not_the_address(app, client, practitioner):
    fail(client, practitioner.email, 3)
    client.login_as(practitioner)
    with app.app_context():
        buckets = dict(
            db.session.execute(
                select(ThrottleEvent.bucket, func.count()).group_by(ThrottleEvent.bucket)
            ).all()
        )
    assert buckets == {"signin_address": 3}


# --- the throttle itself, with a fixed clock ---------------------------------------------------


@pytest.fixture
def limits(app, ctx):
    app.config.update(
        THROTTLE_FREE_FAILURES=5, THROTTLE_FREE_FAILURES_PER_ADDRESS=20, THROTTLE_WINDOW_MINUTES=15
    )


def failures(n: int, email: str = "a@example.org", address: str = "10.0.0.1", at: datetime = T0) -> None:
    for _ in range(n):
        throttle.record_signin_failure(email, address, at)


def test_free_failures_need_no_wait(limits):
    failures(4)
    assert throttle.signin_wait_seconds("a@example.org", "10.0.0.1", T0) == 0


def test_the_wait_doubles_with_every_failure_past_the_allowance(limits):
    waits = []
    for _ in range(4):
        failures(1 if waits else 5)
        waits.append(throttle.signin_wait_seconds("a@example.org", "10.0.0.9", T0))
    assert waits == [2, 4, 8, 16]


def test_the_wait_counts_down_from_the_last_failure(limits):
    failures(5)
    wait = throttle.signin_wait_seconds
    assert wait("a@example.org", "10.0.0.9", T0 + timedelta(seconds=1)) == 1
    assert wait("a@example.org", "10.0.0.9", T0 + timedelta(milliseconds=1500)) == 1
    assert wait("a@example.org", "10.0.0.9", T0 + timedelta(seconds=2)) == 0


def test_the_wait_is_capped(limits):
    failures(40)
    assert throttle.signin_wait_seconds("a@example.org", "10.0.0.9", T0) == throttle.MAX_DELAY_SECONDS


def test_other_accounts_and_addresses_are_untouched(limits):
    failures(10)
    assert throttle.signin_wait_seconds("b@example.org", "10.0.0.2", T0) == 0
    assert throttle.signin_wait_seconds("a@example.org", "10.0.0.2", T0) > 0
    assert throttle.signin_wait_seconds("b@example.org", "10.0.0.1", T0) == 0


def test_an_address_has_its_own_allowance(limits):
    for n in range(20):
        failures(1, email=f"user{n}@example.org")
    assert throttle.signin_wait_seconds("new@example.org", "10.0.0.1", T0) == 2
    assert throttle.signin_wait_seconds("new@example.org", "10.0.0.2", T0) == 0


def test_failures_leave_the_window(limits):
    failures(10)
    later = T0 + timedelta(minutes=15, seconds=1)
    assert throttle.signin_wait_seconds("a@example.org", "10.0.0.1", later) == 0


def test_clearing_forgives_only_the_account(limits):
    failures(20)
    throttle.clear_signin_failures("a@example.org")
    assert throttle.signin_wait_seconds("a@example.org", "10.0.0.9", T0) == 0
    assert throttle.signin_wait_seconds("z@example.org", "10.0.0.1", T0) == 2


def test_authenticate_refuses_without_checking_while_waiting(limits, practitioner):
    for _ in range(5):
        assert services.authenticate(practitioner.email, "wrong", "10.0.0.1", T0).user is None
    waiting = services.authenticate(practitioner.email, factories.PASSWORD, "10.0.0.1", T0)
    assert waiting.user is None and waiting.wait_seconds == 2
    later = services.authenticate(
        practitioner.email, factories.PASSWORD, "10.0.0.1", T0 + timedelta(seconds=2)
    )
    assert later.user is not None and later.user.id == practitioner.id


def test_pruning_drops_events_older_than_a_day(limits):
    failures(3, at=T0 - timedelta(days=1, seconds=1))
    failures(2, at=T0)
    assert throttle.prune(T0) == 6  # three failures, each counted for account and address
    assert throttle.count_since("signin_account", "a@example.org", T0 - timedelta(days=2))[0] == 2
