"""Indexes for the dashboards' feedback metrics: items shared with a coach, by the moment of sharing

feedback_rate and feedback_latency (metrics.md) read the logs and reflections shared in a
dashboard's weeks; these indexes keep that read to the weeks shown, not the whole history.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_requests") as batch_op:
        batch_op.create_index("ix_feedback_requests_requested", ["requested_at"], unique=False)
    with op.batch_alter_table("reflection_shares") as batch_op:
        batch_op.create_index("ix_reflection_shares_shared", ["shared_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reflection_shares") as batch_op:
        batch_op.drop_index("ix_reflection_shares_shared")
    with op.batch_alter_table("feedback_requests") as batch_op:
        batch_op.drop_index("ix_feedback_requests_requested")
