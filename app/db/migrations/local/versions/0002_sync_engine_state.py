"""sync engine state: remote marks, evaluated messages, activity links, account sync state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_mark", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("track_failures", sa.Integer(), nullable=False, server_default="0")
        )

    op.create_table(
        "evaluated_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column(
            "evaluated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluated_messages")),
        sa.UniqueConstraint("account", "message_id", name=op.f("uq_evaluated_messages_account")),
    )
    op.create_table(
        "activity_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ews_id", sa.String(length=512), nullable=True),
        sa.Column("change_key", sa.String(length=512), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_links")),
        sa.UniqueConstraint("account", "activity_id", name=op.f("uq_activity_links_account")),
        sa.UniqueConstraint("client_id", name=op.f("uq_activity_links_client_id")),
    )
    with op.batch_alter_table("activity_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_links_ews_id"), ["ews_id"], unique=False)
    op.create_table(
        "sync_accounts",
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("hierarchy_sync_state", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_sync_accounts")),
    )


def downgrade() -> None:
    op.drop_table("sync_accounts")
    with op.batch_alter_table("activity_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_links_ews_id"))
    op.drop_table("activity_links")
    op.drop_table("evaluated_messages")
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.drop_column("track_failures")
        batch_op.drop_column("remote_mark")
