"""Retention on hand-made data at a fixed `now`: what expired goes, the rest stays, a second run
deletes nothing, and each run's count is in the access log; admins see the settings and last run."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.auth.models import User
from app.db import db
from app.mail.models import OutboxEmail
from app.practice.models import PracticeLog
from app.privacy.models import AccessLog
from app.reflection.models import Reflection, ReflectionDraft
from app.retention.jobs import apply_retention
from app.retention.models import RetentionPeriod, RetentionRun
from app.scheduler import run_job
from tests import factories

# Fixed, and before the real clock: the database's own check (SQLite trigger, PostgreSQL function)
# looks at its own clock and lets through only what has expired by then too.
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
NOTHING = {"client_voice": 0, "client_feedback_request": 0, "practice_log": 0, "coach_feedback": 0,
           "observation": 0, "learning_goal": 0, "reflection_after_leaving": 0, "access_log": 0}


def _ids(app, model, *where) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(model.id).where(*where)))


def _leaver(org, email: str, deactivated_at: datetime) -> User:
    user = factories.user(org, email, active=False)
    with factories.committed() as s:
        s.get(User, user.id).deactivated_at = deactivated_at
        s.add(ReflectionDraft(user_id=user.id, key="quick", data={"a": "b"}, updated_at=NOW))
        s.add(OutboxEmail(recipient=email, subject="Werkzaam", body="", created_at=NOW, next_attempt_at=NOW))
    factories.reflection(user)
    return user


def _access(org, at: datetime) -> None:
    with factories.committed() as s:
        s.add(AccessLog(at=at, organisation_id=org.id, actor_id=1, actor_role="coach", action="read",
                        object_type="practice_log", object_id=1, subject_id=2))


def test_what_expired_goes_the_rest_stays_and_a_second_run_deletes_nothing(app, org, other_org, practitioner):
    old = factories.practice_log(practitioner, session_date=date(2024, 5, 31))  # 24 months and a day
    kept = [factories.practice_log(practitioner, session_date=d)
            for d in (date(2024, 6, 1), date(2026, 5, 1))]
    elsewhere = factories.user(other_org, "elders@example.org", team=factories.team(other_org, "Team West"))
    with factories.committed() as s:  # the other organisation keeps logs 36 months
        s.add(RetentionPeriod(organisation_id=other_org.id, kind="practice_log", months=36))
    kept.append(factories.practice_log(elsewhere, session_date=date(2024, 5, 31)))
    gone_leaver = _leaver(org, "weg@example.org", datetime(2026, 2, 28, tzinfo=UTC))  # left > 3 months ago
    recent_leaver = _leaver(org, "net.weg@example.org", datetime(2026, 3, 2, tzinfo=UTC))
    own = factories.reflection(practitioner)  # the author is still here: kept until they delete it
    _access(org, datetime(2021, 5, 31, tzinfo=UTC))  # 60 months and a day
    _access(org, datetime(2021, 6, 2, tzinfo=UTC))

    first = run_job(app, apply_retention, NOW)
    assert first[org.id] == NOTHING | {"practice_log": 1, "reflection_after_leaving": 3, "access_log": 1}
    assert first[other_org.id] == NOTHING
    assert _ids(app, PracticeLog) == {log.id for log in kept} and old.id not in _ids(app, PracticeLog)
    with app.app_context():
        authors = set(db.session.scalars(select(Reflection.author_id)))
        assert authors == {recent_leaver.id, practitioner.id}
        assert db.session.get(Reflection, own.id) is not None
        assert set(db.session.scalars(select(ReflectionDraft.user_id))) == {recent_leaver.id}
        assert set(db.session.scalars(select(OutboxEmail.recipient))) == {"net.weg@example.org"}
        reads = db.session.scalars(select(AccessLog.at).where(AccessLog.action == "read")).all()
        assert [at.date() for at in reads] == [date(2021, 6, 2)]
        assert db.session.get(User, gone_leaver.id) is not None  # the account itself stays

    second = run_job(app, apply_retention, NOW)
    assert all(n == 0 for counts in second.values() for n in counts.values())
    with app.app_context():
        runs = db.session.scalars(select(AccessLog).where(AccessLog.action == "retention",
                                                          AccessLog.organisation_id == org.id)).all()
        assert [r.detail for r in runs] == [
            "client_voice=0,client_feedback_request=0,practice_log=1,coach_feedback=0,observation=0,"
            "learning_goal=0,reflection_after_leaving=3,access_log=1",
            "client_voice=0,client_feedback_request=0,practice_log=0,coach_feedback=0,observation=0,"
            "learning_goal=0,reflection_after_leaving=0,access_log=0"]
        assert all(r.actor_id is None and r.actor_role == "system" for r in runs)
        run = db.session.get(RetentionRun, org.id)
        assert (run.ran_at, run.deleted) == (NOW, 0)


def test_admins_see_and_change_the_settings_and_the_last_run(app, client, org, admin):
    run_job(app, apply_retention, NOW)
    client.login_as(admin)
    page = client.get("/admin/privacy")
    assert page.status_code == 200 and 'value="24"' in page.text and 'value="60"' in page.text
    assert "1 jun 2026" in page.text or "01-06-2026" in page.text or "2026" in page.text
    for kind in NOTHING:  # every kind has its field, saying from when its months count
        assert f'name="{kind}"' in page.text and f'id="{kind}-hint"' in page.text
    assert "Feedback van coaches" in page.text and "Afgesloten leerdoelen" in page.text
    assert "Open doelen blijven bewaard" in page.text
    data = {"practice_log": "36", "client_voice": "24", "reflection_after_leaving": "3", "access_log": "6",
            "client_feedback_request": "24", "coach_feedback": "24", "observation": "12",
            "learning_goal": "24"}
    assert client.submit("/admin/privacy", data).status_code == 400  # the access log: a year at least
    data["access_log"] = "84"
    data["second_factor_for_all"] = "y"
    assert client.submit("/admin/privacy", data).status_code == 302
    with app.app_context():
        rows = dict(db.session.execute(select(RetentionPeriod.kind, RetentionPeriod.months)
                                       .where(RetentionPeriod.organisation_id == org.id)).all())
        assert rows == {"practice_log": 36, "observation": 12, "access_log": 84}  # the defaults are no rows
        assert db.session.get(type(org), org.id).second_factor_for_all is True


def test_the_settings_page_shows_each_saved_change_and_each_run_at_once(app, client, org, admin):
    """The form is kept as made while it shows no errors (retention.views.settings): it follows
    the saved settings, the last run and the language."""
    client.login_as(admin)
    client.submit("/language", {"language": "nl", "next": "/"})
    page = client.get("/admin/privacy").text
    assert "Het opschonen is nog niet uitgevoerd." in page and 'value="36"' not in page
    data = {"practice_log": "36", "client_voice": "24", "reflection_after_leaving": "3", "access_log": "84",
            "client_feedback_request": "24", "coach_feedback": "24", "observation": "12",
            "learning_goal": "24", "second_factor_for_all": "y"}
    assert client.submit("/admin/privacy", data).status_code == 302
    page = client.get("/admin/privacy").text
    assert 'value="36"' in page and _checked(page, "second_factor_for_all")
    del data["second_factor_for_all"]
    assert client.submit("/admin/privacy", data).status_code == 302
    assert not _checked(client.get("/admin/privacy").text, "second_factor_for_all")
    run_job(app, apply_retention, NOW)
    page = client.get("/admin/privacy").text
    assert "Laatst uitgevoerd:" in page and "Het opschonen is nog niet uitgevoerd." not in page
    client.submit("/language", {"language": "en", "next": "/"})
    assert "Last run:" in client.get("/admin/privacy").text


def _checked(page: str, name: str) -> bool:
    box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert box, name
    return " checked" in box.group(0)
