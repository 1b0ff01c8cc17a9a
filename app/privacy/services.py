"""The access log's one entrance: every row is appended here, whoever records it. Flush only.

Callers say what happened (who, in which role, what, which object, whose data); this module adds
when and from which address, and takes care of the transaction:

- in a form post, a job or a command the row joins the session of the change it records, so both
  are committed or neither (a refused change leaves no row);
- in a GET (a read transaction: DEFERRED on SQLite) the row waits until the response is made, and
  `write_pending` writes the request's rows in one short write transaction of their own.

So a page that shows someone else's data records it with one call and no transaction handling.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from flask import Flask, g, has_request_context, request
from sqlalchemy import Table, insert
from werkzeug.wrappers import Response

from app.auth.models import User
from app.db import SAFE_METHODS, db, end_reads, one_statement_connection, utcnow
from app.privacy.models import AccessLog

SYSTEM = "system"  # the role of the app itself (the retention job)


def record_access(
    actor: User | None,
    role: str,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    subject_id: int | None = None,
    ip_address: str | None = None,
    detail: str | None = None,
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Append one access-log row: who (None: the app itself), in which role, what, which object and
    whose data (`subject_id`); never content. `detail` holds a fact that is no content (a count, the
    new roles). The address is the request's unless given; the organisation the actor's unless given.

    Flushes, or in a GET leaves the row for the end of the request (see the module docstring).
    """
    if organisation_id is None:
        assert actor is not None, "the app's own rows name their organisation"
        organisation_id = actor.organisation_id
    if ip_address is None and has_request_context():
        ip_address = request.remote_addr
    values = {
        "at": now or utcnow(), "organisation_id": organisation_id, "actor_id": actor.id if actor else None,
        "actor_role": role, "action": action, "object_type": object_type, "object_id": object_id,
        "subject_id": subject_id, "ip_address": (ip_address or "")[:45] or None,
        "detail": detail[:200] if detail else None,
    }
    if has_request_context() and (request.method in SAFE_METHODS or db.session.info.get("read_phase")):
        # Kept as plain values: a coach's overview records a row per coachee shown, and an ORM
        # object per row cost more than the INSERT that writes them all.
        g.setdefault("pending_access", []).append(values)
        return
    db.session.add(AccessLog(**values))
    db.session.flush()


def record_read(actor: User, object_type: str, object_id: int | None, subject_id: int,
                *, role: str = "coach", action: str = "read") -> None:
    """Record that `actor` read someone else's data; reading one's own is not recorded."""
    if subject_id != actor.id:
        record_access(actor, role, action, object_type, object_id, subject_id=subject_id)


def write_pending(response: Response) -> Response:
    """After a GET: write the rows it recorded in one INSERT of their own, and commit.

    What the request read is ended first (nothing of it is kept). On SQLite the write then begins
    IMMEDIATE, so nothing is read in it before the write lock is held ("database is locked"
    otherwise, under concurrency). On PostgreSQL the one statement is a transaction by itself
    (app.db.one_statement_connection): no BEGIN and COMMIT around it.
    """
    rows: list[dict[str, object]] = g.pop("pending_access", [])
    if rows:
        end_reads(db.session)  # a read transaction: nothing to keep (see app.db.end_reads)
        db.session.rollback()
        db.begin_write()
        # One INSERT for all rows, of plain values (no ORM objects to build and flush); psycopg
        # sends them in one pipeline, which the server runs as one implicit transaction.
        one_statement_connection(db.session).execute(insert(cast(Table, AccessLog.__table__)), rows)
        db.session.commit()
    return response


def register_access_log(app: Flask) -> None:
    app.after_request(write_pending)
