"""outbox_emails.claimed_at, claim_token: the outbox job claims mail before it talks to SMTP

A run of the job claims a batch in a short transaction and sends outside any transaction; a claim
older than the lease is taken to be abandoned. Existing mail starts unclaimed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_emails") as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_emails") as batch_op:
        batch_op.drop_column("claim_token")
        batch_op.drop_column("claimed_at")
