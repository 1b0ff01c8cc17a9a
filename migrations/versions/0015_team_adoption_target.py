"""teams.adoption_target: the share of practitioners a team aims to have apply each element monthly

The dashboards' "sustained" metric compares each month's adoption with it (metrics.md). Existing
teams start at 50 %.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch_op:
        batch_op.add_column(sa.Column("adoption_target", sa.Integer(), nullable=False, server_default="50"))
        batch_op.create_check_constraint(op.f("ck_teams_adoption_target"), "adoption_target BETWEEN 1 AND 100")


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch_op:
        batch_op.drop_constraint(op.f("ck_teams_adoption_target"), type_="check")
        batch_op.drop_column("adoption_target")
