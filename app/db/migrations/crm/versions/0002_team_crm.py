"""team crm: row versions, change counters, mailbox links, merge history, replica bookkeeping

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:34:27.039442

On PostgreSQL (the shared team store) triggers keep what clients must not be trusted with:
- every insert and update of a replicated table takes the next value of `crm_change_seq` into
  `change_seq` (holding a shared advisory lock until commit, so a replica reading under the
  exclusive lock never skips a change committed late: see app.team.replica);
- every update of `records` or `activities` raises `version`, and an update of a subtype table
  (accounts, email_activities, ...) raises the version of its base row;
- every delete leaves a row in `deleted_rows`, so replicas drop the row too.
A single user's SQLite store gets the columns and tables but no triggers: nothing replicates it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applied_changes",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column(
            "applied_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_applied_changes")),
    )
    op.create_table(
        "deleted_rows",
        sa.Column("change_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("change_seq", name=op.f("pk_deleted_rows")),
    )
    op.create_table(
        "replica_ids",
        sa.Column("provisional_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("provisional_id", name=op.f("pk_replica_ids")),
    )
    op.create_table(
        "replica_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replica_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_replica_outbox_key")),
    )
    with op.batch_alter_table("replica_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replica_outbox_state"), ["state"], unique=False)

    op.create_table(
        "replica_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_replica_state")),
    )
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("lost_value", sa.JSON(), nullable=True),
        sa.Column("kept_value", sa.JSON(), nullable=True),
        sa.Column("lost_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "merged_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["lost_by_id"],
            ["system_users.id"],
            name=op.f("fk_record_history_lost_by_id_system_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_history")),
    )
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_history_row_id"), ["row_id"], unique=False)

    op.create_table(
        "activity_mailboxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=320), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "linked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_mailboxes_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["system_users.id"],
            name=op.f("fk_activity_mailboxes_user_id_system_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_mailboxes")),
        sa.UniqueConstraint(
            "activity_id", "mailbox", name=op.f("uq_activity_mailboxes_activity_id")
        ),
    )
    with op.batch_alter_table("activity_mailboxes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_mailboxes_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_mailboxes_change_seq"), ["change_seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_mailboxes_user_id"), ["user_id"], unique=False
        )

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_accounts_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("private", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_activities_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("activity_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_activity_parties_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_appointments_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contacts_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("email_activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_email_activities_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("email_addresses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_email_addresses_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_leads_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_opportunities_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_org_settings_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("queues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_queues_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("auto_created_for", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_records_change_seq"), ["change_seq"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_records_auto_created_for"), ["auto_created_for"]
        )

    with op.batch_alter_table("system_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_system_users_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_tasks_change_seq"), ["change_seq"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _create_triggers()


# Must equal app.team.replica.CHANGE_LOCK: writers hold it shared, a refresh takes it exclusive.
CHANGE_LOCK = 7_020_001
REPLICATED = {
    "org_settings": ("key", None),
    "records": ("id", None),
    "system_users": ("id", "records"),
    "queues": ("id", "records"),
    "accounts": ("id", "records"),
    "contacts": ("id", "records"),
    "leads": ("id", "records"),
    "opportunities": ("id", "records"),
    "email_addresses": ("id", None),
    "activities": ("id", None),
    "email_activities": ("id", "activities"),
    "appointments": ("id", "activities"),
    "tasks": ("id", "activities"),
    "activity_parties": ("id", None),
    "activity_mailboxes": ("id", None),
}


def _create_triggers() -> None:
    op.execute("CREATE SEQUENCE crm_change_seq")
    op.execute(
        f"""
        CREATE FUNCTION crm_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock_shared({CHANGE_LOCK});
            NEW.change_seq := nextval('crm_change_seq');
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION crm_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.version = OLD.version THEN
                NEW.version := OLD.version + 1;
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION crm_bump_base_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE format('UPDATE %I SET version = version + 1 WHERE id = $1', TG_ARGV[0])
                USING NEW.id;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION crm_remember_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock_shared({CHANGE_LOCK});
            INSERT INTO deleted_rows (change_seq, table_name, row_key)
            VALUES (nextval('crm_change_seq'), TG_TABLE_NAME, (to_jsonb(OLD) ->> TG_ARGV[0]));
            RETURN NULL;
        END $$
        """
    )
    for table, (key, base) in REPLICATED.items():
        op.execute(
            f"CREATE TRIGGER {table}_stamp BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION crm_stamp_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_deleted AFTER DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION crm_remember_delete('{key}')"
        )
        if table in ("records", "activities"):
            op.execute(
                f"CREATE TRIGGER {table}_version BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION crm_bump_version()"
            )
        if base is not None:
            op.execute(
                f"CREATE TRIGGER {table}_base_version AFTER UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION crm_bump_base_version('{base}')"
            )


def _drop_triggers() -> None:
    for table in REPLICATED:
        for suffix in ("stamp", "deleted", "version", "base_version"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table}")
    for function in (
        "crm_stamp_change",
        "crm_bump_version",
        "crm_bump_base_version",
        "crm_remember_delete",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.execute("DROP SEQUENCE IF EXISTS crm_change_seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _drop_triggers()
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("system_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_users_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_records_auto_created_for"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_records_change_seq"))
        batch_op.drop_column("change_seq")
        batch_op.drop_column("auto_created_for")
        batch_op.drop_column("version")

    with op.batch_alter_table("queues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queues_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_settings_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leads_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("email_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_addresses_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("email_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_activities_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointments_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("activity_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_parties_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_change_seq"))
        batch_op.drop_column("change_seq")
        batch_op.drop_column("version")
        batch_op.drop_column("private")

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("activity_mailboxes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_mailboxes_user_id"))
        batch_op.drop_index(batch_op.f("ix_activity_mailboxes_change_seq"))
        batch_op.drop_index(batch_op.f("ix_activity_mailboxes_activity_id"))

    op.drop_table("activity_mailboxes")
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_history_row_id"))

    op.drop_table("record_history")
    op.drop_table("replica_state")
    with op.batch_alter_table("replica_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_replica_outbox_state"))

    op.drop_table("replica_outbox")
    op.drop_table("replica_ids")
    op.drop_table("deleted_rows")
    op.drop_table("applied_changes")
