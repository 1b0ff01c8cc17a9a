"""Prompt life: expiry, snooze and dismiss stop the nagging; the inbox page and its badge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.auth.models import User
from app.db import db, utcnow
from app.prompts import services
from app.prompts.jobs import expire_prompts, materialise_prompts
from app.prompts.models import Prompt
from app.prompts.queries import inbox_count
from app.scheduler import run_job
from tests import factories
from tests.reflection.conftest import NOW


@pytest.fixture
def delivered(app, team, colleagues):
    factories.schedule(team=team, since=NOW - timedelta(days=10))
    run_job(app, materialise_prompts, NOW)
    with app.app_context():
        return db.session.scalar(select(Prompt).where(Prompt.user_id == colleagues[0].id))


def _count(app, user, when):
    with app.app_context():
        return inbox_count(user.id, when)


def _status(app, prompt_id):
    with app.app_context():
        return db.session.get(Prompt, prompt_id).status


def test_prompts_expire_after_seven_days_and_stop_counting(app, delivered, colleagues):
    assert _count(app, colleagues[0], NOW) == 1
    assert run_job(app, expire_prompts, NOW + timedelta(days=6)) == 0
    assert run_job(app, expire_prompts, NOW + timedelta(days=7)) == 3
    assert run_job(app, expire_prompts, NOW + timedelta(days=7)) == 0
    assert _status(app, delivered.id) == "expired"
    assert _count(app, colleagues[0], NOW + timedelta(days=7)) == 0


def test_snoozed_prompt_comes_back_the_next_morning(app, delivered, colleagues):
    with app.app_context():
        until = services.snooze_prompt(db.session.get(User, colleagues[0].id),
                                       db.session.get(Prompt, delivered.id), "tomorrow", NOW)
        db.session.commit()
    assert until == datetime(2026, 3, 21, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    assert _count(app, colleagues[0], NOW + timedelta(hours=1)) == 0
    assert _count(app, colleagues[0], until) == 1


def test_snoozing_past_the_expiry_keeps_the_prompt_a_day_after_it_returns(app, delivered, colleagues):
    late = NOW + timedelta(days=6)
    with app.app_context():
        until = services.snooze_prompt(db.session.get(User, colleagues[0].id),
                                       db.session.get(Prompt, delivered.id), "three_days", late)
        db.session.commit()
    run_job(app, expire_prompts, until)
    assert _status(app, delivered.id) == "open" and _count(app, colleagues[0], until) == 1


def test_dismissed_prompt_stops_nagging_and_never_expires_into_the_inbox(app, delivered, colleagues):
    with app.app_context():
        actor, prompt = db.session.get(User, colleagues[0].id), db.session.get(Prompt, delivered.id)
        services.dismiss_prompt(actor, prompt, NOW)
        db.session.commit()
    assert _count(app, colleagues[0], NOW) == 0
    run_job(app, expire_prompts, NOW + timedelta(days=8))
    assert _status(app, delivered.id) == "dismissed"


def test_nobody_else_can_snooze_or_dismiss_a_prompt(app, delivered, colleagues):
    with app.app_context(), pytest.raises(NotFound):
        actor, prompt = db.session.get(User, colleagues[1].id), db.session.get(Prompt, delivered.id)
        services.dismiss_prompt(actor, prompt, NOW)


# --- the pages (on the real clock) --------------------------------------------------------------


@pytest.fixture
def live_prompt(team, practitioner):
    sch = factories.schedule(team=team, since=utcnow() - timedelta(days=3), theme="Wat werkte deze week?")
    return factories.prompt(practitioner, sch, due_at=utcnow() - timedelta(hours=1))


def test_inbox_badge_snooze_and_dismiss_through_the_pages(app, client, practitioner, live_prompt):
    client.login_as(practitioner)
    home = client.get("/")
    assert 'class="tag badge">1<' in home.text and "Wat werkte deze week?" in home.text
    inbox = client.get("/reflection/inbox")
    assert inbox.status_code == 200 and "Wat werkte deze week?" in inbox.text
    snoozed = client.submit(f"/reflection/prompts/{live_prompt.id}/snooze", {"until": "tomorrow"})
    assert snoozed.status_code == 302
    assert 'class="tag badge"' not in client.get("/").text
    assert "Wat werkte deze week?" in client.get("/reflection/inbox").text  # listed under "snoozed"
    assert client.submit(f"/reflection/prompts/{live_prompt.id}/dismiss").status_code == 302
    assert _status(app, live_prompt.id) == "dismissed"
    assert "Wat werkte deze week?" not in client.get("/reflection/inbox").text


def test_a_prompt_link_opens_the_reflection_for_its_owner_only(client, practitioner, colleagues, live_prompt):
    client.login_as(practitioner)
    response = client.get(f"/reflection/prompts/{live_prompt.id}")
    assert response.status_code == 200 and "Wat werkte deze week?" in response.text
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login_as(colleagues[1])
    assert client.get(f"/reflection/prompts/{live_prompt.id}").status_code == 404
    assert client.submit(f"/reflection/prompts/{live_prompt.id}?template=quick",
                         {"answer_went_well": "Niet van mij."}).status_code == 404
    assert client.submit(f"/reflection/prompts/{live_prompt.id}/dismiss").status_code == 404


def test_answering_a_prompt_closes_it(app, client, practitioner, live_prompt):
    client.login_as(practitioner)
    chooser = client.get(f"/reflection/prompts/{live_prompt.id}")
    assert chooser.status_code == 200 and "Wat werkte deze week?" in chooser.text  # choose a model first
    url = f"/reflection/prompts/{live_prompt.id}?template=quick"
    response = client.submit(url, {"answer_went_well": "Samen een doel gekozen."})
    assert response.status_code == 302
    assert _status(app, live_prompt.id) == "answered"
    assert 'class="tag badge"' not in client.get("/").text


def test_drafts_untouched_for_30_days_are_pruned(app, practitioner):
    from app.reflection.jobs import prune_drafts
    from app.reflection.models import ReflectionDraft

    with app.app_context():
        for key, age in (("new:quick", 31), ("new:alact", 29)):
            db.session.add(ReflectionDraft(user_id=practitioner.id, key=key, data={"answer_went_well": "x"},
                                           updated_at=NOW - timedelta(days=age)))
        db.session.commit()
    assert run_job(app, prune_drafts, NOW) == 1
    with app.app_context():
        assert list(db.session.scalars(select(ReflectionDraft.key))) == ["new:alact"]


def test_the_inbox_lists_the_newest_hundred_of_each_kind_in_one_statement(app, practitioner, org):
    """Waiting and snoozed prompts in their own lists, newest first, at most 100 each; expired,
    dismissed and someone else's prompts are left out."""
    from datetime import timedelta

    from app.db import utcnow
    from app.prompts import queries
    from tests.test_statement_counts import counting

    now = utcnow()
    own = factories.schedule(owner=practitioner, since=now - timedelta(days=30))
    waiting = [factories.prompt(practitioner, own, due_at=now - timedelta(minutes=i), key=f"w{i}")
               for i in range(1, 103)]
    snoozed = [factories.prompt(practitioner, own, due_at=now - timedelta(hours=i), key=f"s{i}",
                                snoozed_until=now + timedelta(hours=5)) for i in (3, 1)]
    factories.prompt(practitioner, own, due_at=now - timedelta(days=9), key="expired")
    done = factories.prompt(practitioner, own, due_at=now - timedelta(hours=2), key="done")
    with factories.committed() as s:
        s.get(Prompt, done.id).status = "dismissed"
    other = factories.user(org, "ander@example.org")
    factories.prompt(other, factories.schedule(owner=other, since=now - timedelta(days=30)),
                     due_at=now - timedelta(minutes=1), key="other")
    with app.app_context(), counting(app) as statements:
        listed_waiting, listed_snoozed = queries.inbox_for(practitioner.id, now)
    assert [i.prompt.id for i in listed_waiting] == [p.id for p in waiting[:100]]
    assert [i.prompt.id for i in listed_snoozed] == [snoozed[1].id, snoozed[0].id]
    assert all(i.schedule.id == own.id for i in listed_waiting + listed_snoozed)
    assert len([s for s in statements if s.lstrip().startswith("SELECT")]) == 1
