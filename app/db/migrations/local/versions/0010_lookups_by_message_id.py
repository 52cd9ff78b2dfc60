"""lookups by Message-ID: a message's copies in the cache by (account, Message-ID), and the
marks waiting for the server by the mail item and the Message-ID they name.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 04:00:00

Every page of a pull asks both for its own 512 messages. By account and Message-ID SQLite took
the index on (account, conversation) and read every cached message of the account; the marks
were found by reading every mark waiting (a first sync queues thousands before it pushes).
Both grew with the mailbox at every page: ~0.45 s of a 10 000-message first sync. The index on
the Message-ID alone goes: (account, Message-ID) serves every lookup, each names the account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING_MARK = sa.text("state = 'pending' AND kind = 'mark'")


def upgrade() -> None:
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mail_items_account_message_id", ["account", "internet_message_id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_mail_items_internet_message_id"))
    for key in ("mail_item_id", "message_id"):
        op.create_index(
            f"ix_outbox_waiting_mark_{key}",
            "outbox",
            ["account", sa.text(f"json_extract(payload, '$.{key}')")],
            sqlite_where=_WAITING_MARK,
        )


def downgrade() -> None:
    for key in ("mail_item_id", "message_id"):
        op.drop_index(f"ix_outbox_waiting_mark_{key}", table_name="outbox")
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_items_internet_message_id"), ["internet_message_id"], unique=False
        )
        batch_op.drop_index("ix_mail_items_account_message_id")
