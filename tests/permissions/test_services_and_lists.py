"""What the table's rows do not show on their own: the services' own checks, lists, timing, unknown ids.

Where a form offers only what may be chosen (the coaches to share with, the teams to set a rhythm
for), the page refuses before the service runs; the service must refuse on its own too, so it is
called here with every row of the table.
"""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.db import db, utcnow
from app.prompts import services as schedule_services
from app.reflection import services as reflection_services
from tests import factories
from tests.permissions.table import ACTORS, ALLOWED
from tests.permissions.world import CoachAssignment, PracticeLog
from tests.practice.helpers import count_logs, log_form

SHARES = [key for key in ALLOWED if key[1].startswith("share with ")]


def test_sharing_refuses_in_the_service_whom_the_table_refuses(app, world):
    wrong = []
    with app.test_request_context():
        for key in SHARES:
            reflection, coach = world.load(key[0]), world.user(key[1].removeprefix("share with "))
            for actor in ACTORS:
                try:
                    reflection_services.share_reflection(world.user(actor), reflection, coach, utcnow())
                    done = True
                except NotFound:
                    done = False
                db.session.rollback()
                if done is not (actor in ALLOWED[key]):
                    wrong.append(f"{actor} {key[1]}: {'shared' if done else 'refused'}")
    assert not wrong


def test_a_team_rhythm_is_refused_in_the_service_whom_the_table_refuses(app, world):
    data = schedule_services.ScheduleInput(kind="recurring", weekday=4, local_time=time(14, 0))
    wrong = []
    with app.test_request_context():
        for actor in ACTORS:
            try:
                schedule_services.create_schedule(world.user(actor), world.load("team:A"), data, utcnow())
                done = True
            except NotFound:
                done = False
            db.session.rollback()
            if done is not (actor in ALLOWED["team:A", "create schedule"]):
                wrong.append(f"{actor}: {'created' if done else 'refused'}")
    assert not wrong


def test_an_ended_coaching_ends_access_at_once(app, client, world):
    """Nothing is remembered between requests: the coach, signed in, loses access with the next one."""
    author, shared = world.users["author"], world.objects["reflection:shared"]
    pages = [f"/logs/{world.objects['log:shared']}", f"/coaching/{author}/logs", f"/reflection/{shared}"]
    client.login_as(db_user(app, world, "coach"))
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    assert f'href="/reflection/{shared}"' in client.get("/reflection/shared").text
    with factories.committed() as s:
        coaching = select(CoachAssignment).where(CoachAssignment.coach_id == world.users["coach"])
        for assignment in s.scalars(coaching):
            assignment.ended_at = utcnow()
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
    assert f'href="/reflection/{shared}"' not in client.get("/reflection/shared").text


def test_only_the_author_finds_the_logs_in_their_own_list(app, world):
    links = [f'/logs/{world.objects[name]}"' for name in ("log:shared", "log:private")]
    for actor in ACTORS:
        client = app.test_client()
        client.login_as(db_user(app, world, actor))
        own = client.get("/logs").text
        assert [link in own for link in links] == [actor == "author"] * 2, actor


@pytest.mark.parametrize("url", [
    "/logs/999999", "/logs/999999/edit", "/coaching/999999/logs", "/reflection/999999",
    "/reflection/groups/999999", "/reflection/prompts/999999",
])
def test_an_unknown_id_is_404(app, client, world, url):
    client.login_as(db_user(app, world, "author"))
    assert client.get(url).status_code == 404


def test_another_organisations_user_logs_into_their_own_organisation(app, client, world):
    client.login_as(db_user(app, world, "stranger_coach"))
    assert client.submit("/logs/new", log_form()).status_code == 302
    stranger = world.users["stranger_coach"]
    assert count_logs(app, stranger) == 1
    with app.app_context():
        log = db.session.scalars(select(PracticeLog).where(PracticeLog.author_id == stranger)).one()
        assert (log.organisation_id, log.team_id) == (world.theirs, None)


def db_user(app, world, actor):
    with app.app_context():
        return world.user(actor)
