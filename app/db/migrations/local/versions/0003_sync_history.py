"""sync history: sync runs, their log lines, and activity links unlinked for good

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("tracked", sa.Integer(), nullable=False),
        sa.Column("untracked", sa.Integer(), nullable=False),
        sa.Column("marks_written", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("appointments_and_tasks", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("given_up", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_runs_started_at"), ["started_at"], unique=False)

    # Lines logged before this version belong to no sync run: they stay, shown as earlier ones.
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_sync_log_run_id"), ["run_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_sync_log_run_id_sync_runs"),
            "sync_runs",
            ["run_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("activity_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unlinked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("unlinked_reason", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity_links", schema=None) as batch_op:
        batch_op.drop_column("unlinked_reason")
        batch_op.drop_column("unlinked_at")
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sync_log_run_id_sync_runs"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sync_log_run_id"))
        batch_op.drop_column("run_id")
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_runs_started_at"))
    op.drop_table("sync_runs")
