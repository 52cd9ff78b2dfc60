"""records you can maintain: salutations, phones, lead status and qualification, opportunity
probability, and every record's history

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:12:40.118230

- contacts and leads get a salutation (Dr., Herr, mgr inż.), a suffix (PhD, Jr.) and a mobile
  phone; leads a job title, a phone, a status (existing leads are `new`) and the account and
  contact they were qualified into; opportunities a probability, a contact and the lead they
  came from;
- `record_changes` keeps who changed which field of a record from what to what;
- both it and `record_history` (values a merge kept aside) reach every team client's replica:
  they get `change_seq`, and on PostgreSQL the triggers of 0002.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables that now replicate, with their key (as in 0002's REPLICATED).
NEWLY_REPLICATED = {"record_changes": "id", "record_history": "id"}


def upgrade() -> None:
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["system_users.id"],
            name=op.f("fk_record_changes_changed_by_id_system_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_changes_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_changes")),
    )
    with op.batch_alter_table("record_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_changes_change_seq"), ["change_seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_record_changes_record_id"), ["record_id"], unique=False
        )

    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_record_history_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salutation", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("suffix", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mobile_phone", sa.String(length=64), nullable=True))

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salutation", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("suffix", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("job_title", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mobile_phone", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=24), server_default="new", nullable=False)
        )
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_leads_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_contact_id"), ["contact_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_leads_account_id_accounts"),
            "accounts",
            ["account_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_leads_contact_id_contacts"),
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probability", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lead_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_opportunities_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opportunities_lead_id"), ["lead_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_opportunities_contact_id_contacts"),
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_opportunities_lead_id_leads"),
            "leads",
            ["lead_id"],
            ["id"],
            ondelete="SET NULL",
        )

    if op.get_bind().dialect.name == "postgresql":
        # The functions are 0002's: stamp every insert and update, remember every delete.
        for table, key in NEWLY_REPLICATED.items():
            op.execute(
                f"CREATE TRIGGER {table}_stamp BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION crm_stamp_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_deleted AFTER DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION crm_remember_delete('{key}')"
            )
        # Values merges kept aside before this revision: stamped now, so replicas fetch them.
        op.execute("UPDATE record_history SET change_seq = NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NEWLY_REPLICATED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_deleted ON {table}")

    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_opportunities_lead_id_leads"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_opportunities_contact_id_contacts"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_opportunities_lead_id"))
        batch_op.drop_index(batch_op.f("ix_opportunities_contact_id"))
        batch_op.drop_column("lead_id")
        batch_op.drop_column("contact_id")
        batch_op.drop_column("probability")

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_leads_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_leads_account_id_accounts"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_leads_contact_id"))
        batch_op.drop_index(batch_op.f("ix_leads_account_id"))
        for column in (
            "contact_id",
            "account_id",
            "status",
            "mobile_phone",
            "phone",
            "job_title",
            "suffix",
            "salutation",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for column in ("mobile_phone", "suffix", "salutation"):
            batch_op.drop_column(column)

    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_history_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("record_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_changes_record_id"))
        batch_op.drop_index(batch_op.f("ix_record_changes_change_seq"))
    op.drop_table("record_changes")
