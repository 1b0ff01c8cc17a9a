"""Database plumbing: the declarative Base, one engine per app, and a session per app context."""

from __future__ import annotations

import re
import select
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    BindParameter,
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Result,
    bindparam,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def dialect_insert(table: Any, dialect: str | None = None) -> Any:
    """INSERT for the session's database (or the named one), with on_conflict_do_nothing/_do_update."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = dialect or db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def row_count(name: str | None = None, value: int | None = None) -> BindParameter[int]:
    """A LIMIT or OFFSET written into the statement's text, not sent as a parameter: given as
    `value`, or at run time as the parameter `name`.

    PostgreSQL plans a prepared statement five times for the values at hand, then keeps one plan
    for any values if that looks no dearer. With a row count as a parameter it looks dearer (any
    count might be asked), so such a statement was planned anew on every run. A page asks for few
    counts, so few texts are prepared.
    """
    return bindparam(name, value, type_=Integer(), literal_execute=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs."""
    if not url.startswith("sqlite"):
        psycopg = make_url(url).get_driver_name() == "psycopg"
        engine = create_engine(url, pool_pre_ping=not psycopg)  # psycopg: see _check_on_checkout
        _note_writes(engine)
        if psycopg:
            _check_on_checkout(engine)
            _keep_long_statements_converted()
        return engine
    kwargs: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
    if url in ("sqlite://", "sqlite:///:memory:"):
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit BEGIN is always DEFERRED).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front: a read-then-write transaction that
        # started DEFERRED fails with "database is locked" when another writer got there first.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


# Longer than any statement of a page: load_user's with the reflection pages' facts is 4.6 kB.
LONGEST_STATEMENT = 16 * 1024


def _keep_long_statements_converted() -> None:
    """psycopg turns a statement's %(name)s placeholders into $1, $2… once per statement text and
    keeps the result, but only for texts up to 4 kB; a longer one is parsed again on every run
    (about 70 µs for load_user's). Let it keep texts up to LONGEST_STATEMENT."""
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_STATEMENT)


def _check_on_checkout(engine: Engine) -> None:
    """Hand out only pooled connections the server has not closed, without a round trip.

    An idle connection's socket has nothing to read, unless the server has ended the connection
    (a restart, an administrator, an idle timeout): then its goodbye is waiting there. Such a
    connection is replaced before the request uses it, as SQLAlchemy's pre-ping would, but without
    the extra SELECT on every request. (A connection that dies without a word is found on its first
    statement: that request fails, and the pool starts afresh.)
    """

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise DisconnectionError("the connection is closed")
        readable, _w, _x = select.select([dbapi_connection.pgconn.socket], [], [], 0)
        if readable:
            raise DisconnectionError("the server has closed the connection")


# What a statement that only reads starts with: SELECT, or WITH (a SELECT with named subqueries).
# Anything else counts as a write; so does a WITH that holds an INSERT, UPDATE, DELETE or MERGE
# (a column such as updated_at is no such word), and a SELECT that locks rows.
_READS = re.compile(r"\s*(?:SELECT|WITH)\b", re.IGNORECASE)
_CHANGES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_LOCKS = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)
_IDLE = 0  # the driver's transaction status when the server holds no transaction open


@lru_cache(maxsize=2048)
def only_reads(statement: str) -> bool:
    """Whether a statement only reads: a SELECT (or WITH … SELECT) that neither changes nor locks
    rows. Decided once per statement text (a page runs the same few statements on every request;
    searching a long one for a row lock each time cost more than running it on the server)."""
    return bool(_READS.match(statement)) and not _LOCKS.search(statement) and not _CHANGES.search(statement)


