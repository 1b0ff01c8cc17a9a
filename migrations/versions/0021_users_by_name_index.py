"""An index for the organisation's accounts by name

The admin's list of accounts (and the team pages' lists of people) show an organisation's accounts
by lower-cased name, a page at a time. Without an index the database sorts every account of the
organisation on every page view (about 1,100 in a large organisation); with this one it reads the
page's accounts in order. Deleted accounts (nameless anchors of anonymous logs) are no account to
list, so the index leaves them out.

SQLite cannot reflect an index on an expression: a later batch migration that rebuilds `users` on
SQLite must create this index again (tests/db/test_indexes.py fails otherwise).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_users_org_name", "users", ["organisation_id", sa.text("lower(display_name)"), "id"],
                    postgresql_where=LISTED, sqlite_where=LISTED)


def downgrade() -> None:
    op.drop_index("ix_users_org_name", table_name="users")
