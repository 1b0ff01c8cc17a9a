"""An index for an author's logs in the order they were written

The log form takes its defaults (setting, age band, duration, who took part) from the author's
latest log. Without an index on when a log was written, the database read and sorted every log of
the author on every visit to the form: about 750 for three years of practice, and more each year.
With this one it reads one.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_practice_logs_author_created", "practice_logs", ["author_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_practice_logs_author_created", table_name="practice_logs")
