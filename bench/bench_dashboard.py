"""The team dashboard under load, against a bare Flask hello-world, on a million logs.

For SQLite and PostgreSQL with the large data set (50 teams × 20 practitioners × 36 months, about a
million logs), under gunicorn as README advises (sync workers; see `recommended_workers`), 16
clients on loopback: requests per second and p50/p99 of the team dashboard page and of its figure
data (Team 01's lead, the last 12 weeks, every metric), each as a ratio to bench/hello_app.py
served by the same gunicorn settings. Each round runs hello-world, the page, hello-world, the
figure data, so a busy moment of the machine hits all of them; medians over the rounds.

Also: the page's server time with 100k logs (5 teams) against 1M (50 teams): one client, one
request at a time; and the bytes a browser transfers for a first and a repeat visit.
Targets: ratio ≥ 10 %, growth 100k → 1M ≤ 1.5×, p99 < 100 ms, first visit < 1.6 MB, repeat
< 50 kB, each chart's figure JSON < 5 kB.

    .venv/bin/python bench/bench_dashboard.py [--database both|sqlite|postgresql] [--rounds 3]
        [--seconds 5] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_log_submit import _ms, recommended_workers, settle  # noqa: E402
from bench.common import (  # noqa: E402
    cpu_times,
    database_urls,
    gunicorn,
    hello_world,
    kept_cookie,
    load_organisation,
    percentile,
    request,
    steal_share,
)
from bench.common import sign_in as common_sign_in  # noqa: E402

ORG = "Jeugdhulp Dashboard"
PASSWORD = "demo-werkzaam-2026"
LEAD = "lead1@jeugdhulpdashboard.example"
SCALES = {"1M": (50, 20, 36), "100k": (5, 20, 36)}
PAGE = "/dashboards/teams/{team}?period=12"
FIGURES = "/dashboards/teams/{team}/figures.json?period=12"


def prepare(url: str, scale: str) -> None:
    """Migrate and load the data set once; later runs reuse it."""
    load_organisation(url, ORG, SCALES[scale], PASSWORD, f"{scale}: ")


def sign_in(port: int) -> tuple[str, int]:
    """The lead's session cookie and the id of the team they lead (the first on their list)."""
    cookie = common_sign_in(port, LEAD, PASSWORD)
    _status, _h, index = request(port, "GET", "/dashboards/", cookie=cookie)
    team = re.search(r"/dashboards/teams/(\d+)", index)
    assert team, "the lead sees no team dashboard"
    return cookie, int(team.group(1))


def wrk_load(port: int, path: str, cookie: str | None, clients: int, seconds: float
             ) -> tuple[float, float, float]:
    """wrk, one connection per client; returns (requests per second, p50 ms, p99 ms)."""
    threads = min(clients, os.cpu_count() or 1)
    args = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s", "--latency",
            "-H", "Accept-Encoding: gzip"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    if "Non-2xx" in out or "99%" not in out:
        raise RuntimeError(f"{path} under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)$", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)$", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return rate, p50, p99


