"""Log-form submissions per second through the full app path, against a bare Flask hello-world.

Under gunicorn (sync workers) on loopback, 16 concurrent clients first hit bench/hello_app.py (a
bare Flask hello-world under the same gunicorn settings: the denominator), then the app's /health
(a database round trip through the app's middleware, shown as an extra line), then signed in
submit the practice-log form (session, CSRF, validation, insert, redirect), on SQLite and PostgreSQL
with the large data set (50 teams × 20 practitioners × 36 months) loaded. The three alternate for
a few rounds, so a busy moment of the machine hits all, and the medians are printed: the rates,
the ratios to hello-world, p50/p99 latencies, the peak memory of a worker, and how much CPU time
the host took meanwhile. Targets: ratio to hello-world ≥ 15 %, p99 < 100 ms, worker < 100 MiB.
The server runs as README advises for production (workers: see `recommended_workers`).

    .venv/bin/python bench/bench_log_submit.py [--database both|sqlite|postgresql] [--scale large|small]
        [--client wrk|python] [--rounds 5] [--seconds 5] [--workers N]

The load comes from wrk (Debian's package) when it is installed: a C load generator takes little
of the two cores the server needs. `--client python` uses 16 Python threads instead. Successful
submissions are counted in the database, not from status codes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import utcnow  # noqa: E402
from bench.common import (  # noqa: E402
    cpu_times,
    database_urls,
    forget_posted_logs,
    gunicorn,
    hello_world,
    kept_cookie,
    load_organisation,
    percentile,
    request,
    steal_share,
    worker_peak_mib,
)

LUA = Path(__file__).resolve().parent / "log_submit.lua"
FIELDS = {
    "session_date": date.today().isoformat(), "duration_minutes": "60", "setting": "home",
    "participants": "youth", "age_band": "12-18", "phase": "working",
    "applied_shared_decision_making": "y", "t_sdm_goals_asked": "y", "t_sdm_decided_together": "y",
    "rating_shared_decision_making": "4",
    "applied_emotion_regulation": "y", "t_er_validated": "y", "rating_emotion_regulation": "3",
    "note": "",
}

ORG = "Jeugdhulp Groot"
PASSWORD = "demo-werkzaam-2026"
SCALES = {"large": (50, 20, 36), "small": (5, 20, 6)}


def prepare(url: str, scale: str) -> None:
    """Migrate and load the data set once; later runs reuse it."""
    load_organisation(url, ORG, SCALES[scale], PASSWORD)


def sign_in(port: int, email: str) -> tuple[str, str]:
    """Sign in like a browser; returns the session cookie and a CSRF token for the log form."""
    status, headers, page = request(port, "GET", "/login")
    cookie = headers["set-cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    body = urlencode({"csrf_token": token.group(1), "email": email, "password": PASSWORD})
    status, headers, _ = request(port, "POST", "/login", body, cookie)
    assert status == 302, f"sign-in failed for {email}: {status}"
    cookie = headers["set-cookie"].split(";")[0]
    status, headers, page = request(port, "GET", "/logs/new", cookie=cookie)
    assert status == 200, status
    cookie = headers.get("set-cookie", cookie).split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the log form"
    return cookie, token.group(1)


def kept_sessions(port: int, sessions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The signed-in sessions with the cookies a browser would send by now (common.kept_cookie):
    wrk posts with one cookie throughout, and one older than a minute would have every post renew
    it. The CSRF tokens stay valid."""
    return [(kept_cookie(port, "/logs/new", cookie), token) for cookie, token in sessions]


def log_body(token: str) -> str:
    return urlencode({"csrf_token": token, "submission_key": uuid.uuid4().hex, **FIELDS})


def count_logs(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM practice_logs")).scalar() or 0)
    engine.dispose()
    return n


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    assert match, f"wrk printed a latency of {value!r}"
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk_load(
    port: int, sessions: list[tuple[str, str]], seconds: float, submit: bool, path: str = "/health"
) -> tuple[int, float, float]:
    """Run wrk with one connection per client; returns (requests done, p50 ms, p99 ms).

    One wrk thread per core (each serves several connections): more threads than cores would only
    take turns on the CPU the server needs.
    """
    threads = min(len(sessions), os.cpu_count() or 1)
    args = ["wrk", f"-t{threads}", f"-c{len(sessions)}", f"-d{int(seconds)}s", "--latency"]
    url = f"http://127.0.0.1:{port}{path}"
    script = None
    if submit:
        pairs = ", ".join(f'{{"{cookie}", "{token}"}}' for cookie, token in sessions)
        header = f'SESSIONS = {{{pairs}}}\nFIELDS = "{urlencode(FIELDS)}"\n'
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script.write(header + LUA.read_text())
        script.close()
        args += ["-s", script.name]
        url = f"http://127.0.0.1:{port}/logs/new"
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    if script is not None:
        Path(script.name).unlink()
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)$", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)$", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return done, p50, p99


