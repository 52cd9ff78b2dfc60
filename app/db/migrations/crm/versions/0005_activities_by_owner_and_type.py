"""activities by owner and type: the owner's appointments and tasks found without reading the
owner's email activities

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:30:00

Every sync reads the user's appointments and tasks (the calendar's reconcile). By owner alone
SQLite walked all the user's activities, thousands of tracked emails, to find them. The index on
(owner, type) serves both, and replaces the one on the owner alone (its first column).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_owner_type", ["owner_id", "type"], unique=False)
        batch_op.drop_index(batch_op.f("ix_activities_owner_id"))


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_owner_id"), ["owner_id"], unique=False)
        batch_op.drop_index("ix_activities_owner_type")
