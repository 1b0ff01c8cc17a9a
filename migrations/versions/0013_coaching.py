"""coaching: feedback requests and coach feedback with replies, observations, learning goals, notifications

A coach's feedback answers one request (a log's feedback request, or a reflection's share):
unique per (item, coach, requested_at), so a double submit writes one. A learning goal made from
feedback names it (unique), so "I will try this" makes one goal. Notifications point at what they
are about and are deleted with it; the weekly digest is claimed per person and ISO week.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 13:45:59
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification_digests',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'week', name=op.f('pk_notification_digests'))
    )
    op.create_table('feedback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('practice_log_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_feedback_requests_coach_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_feedback_requests_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['practice_log_id'], ['practice_logs.id'], name=op.f('fk_feedback_requests_practice_log_id_practice_logs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_requests')),
    sa.UniqueConstraint('practice_log_id', 'coach_id', name=op.f('uq_feedback_requests_practice_log_id_coach_id'))
    )
    with op.batch_alter_table('feedback_requests', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_requests_coach', ['coach_id', 'withdrawn_at'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('practice_log_id', sa.Integer(), nullable=True),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('live', 'recording')", name=op.f('ck_observations_source')),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_observations_coach_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observations_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['practice_log_id'], ['practice_logs.id'], name=op.f('fk_observations_practice_log_id_practice_logs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_observations_practitioner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_practitioner', ['practitioner_id', 'session_date'], unique=False)

    op.create_table('observation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_observation_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_comments_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_comments'))
    )
    with op.batch_alter_table('observation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_comments_observation_id'), ['observation_id'], unique=False)

    op.create_table('observation_elements',
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_observation_elements_rating')),
    sa.ForeignKeyConstraint(['element_id'], ['core_elements.id'], name=op.f('fk_observation_elements_element_id_core_elements')),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_elements_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('observation_id', 'element_id', name=op.f('pk_observation_elements'))
    )
    op.create_table('observation_techniques',
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('technique_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_techniques_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technique_id'], ['techniques.id'], name=op.f('fk_observation_techniques_technique_id_techniques')),
    sa.PrimaryKeyConstraint('observation_id', 'technique_id', name=op.f('pk_observation_techniques'))
    )
    op.create_table('coach_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('item_kind', sa.String(length=10), nullable=False),
    sa.Column('practice_log_id', sa.Integer(), nullable=True),
    sa.Column('reflection_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=True),
    sa.Column('keep_doing', sa.Text(), nullable=True),
    sa.Column('work_on', sa.Text(), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=True),
    sa.Column('free_text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledgement', sa.String(length=10), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("acknowledgement IS NULL OR acknowledgement IN ('seen', 'trying')", name=op.f('ck_coach_feedback_acknowledgement')),
    sa.CheckConstraint("item_kind IN ('log', 'reflection')", name=op.f('ck_coach_feedback_item_kind')),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_coach_feedback_coach_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['element_id'], ['core_elements.id'], name=op.f('fk_coach_feedback_element_id_core_elements')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_coach_feedback_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['practice_log_id'], ['practice_logs.id'], name=op.f('fk_coach_feedback_practice_log_id_practice_logs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_coach_feedback_practitioner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflections.id'], name=op.f('fk_coach_feedback_reflection_id_reflections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coach_feedback')),
    sa.UniqueConstraint('practice_log_id', 'coach_id', 'requested_at', name=op.f('uq_coach_feedback_practice_log_id_coach_id_requested_at')),
    sa.UniqueConstraint('reflection_id', 'coach_id', 'requested_at', name=op.f('uq_coach_feedback_reflection_id_coach_id_requested_at'))
    )
    with op.batch_alter_table('coach_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_coach_feedback_coach', ['coach_id', 'created_at'], unique=False)
        batch_op.create_index('ix_coach_feedback_practitioner', ['practitioner_id', 'created_at'], unique=False)

    op.create_table('feedback_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_feedback_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feedback_id'], ['coach_feedback.id'], name=op.f('fk_feedback_replies_feedback_id_coach_feedback'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_replies'))
    )
    with op.batch_alter_table('feedback_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_replies_feedback_id'), ['feedback_id'], unique=False)

    op.create_table('learning_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.Column('technique_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source_feedback_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'open', 'achieved', 'dropped', 'declined')", name=op.f('ck_learning_goals_status')),
    sa.ForeignKeyConstraint(['element_id'], ['core_elements.id'], name=op.f('fk_learning_goals_element_id_core_elements')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_learning_goals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_learning_goals_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_learning_goals_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_feedback_id'], ['coach_feedback.id'], name=op.f('fk_learning_goals_source_feedback_id_coach_feedback'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['technique_id'], ['techniques.id'], name=op.f('fk_learning_goals_technique_id_techniques')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_goals')),
    sa.UniqueConstraint('source_feedback_id', name=op.f('uq_learning_goals_source_feedback_id'))
    )
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.create_index('ix_learning_goals_owner_status', ['owner_id', 'status'], unique=False)

    op.create_table('learning_goal_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_learning_goal_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['goal_id'], ['learning_goals.id'], name=op.f('fk_learning_goal_comments_goal_id_learning_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_goal_comments'))
    )
    with op.batch_alter_table('learning_goal_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_goal_comments_goal_id'), ['goal_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('feedback', 'reply', 'observation', 'comment', 'goal_proposed', 'goal_comment', 'coach_assigned', 'coach_ended')", name=op.f('ck_notifications_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feedback_id'], ['coach_feedback.id'], name=op.f('fk_notifications_feedback_id_coach_feedback'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['learning_goals.id'], name=op.f('fk_notifications_goal_id_learning_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_notifications_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_notifications_subject_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_feedback_id'), ['feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index('ix_notifications_inbox', ['user_id', 'read_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_observation_id'), ['observation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_observation_id'))
        batch_op.drop_index('ix_notifications_inbox')
        batch_op.drop_index(batch_op.f('ix_notifications_goal_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_feedback_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('learning_goal_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_goal_comments_goal_id'))

    op.drop_table('learning_goal_comments')
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_goals_owner_status')

    op.drop_table('learning_goals')
    with op.batch_alter_table('feedback_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_replies_feedback_id'))

    op.drop_table('feedback_replies')
    with op.batch_alter_table('coach_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_coach_feedback_practitioner')
        batch_op.drop_index('ix_coach_feedback_coach')

    op.drop_table('coach_feedback')
    op.drop_table('observation_techniques')
    op.drop_table('observation_elements')
    with op.batch_alter_table('observation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_comments_observation_id'))

    op.drop_table('observation_comments')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_practitioner')

    op.drop_table('observations')
    with op.batch_alter_table('feedback_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_requests_coach')

    op.drop_table('feedback_requests')
    op.drop_table('notification_digests')
