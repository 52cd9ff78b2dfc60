"""partial indexes for what every sync asks of the cache: the messages whose attachment list
is not known yet, and those whose tracking is retried. Without them each sync read the whole
cache twice (~10 ms a sync at 10 000 messages, more as the mailbox grows).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_mail_items_attachments_unknown",
        "mail_items",
        ["account"],
        sqlite_where=sa.text("has_attachments IS 1 AND attachments_fetched IS 0"),
    )
    op.create_index(
        "ix_mail_items_tracking_retried",
        "mail_items",
        ["account"],
        sqlite_where=sa.text("tracking_state = 'pending' AND tracking_rule = 'retrying'"),
    )


def downgrade() -> None:
    op.drop_index("ix_mail_items_tracking_retried", table_name="mail_items")
    op.drop_index("ix_mail_items_attachments_unknown", table_name="mail_items")
