"""Shared pieces of the benchmarks: databases to run on, a gunicorn server, a tiny HTTP client."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "instance" / "bench"
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def database_urls(which: str, name: str) -> dict[str, str]:
    """{"sqlite": url, "postgresql": url} for the chosen databases; PostgreSQL only if it answers."""
    urls: dict[str, str] = {}
    if which in ("sqlite", "both"):
        DATA.mkdir(parents=True, exist_ok=True)
        urls["sqlite"] = f"sqlite:///{DATA / (name + '.db')}"
    if which in ("postgresql", "both"):
        try:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first()
                if not exists:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            urls["postgresql"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        except Exception as exc:  # noqa: BLE001
            print(f"PostgreSQL skipped: {str(exc).splitlines()[0]}")
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, workers: int = 2, **extra: str
             ) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A production-configured gunicorn (sync workers) on a free loopback port; `extra` settings."""
    env = {**extra,
        "WERKZAAM_ENV": "production", "SECRET_KEY": "bench-secret",
        "DATABASE_URL": database_url, "SESSION_COOKIE_SECURE": "false",
        "THROTTLE_FREE_FAILURES": "1000", "THROTTLE_FREE_FAILURES_PER_ADDRESS": "1000",
    }
    with serve("run:app", workers, env, "/health") as running:
        yield running


@contextmanager
def hello_world(workers: int = 2) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """bench/hello_app.py (a bare Flask hello-world) under the same gunicorn settings."""
    with serve("bench.hello_app:app", workers, {}, "/") as running:
        yield running


@contextmanager
def serve(target: str, workers: int, env: dict[str, str], ready: str
          ) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """gunicorn with sync workers serving `target` on a free loopback port, once `ready` answers."""
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env={**os.environ, **env},
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if request(port, "GET", ready)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def worker_peak_mib(master_pid: int) -> float:
    """The highest peak resident memory (VmHWM) among the gunicorn master's worker processes."""
    peak = 0
    for child in Path("/proc").glob("[0-9]*"):
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if f"\nPPid:\t{master_pid}\n" in status:
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            peak = max(peak, int(found.group(1)) if found else 0)
    return peak / 1024


def cpu_times() -> tuple[int, int]:
    """(all CPU time, time taken by the host: "steal") in ticks since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7]


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of CPU time the host (hypervisor) took from this machine between two readings."""
    total = after[0] - before[0]
    return (after[1] - before[1]) / total if total else 0.0


def request(port: int, method: str, path: str, body: str | None = None,
            cookie: str | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def kept_cookie(port: int, path: str, cookie: str) -> str:
    """The session cookie a browser sends after opening `path` with `cookie`.

    The app renews the session cookie when the session changes: the CSRF token made on the first
    page with a form (the cookie of a sign-in has none yet), the "last seen" stamp once a minute.
    A browser keeps what it is given; wrk sends one cookie throughout, so with the sign-in cookie
    every request of a run would make a token and renew the cookie again, which no browser asks of
    the app. Call it just before a run (a run lasts seconds, well within the minute).
    """
    for _ in range(3):
        _status, headers, _body = request(port, "GET", path, cookie=cookie)
        renewed = headers.get("set-cookie")
        if not renewed:
            break
        cookie = renewed.split(";")[0]
    return cookie


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in like a browser and return the session cookie. Privileged accounts of the benchmark
    organisations use the demo's second-factor key; a code works once, so a second sign-in in the
    same 30 seconds waits for the next one."""
    from app.auth.second_factor import code_at, step_of
    from app.db import utcnow
    from app.demo_data import DEMO_TOTP_SECRET

    _status, headers, page = request(port, "GET", "/login")
    cookie = headers["set-cookie"].split(";")[0]
    body = urlencode({"csrf_token": csrf_token(page), "email": email, "password": password})
    status, headers, _ = request(port, "POST", "/login", body, cookie)
    assert status == 302, f"sign-in failed for {email}: {status}"
    cookie = headers["set-cookie"].split(";")[0]
    if not headers.get("location", "").endswith("/login/code"):
        return cookie
    _status, headers, page = request(port, "GET", "/login/code", cookie=cookie)
    cookie = headers.get("set-cookie", cookie).split(";")[0]  # the form's CSRF token lives in it
    token = csrf_token(page)
    for _attempt in range(2):
        code = code_at(DEMO_TOTP_SECRET, step_of(utcnow()))
        status, headers, _ = request(port, "POST", "/login/code",
                                     urlencode({"csrf_token": token, "code": code}), cookie)
        if status == 302:
            return headers["set-cookie"].split(";")[0]
        time.sleep(31 - utcnow().timestamp() % 30)  # that code was used: wait for the next one
    raise AssertionError(f"second factor refused for {email}")


def csrf_token(page: str) -> str:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the page"
    return token.group(1)


def load_organisation(url: str, name: str, scale: tuple[int, int, int], password: str,
                      label: str = "") -> None:
    """Migrate the database at `url` and build organisation `name` (teams, practitioners per team,
    months of logs) once; later runs find it and reuse it."""
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from app import create_app
    from app.cli import upgrade_database
    from app.db import db, utcnow
    from app.demo_data import build_organisation
    from app.organisations.models import Organisation
    from config import Config

    settings = Config()
    settings.DATABASE_URL = url
    settings.SECRET_KEY = "bench"
    app = create_app(settings)
    with app.app_context():
        upgrade_database(url)
        if db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is None:
            started = time.perf_counter()
            counts = build_organisation(name, *scale, password, utcnow())
            db.session.commit()
            print(f"  {label}loaded {counts['logs']:,} logs in {time.perf_counter() - started:.0f} s")
    app.extensions["db"]["engine"].dispose()


def forget_posted_logs(url: str, since: Any) -> int:
    """Delete the logs a benchmark posted through the form since `since`, with their elements,
    techniques and participants; returns how many. The pages a next run measures (a home page
    counts the last weeks' logs) then show the same data set, not it plus every earlier run's
    posts. The form's submission keys are 32 hex digits; the generated data's have dashes."""
    from sqlalchemy import delete, select

    from app.practice.models import (
        PracticeLog,
        PracticeLogElement,
        PracticeLogParticipant,
        PracticeLogTechnique,
    )

    posted = select(PracticeLog.id).where(PracticeLog.created_at >= since,
                                          PracticeLog.submission_key.not_like("%-%"))
    engine = create_engine(url)
    with engine.begin() as conn:
        for child in (PracticeLogElement, PracticeLogParticipant, PracticeLogTechnique):
            conn.execute(delete(child).where(child.log_id.in_(posted)))
        gone = conn.execute(delete(PracticeLog).where(PracticeLog.id.in_(posted))).rowcount
    engine.dispose()
    return int(gone)

