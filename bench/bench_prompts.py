"""materialise_prompts for one occurrence of a weekly team schedule reaching 10,000 practitioners.

Builds a fresh database (a temporary SQLite file; on PostgreSQL a separate `werkzaam_bench`
database, created and dropped with autocommit, skipped when no server answers), bulk-inserts one
organisation with one team of 10,000 practitioners and a due Friday-14:00 schedule, then times the
job as the scheduler runs it (own app context, one commit): the first run creates 10,000 prompts
and queues 10,000 instant e-mails (the default preference); the second run must create nothing.
Target: the first run ≤ 2 s.

    .venv/bin/python bench/bench_prompts.py [--database both|sqlite|postgresql] [--people 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "werkzaam_bench"
NOW = datetime(2026, 3, 20, 13, 30, tzinfo=UTC)  # Friday 14:30 in Amsterdam
TARGET_SECONDS = 2.0


def _app(url: str) -> Any:
    from app import create_app
    from config import Config

    settings = Config()
    settings.DATABASE_URL = url
    settings.SECRET_KEY = "bench"  # noqa: S105 - a throw-away database
    settings.BASE_URL = "https://werkzaam.example.org"
    return create_app(settings)


def load(app: Any, people: int) -> None:
    """One organisation, one team of `people` practitioners, one due weekly schedule (bulk)."""
    from app.auth.models import User
    from app.db import db
    from app.organisations.models import Organisation
    from app.prompts.models import Schedule
    from app.teams.models import Membership, Team

    with app.app_context():
        s = db.session
        org_id = s.execute(insert(Organisation).values(name="Bench", min_group_size=5, created_at=NOW)
                           .returning(Organisation.id)).scalar_one()
        team_id = s.execute(insert(Team).values(organisation_id=org_id, name="Team Groot", created_at=NOW)
                            .returning(Team.id)).scalar_one()
        s.execute(insert(User), [
            {"organisation_id": org_id, "email": f"p{i}@bench.example.org",
             "email_normalized": f"p{i}@bench.example.org", "display_name": f"Practitioner {i}",
             "language": "en" if i % 5 == 0 else "nl", "password_hash": None, "active": True,
             "session_token": f"t{i}", "created_at": NOW}
            for i in range(people)
        ])
        ids = s.scalars(select(User.id).where(User.organisation_id == org_id)).all()
        s.execute(insert(Membership), [
            {"user_id": uid, "team_id": team_id, "role": "practitioner", "started_on": date(2025, 1, 1)}
            for uid in ids
        ])
        since = NOW - timedelta(days=10)
        s.execute(insert(Schedule).values(
            organisation_id=org_id, team_id=team_id, kind="recurring", template_key="alact", weekday=4,
            local_time=clock(14, 0), interval_weeks=1, anchor_date=since.date(), active=True,
            active_since=since, created_at=since,
        ))
        s.commit()


def measure(url: str, people: int) -> tuple[float, float, int, int]:
    """(first run s, second run s, prompts, mails) on a freshly migrated database at `url`."""
    from app.cli import upgrade_database
    from app.db import db
    from app.mail.models import OutboxEmail
    from app.prompts.jobs import materialise_prompts
    from app.prompts.models import Prompt
    from app.scheduler import run_job

    upgrade_database(url)
    app = _app(url)
    load(app, people)
    started = time.perf_counter()
    first = run_job(app, materialise_prompts, NOW)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = run_job(app, materialise_prompts, NOW + timedelta(minutes=1))
    second_s = time.perf_counter() - started
    with app.app_context():
        prompts = db.session.scalar(select(func.count(Prompt.id))) or 0
        mails = db.session.scalar(select(func.count(OutboxEmail.id))) or 0
    assert first["prompts"] == people and second["prompts"] == 0 and prompts == people
    app.extensions["db"]["engine"].dispose()
    return first_s, second_s, int(prompts), int(mails)


def _report(name: str, result: tuple[float, float, int, int]) -> None:
    first_s, second_s, prompts, mails = result
    verdict = "OK" if first_s <= TARGET_SECONDS else f"OVER the {TARGET_SECONDS:.0f} s target"
    print(f"{name:<11} first run {first_s:6.3f} s ({prompts:,} prompts, {mails:,} mails queued)  "
          f"second run {second_s:6.3f} s (nothing new)  {verdict}")


def run_sqlite(people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _report("SQLite", measure(f"sqlite:///{Path(folder) / 'bench.db'}", people))


def run_postgresql(people: int) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{PG_BENCH_DB}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server to bench on"
        print(f"PostgreSQL  skipped: {str(exc).splitlines()[0]}")
        admin.dispose()
        return
    try:
        url = make_url(PG_URL).set(database=PG_BENCH_DB).render_as_string(hide_password=False)
        _report("PostgreSQL", measure(url, people))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    print(f"materialise_prompts: one weekly occurrence for {args.people:,} practitioners in one team")
    if args.database in ("both", "sqlite"):
        run_sqlite(args.people)
    if args.database in ("both", "postgresql"):
        run_postgresql(args.people)


if __name__ == "__main__":
    main()
