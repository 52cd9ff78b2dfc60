"""a mail client's cache: flags, Bcc, the server's modification time, attachments known or
not, the message size limit, and the people one corresponds with

- mail_items: `flag_status` (none, flagged, complete), `bcc_recipients` (a draft's, a sent
  message's), `modified_at` (the server's time of the item's last change, which decides a
  change made both in Liaison and elsewhere), `attachments_fetched` (whether `attachments`
  lists what the message has; the cache used to store `[]` for every message, so those that
  say they have attachments are fetched again), and an index for conversations.
- sync_accounts: `message_size_limit`, the largest message the server accepts (as it said).
- correspondents: every address mail came from, and every address the user wrote to, with
  the name last seen and when, and both folded as search compares them; address completion
  reads it. Filled here from the cache.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from app.tracking.folding import fold

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flag_status", sa.String(length=10), nullable=False, server_default="none")
        )
        batch_op.add_column(
            sa.Column("bcc_recipients", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "attachments_fetched",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch_op.create_index(
            "ix_mail_items_account_conversation", ["account", "conversation_id"], unique=False
        )
    items = sa.table(
        "mail_items",
        sa.column("id", sa.Integer()),
        sa.column("account", sa.String()),
        sa.column("folder_id", sa.Integer()),
        sa.column("has_attachments", sa.Boolean()),
        sa.column("attachments", sa.JSON()),
        sa.column("attachments_fetched", sa.Boolean()),
        sa.column("sender_email", sa.String()),
        sa.column("sender_name", sa.String()),
        sa.column("to_recipients", sa.JSON()),
        sa.column("cc_recipients", sa.JSON()),
        sa.column("received_at", sa.DateTime(timezone=True)),
        sa.column("sent_at", sa.DateTime(timezone=True)),
    )
    # What the cache says of a message without attachments is right; of one with them, `[]`
    # was a placeholder.
    op.execute(
        items.update()
        .where(
            sa.or_(
                items.c.has_attachments.is_(False),
                sa.cast(items.c.attachments, sa.String()) != "[]",
            )
        )
        .values(attachments_fetched=True)
    )
    with op.batch_alter_table("sync_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_size_limit", sa.Integer(), nullable=True))
    correspondents = op.create_table(
        "correspondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("folded", sa.String(length=600), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correspondents")),
        sa.UniqueConstraint("account", "email", name=op.f("uq_correspondents_account")),
    )
    op.create_index(
        "ix_correspondents_account_last_at", "correspondents", ["account", "last_at"], unique=False
    )
    _fill_correspondents(correspondents, items)


def _fill_correspondents(correspondents: sa.Table, items: sa.TableClause) -> None:
    """Senders of every cached message and recipients of the user's own, newest name kept."""
    folders = sa.table(
        "mail_folders", sa.column("id", sa.Integer()), sa.column("distinguished", sa.String())
    )
    connection = op.get_bind()
    sent_folders = {
        row.id
        for row in connection.execute(
            sa.select(folders.c.id).where(folders.c.distinguished == "sentitems")
        )
    }
    # (account, address) -> (name, last seen, times)
    found: dict[tuple[str, str], tuple[str, datetime | None, int]] = {}

    def seen(account: str, email: object, name: object, moment: datetime | None) -> None:
        if not isinstance(email, str) or "@" not in email:
            return
        key = (account, email.strip().casefold())
        known_name, last, times = found.get(key, ("", None, 0))
        given = name.strip() if isinstance(name, str) else ""
        newer = last is None or (moment is not None and moment >= last)
        if newer:
            known_name, last = given or known_name, moment or last
        found[key] = (known_name or given, last, times + 1)

    for row in connection.execute(
        sa.select(
            items.c.account,
            items.c.folder_id,
            items.c.sender_email,
            items.c.sender_name,
            items.c.to_recipients,
            items.c.cc_recipients,
            items.c.received_at,
            items.c.sent_at,
        )
    ):
        moment = row.sent_at or row.received_at
        if row.folder_id in sent_folders:
            for recipient in [*(row.to_recipients or []), *(row.cc_recipients or [])]:
                if isinstance(recipient, dict):
                    seen(row.account, recipient.get("email"), recipient.get("name"), moment)
        else:
            seen(row.account, row.sender_email, row.sender_name, moment)
    if found:
        op.bulk_insert(
            correspondents,
            [
                {
                    "account": account,
                    "email": email,
                    "name": name,
                    "folded": fold(f"{name} {email}"),
                    "last_at": last,
                    "times": n,
                }
                for (account, email), (name, last, n) in found.items()
            ],
        )


def downgrade() -> None:
    op.drop_table("correspondents")
    with op.batch_alter_table("sync_accounts", schema=None) as batch_op:
        batch_op.drop_column("message_size_limit")
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_items_account_conversation")
        batch_op.drop_column("attachments_fetched")
        batch_op.drop_column("modified_at")
        batch_op.drop_column("bcc_recipients")
        batch_op.drop_column("flag_status")
