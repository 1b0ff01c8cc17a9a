"""materialise_prompts: one prompt per person per occurrence, however often or in parallel it runs."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.clock import AMSTERDAM
from app.db import db
from app.mail.models import OutboxEmail
from app.prompts.jobs import materialise_prompts
from app.prompts.models import Prompt, Schedule
from app.scheduler import run_job
from app.teams.models import Membership
from tests import factories
from tests.reflection.conftest import NOW, count


def _keys(app, **where):
    with app.app_context():
        rows = db.session.execute(
            select(Prompt.schedule_id, Prompt.user_id, Prompt.occurrence_key).filter_by(**where)
        ).all()
    return [tuple(r) for r in rows]


def test_running_twice_gives_each_person_one_prompt(app, team, colleagues, lead):
    sch = factories.schedule(team=team, since=NOW - timedelta(days=10))
    first = run_job(app, materialise_prompts, NOW)
    second = run_job(app, materialise_prompts, NOW)
    assert first["prompts"] == 3 and second["prompts"] == 0
    keys = _keys(app, schedule_id=sch.id)
    assert sorted(k[1] for k in keys) == sorted(u.id for u in colleagues)  # practitioners, not the lead
    assert {k[2] for k in keys} == {"2026-03-20"}
    assert count(app, OutboxEmail) == 3  # one instant mail each (the default), not six


def test_parallel_runs_make_no_duplicates(app, team, colleagues):
    factories.schedule(team=team, since=NOW - timedelta(days=10))
    factories.schedule(owner=colleagues[0], kind="one_off", since=NOW - timedelta(days=3),
                       once_at=NOW - timedelta(hours=2), theme="Thema")
    start = threading.Barrier(4)
    results, errors = [], []

    def worker() -> None:
        start.wait()
        try:
            results.append(run_job(app, materialise_prompts, NOW))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r["prompts"] for r in results) == 4
    assert count(app, Prompt) == 4
    assert count(app, OutboxEmail) == 4  # only the run that inserted a prompt mails about it


def test_three_hours_of_downtime_give_one_prompt_per_missed_occurrence(app, team, colleagues):
    day = date(2026, 3, 20)
    since = datetime.combine(day, time(8, 0), tzinfo=AMSTERDAM).astimezone(UTC)  # made that morning
    for hour in (12, 13, 14):
        factories.schedule(team=team, since=since, at=time(hour, 0))
    one_off = datetime.combine(day, time(13, 30), tzinfo=AMSTERDAM).astimezone(UTC)
    factories.schedule(team=team, kind="one_off", since=since, once_at=one_off, theme="Thema intervisie")

    def at(hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)

    for minute in range(50, 60):  # running every minute until 11:59, then down until 15:00
        assert run_job(app, materialise_prompts, at(11, minute))["prompts"] == 0
    assert run_job(app, materialise_prompts, at(15, 0))["prompts"] == 4 * 3
    for minute in range(1, 11):
        assert run_job(app, materialise_prompts, at(15, minute))["prompts"] == 0
    with app.app_context():
        per_key = db.session.execute(
            select(Prompt.schedule_id, Prompt.user_id, Prompt.occurrence_key, func.count())
            .group_by(Prompt.schedule_id, Prompt.user_id, Prompt.occurrence_key)
        ).all()
    assert len(per_key) == 12 and {row[3] for row in per_key} == {1}


def test_weekly_schedule_keeps_14h_local_across_both_dst_changes(app, practitioner):
    # A personal rhythm on Sundays at 14:00; the scheduler runs each Sunday at 14:05.
    factories.schedule(owner=practitioner, weekday=6, since=datetime(2026, 3, 1, tzinfo=UTC))
    sundays = [date(2026, 3, 22), date(2026, 3, 29), date(2026, 4, 5),
               date(2026, 10, 18), date(2026, 10, 25), date(2026, 11, 1)]
    for sunday in sundays:
        run_job(app, materialise_prompts,
                datetime.combine(sunday, time(14, 5), tzinfo=AMSTERDAM).astimezone(UTC))
    with app.app_context():
        due = list(db.session.scalars(select(Prompt.due_at).order_by(Prompt.due_at)))
    assert [d.astimezone(AMSTERDAM).date() for d in due] == sundays
    assert {d.astimezone(AMSTERDAM).time() for d in due} == {time(14, 0)}
    assert [d.hour for d in due] == [13, 12, 12, 12, 13, 13]  # UTC moves, the wall clock does not


def test_occurrences_older_than_the_expiry_window_are_not_delivered(app, team, colleagues):
    factories.schedule(team=team, since=NOW - timedelta(days=40))
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 3  # only today's, not five weeks'
    with app.app_context():
        expires = set(db.session.scalars(select(Prompt.expires_at)))
    assert expires == {datetime(2026, 3, 27, 13, 0, tzinfo=UTC)}


def test_a_new_schedule_does_not_prompt_for_a_moment_before_it_was_made(app, team, colleagues):
    factories.schedule(team=team, since=NOW - timedelta(minutes=5))  # made at 14:25, due 14:00
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 0


def test_paused_schedule_prompts_nobody_and_resuming_does_not_catch_up(app, team, colleagues, lead):
    from app.prompts import services as schedule_services

    sch = factories.schedule(team=team, since=NOW - timedelta(days=10))
    with app.app_context():
        schedule_services.pause_schedule(db.session.get(User, lead.id), db.session.get(Schedule, sch.id))
        db.session.commit()
    assert run_job(app, materialise_prompts, NOW)["prompts"] == 0
    with app.app_context():
        actor, target = db.session.get(User, lead.id), db.session.get(Schedule, sch.id)
        schedule_services.resume_schedule(actor, target, NOW)
        db.session.commit()
    assert run_job(app, materialise_prompts, NOW + timedelta(hours=1))["prompts"] == 0
    assert run_job(app, materialise_prompts, NOW + timedelta(days=7))["prompts"] == 3


def test_only_current_active_practitioners_of_the_team_are_prompted(app, org, team, colleagues, lead):
    other_team = factories.team(org, "Team West")
    factories.user(org, "west@example.org", team=other_team)
    factories.user(org, "gone@example.org", team=team, active=False)
    left = factories.user(org, "left@example.org", team=team)
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == left.id))
        membership.ended_on = date(2026, 3, 1)
        db.session.commit()
    factories.schedule(team=team, since=NOW - timedelta(days=10))
    run_job(app, materialise_prompts, NOW)
    assert sorted(k[1] for k in _keys(app)) == sorted(u.id for u in colleagues)
