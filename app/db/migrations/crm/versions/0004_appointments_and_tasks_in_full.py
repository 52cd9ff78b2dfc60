"""appointments and tasks in full: time zone, reminder and show-as of appointments, attendees'
responses, task reminders

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00

Existing appointments get no time zone (read as UTC until Exchange's next answer says which),
no reminder and "Busy"; existing parties no response: the next sync fills them from Exchange.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reminder_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("show_as", sa.String(length=20), server_default="Busy", nullable=False)
        )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("activity_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity_parties", schema=None) as batch_op:
        batch_op.drop_column("response")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("reminder_at")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("show_as")
        batch_op.drop_column("reminder_minutes")
        batch_op.drop_column("time_zone")