def _note_writes(engine: Engine) -> None:
    """Mark a connection's transaction once it runs anything but a read (`only_reads`; see `end_reads`).

    On a reader's connection (`reader_of`), which runs outside a transaction, that statement first
    opens one: everything the request writes from there on is saved together, or not at all.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if only_reads(statement):
            return
        conn.info["wrote"] = True
        if (conn.get_execution_options().get("begin_on_write")
                and cursor.connection.info.transaction_status == _IDLE):
            cursor.execute("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(conn: Any) -> None:
        conn.info.pop("wrote", None)


def reader_of(engine: Engine) -> Engine:
    """The engine of a request that reads (a GET; a POST until `begin_write`).

    On PostgreSQL with psycopg it runs its statements outside a transaction until the first write
    opens one (`_note_writes`): a page that only reads sends neither BEGIN nor COMMIT, two round
    trips fewer. It reads the same: under READ COMMITTED every statement sees the rows committed
    when it starts, in a transaction or not (a SELECT that locks rows opens the transaction).
    """
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        return engine.execution_options(isolation_level="AUTOCOMMIT", begin_on_write=True)
    return engine


def end_reads(session: Session) -> None:
    """End a PostgreSQL transaction that only read with COMMIT rather than ROLLBACK.

    The two are the same for a transaction that wrote nothing, but psycopg forgets every prepared
    statement of the connection on a ROLLBACK. Ending reads with COMMIT lets it keep them, so the
    statements a page runs on every request are planned once per connection, not on every request.
    A transaction that wrote anything (or holds unflushed changes) is left alone: closing the
    session rolls it back, so a request that did not commit never half-saves.
    """
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get("wrote"):
        return
    # Should the COMMIT fail, closing the session rolls back, as it would have without this.
    with suppress(SQLAlchemyError):
        session.commit()


def one_statement_connection(session: Session) -> Connection:
    """The session's connection for a write of one statement that needs nothing else in its
    transaction. On a reader's PostgreSQL connection (outside a transaction: `reader_of`) that
    statement commits by itself, without BEGIN and COMMIT, two round trips fewer; anywhere else it
    runs in the session's transaction, which the caller commits. On PostgreSQL, call it first in a
    transaction (SQLite's begin_write has taken its connection already, and needs no option)."""
    if session.get_bind().dialect.name != "postgresql":
        return session.connection()
    return session.connection(execution_options={"begin_on_write": False})


class Database:
    """Owns the engine and session factories of one app; `db.session` is the context's session."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        app.extensions["db"] = {
            "engine": engine,
            "read": sessionmaker(bind=reader_of(engine), expire_on_commit=False),
            "write": sessionmaker(bind=writer, expire_on_commit=False),
        }
        event.listen(app.extensions["db"]["read"], "before_flush", self._guard_read_phase)
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        engine: Engine = current_app.extensions["db"]["engine"]
        return engine

    @property
    def session(self) -> Session:
        """The session of this app context.

        Jobs, commands and unsafe requests write: on SQLite their transactions begin IMMEDIATE.
        A GET reads. A view marked @reads_first reads until it calls begin_write().
        """
        if "db_session" not in g:
            writes = _request_writes()
            session: Session = current_app.extensions["db"]["write" if writes else "read"]()
            if not writes and has_request_context() and request.method not in SAFE_METHODS:
                session.info["read_phase"] = True
            g.db_session = session
        context_session: Session = g.db_session
        return context_session

    def begin_write(self) -> None:
        """From here on this context writes.

        On SQLite the read transaction ends and the next begins IMMEDIATE, taking the write lock
        before anything is read in it, so the lock is held for the write alone (the service
        re-checks what it relies on inside it).
        """
        session = self.session
        session.info.pop("read_phase", None)
        if session.get_bind().dialect.name == "sqlite":
            # PostgreSQL reads and writes in one READ COMMITTED transaction; no need to end it.
            session.commit()
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})

    def new_session(self, *, write: bool = True) -> Session:
        """A session outside the context's one (for jobs that commit per item)."""
        session: Session = current_app.extensions["db"]["write" if write else "read"]()
        return session

    @staticmethod
    def _guard_read_phase(session: Session, _context: Any, _instances: Any) -> None:
        if session.info.get("read_phase") and (session.new or session.dirty or session.deleted):
            raise RuntimeError("this view reads first: call db.begin_write() before writing")

    @staticmethod
    def _close(exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            if exc is None:
                end_reads(session)
            session.close()


def _request_writes() -> bool:
    if not has_request_context():
        return True
    if request.method in SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "reads_first", False)


def reads_first(view: F) -> F:
    """Mark a view whose POST reads and validates before it writes (see Database.begin_write).

    Its request starts in a read transaction; writing before begin_write() raises, so a view
    cannot forget the write lock.
    """
    view.reads_first = True  # type: ignore[attr-defined]
    return view


db = Database()


def cast_result(result: Result[Any]) -> CursorResult[Any]:
    """An INSERT/UPDATE/DELETE result, typed so that its rowcount can be read."""
    assert isinstance(result, CursorResult)
    return result


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint that keeps `column` to `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
