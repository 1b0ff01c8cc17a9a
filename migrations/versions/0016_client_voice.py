"""client voice: feedback requests (one-time link or hand-over), anonymous client ratings, hand-over lock

client_feedback_requests holds only the SHA-256 of a link's token. client_ratings keeps who answered
(young person, parent, together), the three CollaboRATE items and whether the answer is shared with
the practitioner; nothing else about the respondent, and no time. users.handover_locked_at marks a
hand-over: sessions that began before it ask for the password again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 14:09:49
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('client_feedback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('link', 'handover')", name=op.f('ck_client_feedback_requests_channel')),
    sa.ForeignKeyConstraint(['log_id'], ['practice_logs.id'], name=op.f('fk_client_feedback_requests_log_id_practice_logs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_client_feedback_requests_practitioner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_feedback_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_client_feedback_requests_token_hash'))
    )
    with op.batch_alter_table('client_feedback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_feedback_requests_log_id'), ['log_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_client_feedback_requests_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('client_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('effort_understand', sa.Integer(), nullable=False),
    sa.Column('effort_listen', sa.Integer(), nullable=False),
    sa.Column('effort_include', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.CheckConstraint("channel IN ('link', 'handover')", name=op.f('ck_client_ratings_channel')),
    sa.CheckConstraint("respondent IN ('youth', 'parent', 'together')", name=op.f('ck_client_ratings_respondent')),
    sa.CheckConstraint('effort_include BETWEEN 0 AND 4', name=op.f('ck_client_ratings_effort_include')),
    sa.CheckConstraint('effort_listen BETWEEN 0 AND 4', name=op.f('ck_client_ratings_effort_listen')),
    sa.CheckConstraint('effort_understand BETWEEN 0 AND 4', name=op.f('ck_client_ratings_effort_understand')),
    sa.ForeignKeyConstraint(['log_id'], ['practice_logs.id'], name=op.f('fk_client_ratings_log_id_practice_logs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_ratings'))
    )
    with op.batch_alter_table('client_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_client_ratings_log', ['log_id', 'shared'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_locked_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('handover_locked_at')

    with op.batch_alter_table('client_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_client_ratings_log')

    op.drop_table('client_ratings')
    with op.batch_alter_table('client_feedback_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_feedback_requests_practitioner_id'))
        batch_op.drop_index(batch_op.f('ix_client_feedback_requests_log_id'))

    op.drop_table('client_feedback_requests')
