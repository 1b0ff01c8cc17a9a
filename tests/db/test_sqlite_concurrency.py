"""SQLite under concurrent writers: the app's engine settings serialise read-then-write transactions.

The requirement: 8 processes × 200 concurrent read-then-write transactions on the SQLite file lose
nothing (1,600 rows, 0 errors). Each transaction reads max(n) and writes max(n) + 1, so a
transaction that read a stale value would show up as a duplicate n, and one that failed as an error.
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from app.db import make_engine
from tests.db.sqlite_workers import rows, run_worker

PROCESSES = 8
TRANSACTIONS = 200
# The multi-process runs make their own SQLite files whatever --database says: they run once, in
# the SQLite run (make test's first), not again in the PostgreSQL one.
sqlite_run_only = pytest.mark.skipif(
    "config.getoption('--database') != 'sqlite'", reason="SQLite-only; runs with --database=sqlite"
)


def _database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    rows.create(engine)
    engine.dispose()
    return url


@dataclass
class Outcome:
    errors: list[str]  # every failed transaction's error
    values: list[int]  # every n written, in commit order
    seconds: float  # the slowest worker's time for its transactions


def _run(phases: list[tuple[str, str]], timeout: float = 90) -> dict[str, Outcome]:
    """Start the workers once; they run each (url, mode) phase together. Outcome per mode."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(PROCESSES)  # workers connect first, then start each phase together
    results = ctx.Queue()
    procs = [
        ctx.Process(target=run_worker, args=(phases, w, TRANSACTIONS, start, results), daemon=True)
        for w in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    deadline = time.monotonic() + timeout
    reports: list[Any] = []
    try:
        while len(reports) < PROCESSES * len(phases):
            try:
                reports.append(results.get(timeout=0.5))
            except queue.Empty:
                crashed = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if crashed:
                    pytest.fail(f"workers crashed with exit codes {crashed} (see their stderr)")
                if time.monotonic() > deadline:
                    pytest.fail(f"workers did not finish in {timeout}s")
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    outcomes = {}
    for url, mode in phases:
        mine = [r for r in reports if r[0] == mode]
        engine = make_engine(url)
        with engine.connect() as conn:
            values = list(conn.execute(select(rows.c.n).order_by(rows.c.id)).scalars())
        engine.dispose()
        outcomes[mode] = Outcome(
            errors=[e for _m, _w, errs, _t in mine for e in errs],
            values=values,
            seconds=max(t for _m, _w, _e, t in mine),
        )
    return outcomes


@pytest.fixture(scope="module")
def workloads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """8 processes × 200 read-then-write transactions: as the app writes, then DEFERRED."""
    folder = tmp_path_factory.mktemp("concurrency")
    return _run([
        (_database(folder / "immediate.db"), "write"),
        (_database(folder / "deferred.db"), "read"),
    ])


def test_engine_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
    engine.dispose()


def test_deferred_read_then_write_fails_on_a_stale_snapshot(tmp_path: Path) -> None:
    """Why writes BEGIN IMMEDIATE: a DEFERRED reader cannot upgrade after another writer committed.

    Deterministic: in WAL mode the upgrade fails at once (SQLITE_BUSY_SNAPSHOT), the busy timeout
    does not help.
    """
    url = _database(tmp_path / "snapshot.db")
    engine = make_engine(url)
    with engine.connect() as a, engine.connect() as b:
        a.execute(select(func.count()).select_from(rows))  # BEGIN DEFERRED + read: a snapshot
        b.execute(insert(rows).values(n=1, worker=1))
        b.commit()
        began = time.perf_counter()
        with pytest.raises(Exception, match="database is locked") as info:
            a.execute(insert(rows).values(n=1, worker=0))
        assert isinstance(info.value.orig, sqlite3.OperationalError)  # type: ignore[attr-defined]
        assert time.perf_counter() - began < 5
        a.rollback()
    engine.dispose()


@pytest.mark.slow
@sqlite_run_only
def test_immediate_transactions_lose_nothing(workloads: dict[str, Outcome]) -> None:
    run = workloads["write"]
    total = PROCESSES * TRANSACTIONS
    assert run.errors == [], f"{len(run.errors)} errors, e.g. {run.errors[:3]}"
    assert len(run.values) == total
    # Serialised: every transaction saw the previous one's row, in commit order.
    assert run.values == list(range(1, total + 1))
    print(f"\n{total} IMMEDIATE transactions in {PROCESSES} processes: {run.seconds:.2f}s")


@pytest.mark.slow
@sqlite_run_only
def test_deferred_transactions_do_not(workloads: dict[str, Outcome]) -> None:
    """The negative control: the same workload with DEFERRED transactions fails some of them."""
    run = workloads["read"]
    duplicates = len(run.values) - len(set(run.values))
    if not run.errors and not duplicates:
        pytest.skip("this run happened not to overlap any transactions; nothing to show")
    assert all("database is locked" in e for e in run.errors), run.errors[:3]
    assert len(run.values) + len(run.errors) == PROCESSES * TRANSACTIONS
    print(f"\nDEFERRED: {len(run.errors)} of {PROCESSES * TRANSACTIONS} transactions failed "
          f"with 'database is locked', {duplicates} lost updates")
