"""organisations.catalogue_revision: the key of the catalogue cache

Changes whenever a technique of the organisation changes (see app/elements/revision.py). Existing
organisations start with an empty revision; their ids already keep them apart.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("catalogue_revision", sa.String(length=32), server_default="",
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_column("catalogue_revision")