def python_load(port: int, path: str, cookie: str | None, clients: int, seconds: float
                ) -> tuple[float, float, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status, _h, _b = request(port, "GET", path, cookie=cookie)
            assert status == 200, status
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(latencies) / seconds, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000


def server_ms(port: int, path: str, cookie: str, n: int = 40) -> float:
    """Median time of one request at a time (no queueing): the page's own cost."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _h, _b = request(port, "GET", path, cookie=cookie)
        assert status == 200, status
        times.append((time.perf_counter() - started) * 1000)
    return median(times[5:])


def transferred(port: int, path: str, cookie: str) -> tuple[int, int, int]:
    """Bytes on the wire (status line, headers, body) for a first visit with an empty cache and a
    repeat visit: the page again, and each asset only when its cache does not cover it (a
    conditional request then). Also the largest chart's figure JSON."""
    import http.client

    def get(url: str, extra: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", url, headers={"Host": f"127.0.0.1:{port}", "Cookie": cookie,
                                          "Accept-Encoding": "gzip", **extra})
        r = conn.getresponse()
        body = r.read()
        head = sum(len(k) + len(v) + 4 for k, v in r.getheaders()) + 17
        conn.close()
        return head + len(body), {k.lower(): v for k, v in r.getheaders()}, body

    size, headers, body = get(path, {})
    html = gzip.decompress(body).decode() if headers.get("content-encoding") == "gzip" else body.decode()
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
    first, repeat = size, get(path, {})[0]
    for asset in assets:
        size, headers, _b = get(asset, {})
        first += size
        control = headers.get("cache-control", "")
        if "immutable" in control or re.search(r"max-age=[1-9]", control):
            continue  # fresh in the browser's cache: not asked again
        validators = {}
        if "etag" in headers:
            validators["If-None-Match"] = headers["etag"]
        if "last-modified" in headers:
            validators["If-Modified-Since"] = headers["last-modified"]
        repeat += get(asset, validators)[0]
    data = request(port, "GET", path.replace("?", "/figures.json?"), cookie=cookie)[2]
    figures = json.loads(data)["figures"]
    largest = max(len(json.dumps(f, separators=(",", ":"))) for f in figures.values())
    return first, repeat, largest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="both", choices=("both", "sqlite", "postgresql"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    load = wrk_load if args.client == "wrk" else python_load
    print(f"bench_dashboard: {args.clients} clients ({args.client}), {args.rounds} rounds of "
          f"{args.seconds:.0f} s per endpoint, gunicorn sync workers; medians over the rounds [range]")
    for name in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        urls = {scale: database_urls(name, f"werkzaam_bench_dash_{scale.lower()}").get(name)
                for scale in SCALES}
        if not all(urls.values()):
            continue
        print(f"[{name}]")
        for scale, url in urls.items():
            assert url is not None
            prepare(url, scale)
            settle(url)
        if args.prepare_only:
            continue
        workers = recommended_workers(name)
        print(f"  {workers} gunicorn sync workers on {os.cpu_count()} cores (the app and hello-world alike)")
        times = {}
        for scale in ("100k", "1M"):
            # The computation itself: no cache, so every request computes the figures again.
            with gunicorn(urls[scale] or "", workers, DASHBOARD_CACHE_SECONDS="0") as (port, _proc):
                cookie, team = sign_in(port)
                times[scale] = server_ms(port, PAGE.format(team=team), cookie)
        with gunicorn(urls["1M"] or "", workers) as (port, _proc):
            cookie, team = sign_in(port)
            for _ in range(4 * workers):  # every worker computes its cached figures before the clock runs
                for path in (PAGE, FIGURES):
                    request(port, "GET", path.format(team=team), cookie=cookie)
            with hello_world(workers) as (hello, _hp):
                rounds = []
                page, figures = PAGE.format(team=team), FIGURES.format(team=team)
                for _ in range(args.rounds):
                    before = cpu_times()
                    row = (load(hello, "/", None, args.clients, args.seconds),
                           load(port, page, (cookie := kept_cookie(port, page, cookie)), args.clients,
                                args.seconds),
                           load(hello, "/", None, args.clients, args.seconds),
                           load(port, figures, (cookie := kept_cookie(port, figures, cookie)), args.clients,
                                args.seconds))
                    rounds.append((row, steal_share(before, cpu_times())))
            first, repeat, largest = transferred(port, PAGE.format(team=team), cookie)
        for i, label in ((0, "hello-world GET /"), (1, "team dashboard page"), (3, "figure data (JSON)")):
            rate = [r[0][i][0] for r in rounds]
            p50 = [r[0][i][1] for r in rounds]
            p99 = [r[0][i][2] for r in rounds]
            print(f"  {label:<24} {median(rate):8.1f} req/s [{min(rate):.0f}–{max(rate):.0f}]"
                  f"  p50 {median(p50):6.1f} ms  p99 {median(p99):6.1f} ms [{min(p99):.0f}–{max(p99):.0f}]")
        for i, label in ((1, "page"), (3, "figure data")):
            ratios = [r[0][i][0] / r[0][i - 1][0] for r in rounds]
            print(f"  ratio {label} / hello-world: {median(ratios):.1%} [{min(ratios):.1%}–{max(ratios):.1%}]"
                  "   (target ≥ 10 %)")
        print(f"  page server time, uncached, one request at a time: 100k logs {times['100k']:.1f} ms, "
              f"1M logs "
              f"{times['1M']:.1f} ms: ×{times['1M'] / times['100k']:.2f}   (target ≤ 1.5×)")
        print(f"  transferred: first visit {first / 1e6:.2f} MB (target < 1.6 MB), repeat visit "
              f"{repeat / 1e3:.1f} kB (target < 50 kB); largest chart's figure JSON {largest / 1e3:.1f} kB "
              "(target < 5 kB)")
        print(f"  CPU time the host took (steal): median {median(r[1] for r in rounds):.0%}")


if __name__ == "__main__":
    main()
