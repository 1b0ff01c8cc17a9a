"""The scheduler as a real process: one leader, a second copy exits, queued mail goes out, clean stop.

The SQLite run tests the file lock; the `--database=postgresql` run tests the advisory lock
against a throw-away database (advisory locks are per database, so it never meets a scheduler
that runs against another one).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.cli import upgrade_database
from app.db import db, make_engine
from app.mail.services import queue_email
from app.scheduler import LOCK_KEY
from config import TestingConfig
from tests.db.pg import fresh_database

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 30


class Process:
    """A `flask --app run scheduler` child whose output is collected by a reader thread."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "scheduler"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, needle: str, timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if self.proc.poll() is not None:
                self._reader.join(timeout=5)
                if needle in self.output:
                    return
                pytest.fail(f"scheduler exited ({self.proc.returncode}) before {needle!r}:\n{self.output}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {needle!r} within {timeout}s:\n{self.output}")
            time.sleep(0.05)

    def wait(self, timeout: float = STARTUP_SECONDS) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of the run's kind with one mail in the outbox."""
    with ExitStack() as stack:
        if request.config.getoption("--database") == "postgresql":
            url = stack.enter_context(fresh_database("werkzaam_scheduler"))
        else:
            url = f"sqlite:///{tmp_path / 'scheduler.db'}"
        upgrade_database(url)

        class Settings(TestingConfig):
            DATABASE_URL = url

        app = create_app(Settings())
        with app.app_context():
            queue_email("colleague@example.org", "Welkom bij Werkzaam", "Hallo,\n\nWelkom.\n")
            db.session.commit()
        app.extensions["db"]["engine"].dispose()
        yield url


@pytest.fixture
def scheduler_env(database: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "SCHEDULER_"))}
    env.pop("SECRET_KEY", None)
    env.update(
        WERKZAAM_ENV="development",
        DATABASE_URL=database,
        WERKZAAM_INSTANCE=str(tmp_path / "instance"),
        MAIL_BACKEND="file",
        MAIL_DIR=str(tmp_path / "mail"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _lock_is_free(url: str, instance: Path) -> bool:
    if url.startswith("sqlite"):
        with open(instance / "scheduler.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(fh, fcntl.LOCK_UN)
            return True
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            return bool(got)
    finally:
        engine.dispose()


def test_one_scheduler_sends_mail_and_stops_cleanly(
    scheduler_env: dict[str, str], database: str, tmp_path: Path
) -> None:
    mail_dir = tmp_path / "mail"
    first = Process(scheduler_env)
    try:
        first.wait_for("Scheduler started")

        second = Process(scheduler_env)
        try:
            assert second.wait() == 3, second.output
        finally:
            second.kill()
        assert "Another scheduler process is already running" in second.output

        # send_outbox runs at start (next_run_time=now): the queued mail becomes a file.
        deadline = time.monotonic() + 15
        while not list(mail_dir.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.1)
        files = list(mail_dir.glob("*.eml"))
        assert len(files) == 1, f"no mail written:\n{first.output}"
        content = files[0].read_text()
        assert "To: colleague@example.org" in content
        assert "Welkom bij Werkzaam" in content

        # A process manager stops it with SIGTERM (make run too): it exits 0 and frees the lock.
        first.proc.send_signal(signal.SIGTERM)
        assert first.wait(timeout=15) == 0, first.output
        assert "Scheduler stopped" in first.output
        assert "Traceback" not in first.output, first.output
        assert _lock_is_free(database, tmp_path / "instance")
    finally:
        first.kill()

    engine = make_engine(database)
    with engine.connect() as conn:
        sent = conn.execute(text("SELECT count(*) FROM outbox_emails WHERE sent_at IS NOT NULL")).scalar()
    engine.dispose()
    assert sent == 1


def _add_due_team_schedule(database: str, team_name: str, members: int) -> None:
    """A team whose weekly schedule had an occurrence half an hour ago (Amsterdam time)."""
    from datetime import timedelta

    from app.clock import AMSTERDAM
    from app.db import utcnow
    from tests import factories

    class Settings(TestingConfig):
        DATABASE_URL = database

    app = create_app(Settings())
    with app.app_context():
        from app.organisations.models import Organisation

        org = db.session.query(Organisation).first() or factories.organisation("Scheduler Test")
        team = factories.team(org, team_name)
        for i in range(members):
            factories.user(org, f"{team_name.lower().replace(' ', '')}{i}@example.org", team=team)
        occurrence = (utcnow() - timedelta(minutes=30)).astimezone(AMSTERDAM)
        factories.schedule(
            team=team, since=utcnow() - timedelta(days=8), weekday=occurrence.weekday(),
            at=occurrence.time().replace(second=0, microsecond=0),
        )
    app.extensions["db"]["engine"].dispose()


def _prompts(database: str) -> tuple[int, int]:
    """(prompts, prompt mails queued): every member gets an instant mail per prompt, so a prompt
    written twice, or a mail queued again for a prompt that was already there, shows as a
    difference (the database fixture's welcome mail to the colleague is not counted)."""
    engine = make_engine(database)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT (SELECT count(*) FROM reflection_prompts), "
            "(SELECT count(*) FROM outbox_emails WHERE recipient <> 'colleague@example.org')"
        )).one()
    engine.dispose()
    return int(row[0]), int(row[1])


def _wait_for_prompts(database: str, expected: int, process: Process) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while _prompts(database)[0] < expected:
        if time.monotonic() > deadline:
            pytest.fail(f"{_prompts(database)} prompts, expected {expected}:\n{process.output}")
        time.sleep(0.1)


def test_a_killed_scheduler_restarts_without_a_missed_or_duplicated_prompt(
    scheduler_env: dict[str, str], database: str
) -> None:
    _add_due_team_schedule(database, "Team Noord", members=3)
    first = Process(scheduler_env)
    try:
        first.wait_for("Scheduler started")
        _wait_for_prompts(database, 3, first)
        os.killpg(first.proc.pid, signal.SIGKILL)  # no clean stop: the lock must still come free
        first.wait()
    finally:
        first.kill()

    # While it is down, another team's occurrence comes due; the restart must catch up on it.
    _add_due_team_schedule(database, "Team Zuid", members=2)
    second = Process(scheduler_env)
    try:
        second.wait_for("Scheduler started")
        _wait_for_prompts(database, 5, second)
        second.wait_for('Job "materialise_prompts')
        time.sleep(0.5)  # a duplicate would have been written by now
        assert _prompts(database) == (5, 5), second.output
        assert "failed" not in second.output.lower() and "Traceback" not in second.output
    finally:
        second.proc.send_signal(signal.SIGTERM)
        second.wait(timeout=15)
        second.kill()
