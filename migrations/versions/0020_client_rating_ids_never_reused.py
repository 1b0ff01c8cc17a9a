"""Client ratings' ids are never used twice, on SQLite too

An answer is never edited, only added or deleted, so the number of an author's answers and the
highest id among them change whenever their answers do: the home page keeps its figures by that
mark (app/main/queries.py). PostgreSQL's sequence never hands out an id twice; SQLite without
AUTOINCREMENT gives the next answer the id of a deleted last one, and the mark would stay the same.
The table is rebuilt on SQLite with AUTOINCREMENT; on PostgreSQL nothing changes.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("client_ratings", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}) as batch_op:
        if not autoincrement:
            # AUTOINCREMENT declares the key on its column, without the constraint's name: back
            # to the named constraint of 0019.
            batch_op.create_primary_key("pk_client_ratings", ["id"])
