"""Client ratings carry the author of the rated log, indexed, so an author's answers are one range

The author's client figures (the unshared figure over all their sessions, the shared answers beside
their self-rating, the personal dashboard) read the answers about one person's logs. Through the
logs alone that is one index probe per log of their whole history, and PostgreSQL then prefers to
read every answer of every organisation. A log's author never changes (an account deletion keeps
the log and its author as a nameless anchor), so the copy cannot go stale.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client_ratings") as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
    op.execute("UPDATE client_ratings SET author_id = "
               "(SELECT author_id FROM practice_logs WHERE practice_logs.id = client_ratings.log_id)")
    with op.batch_alter_table("client_ratings") as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("fk_client_ratings_author_id_users", "users", ["author_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index("ix_client_ratings_author", ["author_id", "shared", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("client_ratings") as batch_op:
        batch_op.drop_index("ix_client_ratings_author")
        batch_op.drop_constraint("fk_client_ratings_author_id_users", type_="foreignkey")
        batch_op.drop_column("author_id")
