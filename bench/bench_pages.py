"""Every signed-in page under load on a million logs, against a bare Flask hello-world.

For SQLite and PostgreSQL with the large data set (50 teams × 20 practitioners × 36 months, about a
million logs; bench_log_submit.prepare), under gunicorn as README advises (sync workers; see
`recommended_workers`), 16 clients on loopback: requests per second, p50 and p99 of every GET page
without an id of the practitioner, the coach, the lead and the admin, one log and one reflection
by id, and the log form's POST. Each round measures bench/hello_app.py (the same gunicorn settings)
before and after the pages, so a busy moment of the machine hits both; a page's ratio is to the
hello-world of its own round. Medians over the rounds. Also per page: the SQL statements of one
request (in-process, on the same database with the same signed-in session), the peak memory of a
worker, and a practitioner with 3 years of logs against one with 3 months (server time of the home
page and of /logs, one request at a time). Then, per page, where one request's server time goes:
SQL, loading the signed-in user, templates and the rest (bench/phases.py), to say where a page
that stays short of its target spends its time.

Targets: every page ≥ 10 % of hello-world, the log POST ≥ 15 %, p99 < 100 ms, worker < 100 MiB,
3 years within 1.2× of 3 months.

    .venv/bin/python bench/bench_pages.py [--database both|sqlite|postgresql] [--rounds 3] [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import utcnow  # noqa: E402
from app.demo_data import DEMO_TOTP_SECRET  # noqa: E402
from bench.bench_log_submit import (  # noqa: E402
    PASSWORD,
    _ms,
    count_logs,
    kept_sessions,
    log_body,
    prepare,
    recommended_workers,
    settle,
)
from bench.bench_log_submit import sign_in as sign_in_for_posts  # noqa: E402
from bench.bench_log_submit import wrk_load as wrk_posts  # noqa: E402
from bench.common import (  # noqa: E402
    database_urls,
    forget_posted_logs,
    gunicorn,
    hello_world,
    kept_cookie,
    worker_peak_mib,
)
from bench.common import sign_in as common_sign_in  # noqa: E402
from bench.phases import PHASES, split  # noqa: E402

SLUG = "jeugdhulpgroot"
SHORT_ORG = "Jeugdhulp Kort"  # the same practice, 3 months of it
SHORT_SLUG = "jeugdhulpkort"
SECRET = DEMO_TOTP_SECRET  # the authenticator of coach, lead and admin, as in the demo
ROLES = {"practitioner": "practitioner1", "coach": "coach1", "lead": "lead1", "admin": "admin1"}
PAGES: dict[str, tuple[str, ...]] = {
    "practitioner": ("/", "/logs", "/logs?page=20", "/logs/new", "/logs/{log}", "/reflection/inbox",
                     "/reflection/", "/reflection/{reflection}", "/goals/", "/notifications/",
                     "/coaching/mine", "/dashboards/", "/dashboards/me", "/account"),
    "coach": ("/", "/coaching/", "/reflection/shared"),
    "lead": ("/", "/dashboards/", "/reflection/groups", "/reflection/schedules"),
    "admin": ("/admin/users", "/admin/teams", "/admin/catalogue", "/admin/privacy"),
}


def prepare_pages(url: str) -> dict[str, int]:
    """The large data set, a 3-month organisation beside it, an authenticator for the accounts
    that need one, and a reflection to open; returns the ids the pages need."""
    prepare(url, "large")
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from app.auth.models import SecondFactor, User
    from app.db import db, utcnow
    from app.demo_data import build_organisation
    from app.organisations.models import Organisation
    from app.practice.models import PracticeLog
    from app.reflection.models import Reflection

    app = _app(url)
    with app.app_context():
        if db.session.scalar(select(Organisation.id).where(Organisation.name == SHORT_ORG)) is None:
            build_organisation(SHORT_ORG, 1, 20, 3, PASSWORD, utcnow(), seed=11)
        for local in ("coach1", "lead1", "admin1"):
            user = db.session.scalar(select(User).where(User.email == f"{local}@{SLUG}.example"))
            assert user is not None
            db.session.merge(SecondFactor(user_id=user.id, secret=SECRET, enrolled_at=utcnow(),
                                          last_step=None))
        author = db.session.scalar(select(User).where(User.email == f"practitioner1@{SLUG}.example"))
        assert author is not None
        reflection = db.session.scalar(
            select(Reflection.id).where(Reflection.author_id == author.id).limit(1))
        if reflection is None:
            now = utcnow()
            row = Reflection(organisation_id=author.organisation_id, author_id=author.id,
                             template_key="alact",
                             answers={"action": "Een gesprek over samen beslissen."},
                             created_at=now, updated_at=now)
            db.session.add(row)
            db.session.flush()
            reflection = row.id
        log = db.session.scalar(select(PracticeLog.id).where(PracticeLog.author_id == author.id)
                                .order_by(PracticeLog.session_date.desc()).limit(1))
        db.session.commit()
    app.extensions["db"]["engine"].dispose()
    return {"log": int(log or 0), "reflection": int(reflection)}


def _app(url: str) -> Any:
    from app import create_app
    from config import config_for

    os.environ.setdefault("SECRET_KEY", "bench-secret")  # production asks for it; set below anyway
    settings = config_for("production")  # as bench.common.gunicorn runs it: its sessions work here
    settings.SECRET_KEY = "bench-secret"
    settings.DATABASE_URL = url
    return create_app(settings)


def sign_in(port: int, email: str) -> str:
    """Sign in like a browser (the password, then the authenticator's code when asked)."""
    return common_sign_in(port, email, PASSWORD)


def wrk_load(port: int, path: str, cookie: str | None, clients: int, seconds: float
             ) -> tuple[float, float, float]:
    """wrk, one connection per client: (requests per second, p50 ms, p99 ms); a page that answers
    with anything but 200 (or not within the run) stops the benchmark."""
    threads = min(clients, os.cpu_count() or 1)
    args = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "--timeout", "10s",
            "-H", "Accept-Encoding: gzip"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    p50 = re.search(r"^\s*50%\s+(\S+)\s*$", out, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+(\S+)\s*$", out, re.MULTILINE)
    if "Non-2xx" in out or p50 is None or p99 is None:
        raise RuntimeError(f"{path} under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rate, _ms(p50.group(1)), _ms(p99.group(1))


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    from sqlalchemy import event

    from app.db import db

    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def in_process(app: Any, cookie: str, path: str, repeat: int = 0) -> tuple[int, float]:
    """(SQL statements of one request, median server time in ms over `repeat` more requests)."""
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": cookie}
    first = client.get(path, headers=headers)
    assert first.status_code == 200, (path, first.status_code, first.headers.get("Location"))
    with counting(app) as statements:
        client.get(path, headers=headers)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return len(statements), median(times) if times else 0.0


@dataclass
class Row:
    label: str
    rates: list[float]
    ratios: list[float]
    p50: list[float]
    p99: list[float]
    statements: int | None = None


def history(app: Any, port: int) -> None:
    """Home and /logs of a practitioner with 3 years of logs against one with 3 months.

    The two alternate request by request, so a change in the machine's speed during the
    measurement falls on both alike; each side's median is taken.
    """
    long = sign_in(port, f"practitioner2@{SLUG}.example")
    short = sign_in(port, f"practitioner2@{SHORT_SLUG}.example")
    for path in ("/", "/logs"):
        n_long, _ = in_process(app, long, path)
        n_short, _ = in_process(app, short, path)
        times: dict[str, list[float]] = {long: [], short: []}
        client = app.test_client(use_cookies=False)
        for _ in range(100):
            for cookie in (long, short):
                started = time.perf_counter()
                client.get(path, headers={"Cookie": cookie})
                times[cookie].append((time.perf_counter() - started) * 1000)
        t_long, t_short = median(times[long]), median(times[short])
        print(f"  3 years against 3 months, {path:<6} {t_long:5.1f} ms / {t_short:5.1f} ms = "
              f"{t_long / t_short:.2f}×   statements {n_long} / {n_short}   (target ≤ 1.2×)")


def where_time_goes(app: Any, port: int, url: str, cookies: dict[str, str],
                    pages: list[tuple[str, str]], poster: tuple[str, str]) -> None:
    """Each page's server time split into phases (bench/phases.py), and the log POST's; with the
    cookies a browser would send (kept_cookie), as under load."""
    print("  where a request's server time goes (in-process, one request at a time, mean of 100; "
          "bench/phases.py): ms, then each phase in ms and share")
    print(f"  {'endpoint':<44} {'ms':>5}  " + "  ".join(f"{phase:<10}" for phase in PHASES))
    client = app.test_client(use_cookies=False)

    def show(label: str, send: Any) -> None:
        measured = split(app, send)
        print(f"  {label:<44} {measured.total:5.2f}  {measured.cells()}")

    for role, path in pages:
        headers = {"Cookie": kept_cookie(port, path, cookies[role])}
        show(f"{role} GET {path}", lambda path=path, headers=headers: client.get(path, headers=headers))
    cookie, token = kept_cookie(port, "/logs/new", poster[0]), poster[1]
    scheme = app.config["PREFERRED_URL_SCHEME"]  # the test client's; CSRF checks the referrer there
    posted = {"Cookie": cookie, "Referer": f"{scheme}://localhost/logs/new",
              "Content-Type": "application/x-www-form-urlencoded"}

    def post() -> None:
        response = client.post("/logs/new", data=log_body(token), headers=posted)
        assert response.status_code == 302 and "/logs/new" not in response.location, response.status

    started = utcnow()
    show("practitioner POST /logs/new", post)
    forget_posted_logs(url, started)


def run(name: str, url: str, args: argparse.Namespace) -> None:
    ids = prepare_pages(url)
    settle(url)
    workers = args.workers or recommended_workers(name)
    print(f"[{name}] {workers} gunicorn sync workers on {os.cpu_count()} cores, {args.clients} clients")
    app = _app(url)
    with gunicorn(url, workers) as (port, proc), hello_world(workers) as (hello_port, _hello):
        cookies = {role: sign_in(port, f"{local}@{SLUG}.example") for role, local in ROLES.items()}
        pages = [(role, path.format(**ids)) for role, paths in PAGES.items() for path in paths]
        rows = {f"{role} GET {path}": Row(f"{role} GET {path}", [], [], [], []) for role, path in pages}
        hello = Row("bare Flask hello-world", [], [], [], [])
        post = Row("practitioner POST /logs/new", [], [], [], [])
        posters = [sign_in_for_posts(port, f"practitioner{i}@{SLUG}.example")
                   for i in range(1, args.clients + 1)]
        started = utcnow()
        for _round in range(args.rounds):
            before = wrk_load(hello_port, "/", None, args.clients, args.seconds)
            measured = []
            for role, path in pages:
                cookies[role] = kept_cookie(port, path, cookies[role])  # as a browser would send it
                measured.append((rows[f"{role} GET {path}"],
                                 wrk_load(port, path, cookies[role], args.clients, args.seconds)))
            posters = kept_sessions(port, posters)
            saved = count_logs(url)
            _done, p50, p99 = wrk_posts(port, posters, args.seconds, True)
            measured.append((post, ((count_logs(url) - saved) / args.seconds, p50, p99)))
            after = wrk_load(hello_port, "/", None, args.clients, args.seconds)
            yardstick = (before[0] + after[0]) / 2
            for row, (rate, p50, p99) in [*measured, (hello, (yardstick, (before[1] + after[1]) / 2,
                                                               max(before[2], after[2])))]:
                row.rates.append(rate)
                row.ratios.append(rate / yardstick)
                row.p50.append(p50)
                row.p99.append(p99)
        forget_posted_logs(url, started)  # the history below and a next run see the data set alone
        for role, path in pages:
            rows[f"{role} GET {path}"].statements = in_process(app, cookies[role], path)[0]
        print(f"  {'endpoint':<44} {'req/s':>7} {'÷ hello':>8} {'p50 ms':>7} {'p99 ms':>7} {'SQL':>4}")
        short: list[str] = []
        for row in [hello, *rows.values(), post]:
            target = 0.15 if row is post else 0.10
            ratio = median(row.ratios)
            if row is not hello and (ratio < target or median(row.p99) >= 100):
                short.append(row.label)
            print(f"  {row.label:<44} {median(row.rates):7.0f} {ratio:8.1%} {median(row.p50):7.1f} "
                  f"{median(row.p99):7.1f} {'' if row.statements is None else row.statements:>4}")
        print(f"  peak worker memory (VmHWM): {worker_peak_mib(proc.pid):.1f} MiB   (target < 100 MiB)")
        print(f"  short of a target (≥ 10 % / POST ≥ 15 %, p99 < 100 ms): {', '.join(short) or 'none'}")
        where_time_goes(app, port, url, cookies, pages, posters[0])
        history(app, port)
    app.extensions["db"]["engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="both", choices=("both", "sqlite", "postgresql"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench_pages needs wrk (apt-get install wrk)")
    print(f"bench_pages: {args.clients} clients (wrk), {args.rounds} rounds of {args.seconds:.0f} s per "
          "endpoint; ratios to hello-world measured before and after the pages in the same round")
    for name, url in database_urls(args.database, "werkzaam_bench_large").items():
        run(name, url, args)


if __name__ == "__main__":
    main()
