"""Attachment content, fetched from the server when first asked for and kept in the profile's
cache folder (private files), so opening it again, saving it or forwarding it needs no server.

The cache is keyed by the account and the server's attachment id (hashed: ids are long and not
file-name safe). An id changes when its message moves, so the list the cache keeps of a moved
message's attachments is read again before one is fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from app.mailbox.attachments import stored
from app.mailbox.models import MailItem
from app.mailbox.remote import AttachmentContent
from app.private_files import private_file, private_folder
from app.sync.backend import MailBackend
from app.sync.errors import ItemGone
from app.workspace import Workspace

CACHE_FOLDER = "attachments"


class AttachmentStore:
    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / CACHE_FOLDER

    def _path(self, account: str, attachment_id: str) -> Path:
        digest = hashlib.sha256(f"{account}\n{attachment_id}".encode()).hexdigest()
        return self.folder / digest

    def cached(self, account: str, attachment_id: str) -> AttachmentContent | None:
        path = self._path(account, attachment_id)
        try:
            meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        return AttachmentContent(
            name=str(meta.get("name") or ""),
            content_type=str(meta.get("content_type") or "application/octet-stream"),
            data=data,
            inline=bool(meta.get("inline")),
            content_id=meta.get("content_id") or None,
        )

    def keep(self, account: str, attachment_id: str, content: AttachmentContent) -> None:
        private_folder(self.folder)
        path = self._path(account, attachment_id)
        private_file(path).write_bytes(content.data)
        meta = {
            "name": content.name,
            "content_type": content.content_type,
            "inline": content.inline,
            "content_id": content.content_id,
        }
        private_file(path.with_suffix(".json")).write_text(json.dumps(meta), "utf-8")


def fetch_attachment(
    workspace: Workspace,
    store: AttachmentStore,
    item_id: int,
    index: int,
    backend: Callable[[], MailBackend],
) -> AttachmentContent:
    """The content of a cached message's attachment at `index`: from the store, else from the
    server (`backend()` connects when first needed), then kept. ItemGone when the message or
    the attachment is not there any more. No transaction is held while the server answers."""
    with workspace.local.sessions() as session:
        row = session.get(MailItem, item_id)
        if row is None:
            raise ItemGone("The message is no longer in the mailbox")
        account, remote_id = row.account, row.remote_id
        entries, known = list(row.attachments or []), row.attachments_fetched
    if not known:
        body = backend().bodies([remote_id]).get(remote_id)
        if body is None:
            raise ItemGone("The message is no longer on the server")
        entries = [stored(attachment) for attachment in body.attachments]
        with workspace.local.sessions.begin() as session:
            row = session.get(MailItem, item_id)
            if row is not None and row.remote_id == remote_id:
                row.attachments, row.attachments_fetched = entries, True
    if not 0 <= index < len(entries):
        raise ItemGone(f"The message has no attachment number {index + 1}")
    attachment_id = str(entries[index].get("id") or "")
    found = store.cached(account, attachment_id)
    if found is not None:
        return found
    content = backend().attachment_content(remote_id, attachment_id)
    store.keep(account, attachment_id, content)
    return content
