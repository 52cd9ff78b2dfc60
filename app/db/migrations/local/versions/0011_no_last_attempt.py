"""no last attempt: sync_accounts.last_attempt_at goes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:10:00

Every sync wrote the time it began into the account's row, in a transaction of its own, and
nothing ever read it: the sync history (revision 0003) keeps each sync, failed ones included,
with when it began and ended. The write was about a twentieth of a sync with nothing new.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_accounts", schema=None) as batch_op:
        batch_op.drop_column("last_attempt_at")


def downgrade() -> None:
    with op.batch_alter_table("sync_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))