def load(
    port: int, sessions: list[tuple[str, str]], seconds: float, submit: bool, path: str = "/health"
) -> tuple[int, list[float], int]:
    """Every client sends requests back to back for `seconds`; returns (ok, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(cookie: str, token: str) -> None:
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            if submit:
                status, headers, _ = request(port, "POST", "/logs/new", log_body(token), cookie)
                good = status == 302 and "/logs/new" not in headers.get("location", "")
            else:
                status, _, _ = request(port, "GET", path)
                good = status == 200
            mine.append(time.perf_counter() - started)
            bad += not good
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=s) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) - errors[0], latencies, errors[0]


def recommended_workers(database: str) -> int:
    """README's advice: a worker per core, on SQLite (more only queue for the write lock) and on
    PostgreSQL on the same host (its waits are short; a spare worker cost more than it won)."""
    return os.cpu_count() or 1


def settle(url: str) -> None:
    """Start from a settled database, as a production database in steady use is.

    The data set's load (or an earlier run) leaves WAL behind. On PostgreSQL also VACUUM ANALYZE:
    a database in use has autovacuum keep its visibility map and statistics current (so counts
    read the index alone), but a data set loaded in bulk a moment ago has had no such pass, and
    a server may run with autovacuum off. Cheap after the first time: only new pages are visited.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            conn.execute(text("VACUUM (ANALYZE)"))
            conn.execute(text("CHECKPOINT"))
    engine.dispose()
    os.sync()  # and no earlier run's dirty pages left for the disk to write during this one


def measure(
    args: argparse.Namespace, port: int, url: str, sessions: list[tuple[str, str]], submit: bool,
    path: str = "/health",
) -> tuple[float, float, float, int, float]:
    """One run of one endpoint: (requests per second, p50 ms, p99 ms, requests not saved, steal)."""
    before = count_logs(url) if submit else 0
    cpu_before = cpu_times()
    if args.client == "wrk":
        ok, p50, p99 = wrk_load(port, sessions, args.seconds, submit, path)
    else:
        ok, lat, _err = load(port, sessions, args.seconds, submit, path)
        p50, p99 = percentile(lat, 50) * 1000, percentile(lat, 99) * 1000
    errors = 0
    if submit:
        # Only logs that reached the database count as submissions.
        created = count_logs(url) - before
        errors, ok = max(0, round(ok) - created), created
    return ok / args.seconds, p50, p99, errors, steal_share(cpu_before, cpu_times())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="both", choices=("both", "sqlite", "postgresql"))
    parser.add_argument("--scale", default="large", choices=tuple(SCALES))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: recommended_workers, as README advises)")
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args()
    print(f"bench_log_submit: {args.clients} clients ({args.client}), {args.rounds} rounds of "
          f"{args.seconds:.0f} s per endpoint, gunicorn sync workers, data set {args.scale}")
    print("  Each round measures the trivial endpoint, then the log form, so both see the same machine;")
    print("  the figures are the medians over the rounds (the range in brackets).")
    for name, url in database_urls(args.database, f"werkzaam_bench_{args.scale}").items():
        print(f"[{name}]")
        prepare(url, args.scale)
        settle(url)
        workers = args.workers or recommended_workers(name)
        print(f"  {workers} gunicorn sync workers on {os.cpu_count()} cores")
        with gunicorn(url, workers) as (port, proc), hello_world(workers) as (hello_port, _hello):
            emails = [f"practitioner{i}@jeugdhulpgroot.example" for i in range(1, args.clients + 1)]
            sessions = [sign_in(port, email) for email in emails]
            started = utcnow()
            rounds = []
            for _ in range(args.rounds):
                sessions = kept_sessions(port, sessions)
                rounds.append((measure(args, hello_port, url, sessions, False, "/"),
                               measure(args, port, url, sessions, False),
                               measure(args, port, url, sessions, True)))
            labels = ("bare Flask hello-world GET /", "the app's GET /health",
                      "log submission POST /logs/new")
            for index, label in enumerate(labels):
                runs = [r[index] for r in rounds]
                rate, p50, p99 = ([run[i] for run in runs] for i in range(3))
                print(f"  {label:<32} {median(rate):7.1f} req/s [{min(rate):.0f}–{max(rate):.0f}]"
                      f"   p50 {median(p50):5.1f} ms"
                      f"   p99 {median(p99):5.1f} ms [{min(p99):.0f}–{max(p99):.0f}]"
                      f"   not saved {sum(run[3] for run in runs)}")
            for index, label in ((2, "log submission"), (1, "/health")):
                ratios = [r[index][0] / r[0][0] for r in rounds]
                target = "   (target ≥ 15 %)" if index == 2 else ""
                print(f"  ratio {label} / hello-world: {median(ratios):.0%} "
                      f"[{min(ratios):.0%}–{max(ratios):.0%}]{target}")
            print(f"  log submission p99: {median(r[2][2] for r in rounds):.0f} ms   (target < 100 ms)")
            print(f"  {forget_posted_logs(url, started):,} posted logs deleted again, so a next run "
                  "(and bench_pages) sees the same data set")
            print(f"  peak worker memory (VmHWM): {worker_peak_mib(proc.pid):.1f} MiB   (target < 100 MiB)")
            steal = [run[4] for pair in rounds for run in pair]
            print(f"  CPU time the host took from this machine (steal): median {median(steal):.0%}, "
                  f"at most {max(steal):.0%}; above a few per cent the figures are the host's, not the app's")


if __name__ == "__main__":
    main()
