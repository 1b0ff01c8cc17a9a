"""Privacy and security: an append-only access log, second factors, retention, deleted accounts

- access_logs: actor_id may be empty (the app itself), longer action names, a `detail` column;
  append-only in the database: on SQLite triggers refuse UPDATE, and DELETE of a row that has not
  expired; on PostgreSQL the migrating role (the app's) loses UPDATE, DELETE and TRUNCATE, and
  expired rows go through the function purge_access_logs(now, organisation), the retention job's
  one way in.
- second_factors, recovery_codes: TOTP sign-in; organisations.second_factor_for_all.
- retention_periods, retention_runs: per kind of data how long it is kept; the job's last run.
- users.deactivated_at (existing deactivated accounts count from now), users.deleted_at.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Default and floor of the access log's retention: app/retention/models.py and kinds.py hold the same.
ACCESS_LOG_DEFAULT_MONTHS = 60
_MONTHS = (
    "COALESCE((SELECT r.months FROM retention_periods r WHERE r.organisation_id = {row}.organisation_id"
    f" AND r.kind = 'access_log'), {ACCESS_LOG_DEFAULT_MONTHS})"
)

SQLITE_TRIGGERS = {
    "access_logs_no_update": (
        "CREATE TRIGGER access_logs_no_update BEFORE UPDATE ON access_logs "
        "BEGIN SELECT RAISE(ABORT, 'access_logs is append-only'); END"
    ),
    # Deleting is refused unless the row is older than the organisation's access-log retention by
    # the database's own clock: the retention job deletes through exactly that gap.
    "access_logs_no_delete": (
        "CREATE TRIGGER access_logs_no_delete BEFORE DELETE ON access_logs "
        "WHEN OLD.at >= datetime('now', '-' || " + _MONTHS.format(row="OLD") + " || ' months') "
        "BEGIN SELECT RAISE(ABORT, 'access_logs is append-only: only expired rows may be deleted'); END"
    ),
}

# SECURITY DEFINER: runs as the table's owner, who may give itself DELETE for the length of the
# call when this migration revoked it (the owner and the app are often one role).
PG_PURGE = """
CREATE FUNCTION purge_access_logs(p_now timestamptz, p_organisation_id integer)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    granted boolean := NOT has_table_privilege(current_user, 'access_logs', 'DELETE');
    deleted bigint;
BEGIN
    IF granted THEN
        EXECUTE format('GRANT DELETE ON access_logs TO %I', current_user);
    END IF;
    DELETE FROM access_logs a
    WHERE a.organisation_id = p_organisation_id
      AND a.at < LEAST(p_now, now()) - make_interval(months => {months});
    GET DIAGNOSTICS deleted = ROW_COUNT;
    IF granted THEN
        EXECUTE format('REVOKE DELETE ON access_logs FROM %I', current_user);
    END IF;
    RETURN deleted;
END $$
"""

# "Where it has the rights": a superuser is above privileges (the README says what to run instead);
# a role that neither owns the table nor holds a grant option gets PostgreSQL's warning, no error.
PG_REVOKE = """
DO $$ BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE NOTICE 'access_logs: % is a superuser, so revoking UPDATE and DELETE would not bind it; '
                     'see the README (Production) for the app role', current_user;
    ELSE
        REVOKE UPDATE, DELETE, TRUNCATE ON access_logs FROM CURRENT_USER;
    END IF;
END $$
"""
PG_GRANT_BACK = """
DO $$ BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        GRANT UPDATE, DELETE, TRUNCATE ON access_logs TO CURRENT_USER;
    END IF;
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    users = sa.table("users", sa.column("active", sa.Boolean),
                     sa.column("deactivated_at", sa.DateTime(timezone=True)))
    op.execute(users.update().where(users.c.active.is_(False)).values(deactivated_at=sa.func.now()))
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("second_factor_for_all", sa.Boolean(), server_default="0",
                                      nullable=False))
    with op.batch_alter_table("access_logs") as batch_op:
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("action", existing_type=sa.String(length=20), type_=sa.String(length=40),
                              existing_nullable=False)
        batch_op.add_column(sa.Column("detail", sa.String(length=200), nullable=True))
    op.create_table(
        "second_factors",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_second_factors_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_second_factors")),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)
    op.create_table(
        "retention_periods",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.CheckConstraint("months >= 1 AND months <= 240 AND (kind <> 'access_log' OR months >= 12)",
                           name=op.f("ck_retention_periods_months")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_retention_periods_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "kind", name=op.f("pk_retention_periods")),
    )
    op.create_table(
        "retention_runs",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_retention_runs_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_retention_runs")),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    else:
        schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
        op.execute(PG_PURGE.format(schema=f'"{schema}"', months=_MONTHS.format(row="a")))
        op.execute(PG_REVOKE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute(PG_GRANT_BACK)
        op.execute("DROP FUNCTION IF EXISTS purge_access_logs(timestamptz, integer)")
    op.drop_table("retention_runs")
    op.drop_table("retention_periods")
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
    op.drop_table("second_factors")
    # The retention job's own rows name no actor, and 0012 knew only short actions.
    op.execute("UPDATE access_logs SET actor_id = 0 WHERE actor_id IS NULL")
    op.execute("UPDATE access_logs SET action = substr(action, 1, 20) WHERE length(action) > 20")
    with op.batch_alter_table("access_logs") as batch_op:
        batch_op.drop_column("detail")
        batch_op.alter_column("action", existing_type=sa.String(length=40), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_column("second_factor_for_all")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("deactivated_at")
