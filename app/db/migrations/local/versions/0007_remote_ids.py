"""remote ids: the cache names the server's id of a folder, an item or a linked appointment
`remote_id`, whichever backend gave it (an EWS ItemId, a Graph id), instead of `ews_id`

- mail_folders: `ews_id` -> `remote_id`, `parent_ews_id` -> `parent_remote_id`
- mail_items: `ews_id` -> `remote_id`
- activity_links: `ews_id` -> `remote_id` (and its index)
- outbox: the payload keys `ews_id` and `draft_ews_id` of waiting changes become `remote_id`
  and `draft_remote_id`, so a change queued before the upgrade replays after it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("mail_folders", "ews_id", "remote_id"),
    ("mail_folders", "parent_ews_id", "parent_remote_id"),
    ("mail_items", "ews_id", "remote_id"),
    ("activity_links", "ews_id", "remote_id"),
)
_PAYLOAD_KEYS = (("ews_id", "remote_id"), ("draft_ews_id", "draft_remote_id"))


def _rename(old: str, new: str, keys: Sequence[tuple[str, str]]) -> None:
    # SQLite renames a column in place (3.25+) and carries its unique constraints along, so
    # no table is copied; the index is named after the column and is made again.
    for table, before, after in _COLUMNS:
        names = (before, after) if old == "ews" else (after, before)
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {names[0]} TO {names[1]}")
    op.execute(f"DROP INDEX IF EXISTS ix_activity_links_{old}_id")
    op.execute(f"CREATE INDEX ix_activity_links_{new}_id ON activity_links ({new}_id)")
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, payload FROM outbox")).all()
    for row_id, raw in rows:
        payload = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(payload, dict) or not any(k in payload for k, _ in keys):
            continue
        renamed = {dict(keys).get(key, key): value for key, value in payload.items()}
        connection.execute(
            sa.text("UPDATE outbox SET payload = :payload WHERE id = :id"),
            {"payload": json.dumps(renamed), "id": row_id},
        )


def upgrade() -> None:
    _rename("ews", "remote", _PAYLOAD_KEYS)


def downgrade() -> None:
    _rename("remote", "ews", tuple((new, old) for old, new in _PAYLOAD_KEYS))
