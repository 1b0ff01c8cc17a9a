"""organisations.catalogue_revision: the key of the catalogue cache

Changes whenever a technique of the organisation changes (see app/elements/revision.py). Existing
organisations each get a random first revision, like new ones.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 11:50:00
"""

from collections.abc import Sequence
from uuid import uuid4

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
    organisations = sa.table("organisations", sa.column("id", sa.Integer),
                             sa.column("catalogue_revision", sa.String))
    connection = op.get_bind()
    for (organisation_id,) in connection.execute(sa.select(organisations.c.id)).all():
        connection.execute(organisations.update().where(organisations.c.id == organisation_id)
                           .values(catalogue_revision=uuid4().hex))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_column("catalogue_revision")
