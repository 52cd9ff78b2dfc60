"""A message's attachments as the reading pane and `liaison mail attachments|save-attachment`
use them: listed from the cache, their content fetched from the server when first asked for and
kept in the profile's cache folder (private files), saved under safe names.

A name an attachment comes with is never trusted as a path: it loses folders, `..`, device
names (CON, NUL, ...) and control characters (app.mailbox.attachments.safe_file_name), and a
file already there is never overwritten ("offer (2).pdf").
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.accounts import AccountError
from app.mailbox.attachments import AttachmentInfo, listed, safe_file_name, unique_name
from app.mailbox.models import MailItem
from app.mailbox.remote import AttachmentContent
from app.private_files import private_file, private_folder
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.sync.attachment_store import AttachmentStore, fetch_attachment
from app.sync.backend import MailBackend
from app.sync.errors import ItemGone, SyncError

if TYPE_CHECKING:
    from app.sync.engine import EngineSettings

OPEN_FOLDER = "opened"  # under the cache folder: copies handed to the system's viewer


class AttachmentService(ProfileService):
    # How to reach the server (tests and the demo's sandbox set it; None: the account's own).
    engine_settings: EngineSettings | None = None

    def attachments(self, item_id: int) -> tuple[AttachmentInfo, ...]:
        """The message's attachments in its order (those shown in the body included)."""
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                raise ServiceError("This message is no longer in the mailbox")
            return listed(row.attachments)

    def attachment_content(self, item_id: int, index: int) -> AttachmentContent:
        """One attachment's content: kept from before, else fetched from the server now (slow:
        the window asks off its thread)."""
        from app.sync.on_demand import connected

        store = AttachmentStore(self.workspace.paths.cache_dir)
        backends = self.engine_settings.backends if self.engine_settings else None
        with contextlib.ExitStack() as stack:
            opened: list[MailBackend] = []

            def backend() -> MailBackend:
                # Connected only when the content is not kept from before.
                if not opened:
                    opened.append(stack.enter_context(connected(self.workspace, backends)))
                return opened[0]

            try:
                return fetch_attachment(self.workspace, store, item_id, index, backend)
            except ItemGone as exc:
                raise ServiceError(f"The attachment is no longer there: {exc}") from None
            except (SyncError, AccountError) as exc:
                raise ServiceError(f"Could not fetch the attachment: {exc}") from None

    def save_attachment(
        self, item_id: int, index: int, folder: Path, name: str | None = None
    ) -> Path:
        """Save one attachment into `folder` under its own name (or `name`), made safe and
        never over an existing file; the path it was saved to."""
        content = self.attachment_content(item_id, index)
        target = folder / unique_name(safe_file_name(name or content.name), _names_in(folder))
        _write_new(target, content.data)
        return target

    def save_attachments(self, item_id: int, folder: Path) -> list[Path]:
        """Save every attachment listed as a file (not those shown in the body)."""
        return [
            self.save_attachment(item_id, info.index, folder)
            for info in self.attachments(item_id)
            if not info.inline
        ]

    def open_copy(self, item_id: int, index: int) -> Path:
        """A private copy to hand to the system's viewer (Open), in the profile's cache."""
        content = self.attachment_content(item_id, index)
        folder = private_folder(self.workspace.paths.cache_dir / OPEN_FOLDER / str(item_id))
        target = folder / safe_file_name(content.name)
        private_file(target).write_bytes(content.data)
        return target


def _names_in(folder: Path) -> set[str]:
    if not folder.is_dir():
        raise ServiceError(f"There is no folder {str(folder)!r} to save into")
    return {entry.name for entry in folder.iterdir()}


def _write_new(target: Path, data: bytes) -> None:
    """Write a file that must not exist yet (a name made unique can still be taken by now)."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ServiceError(
            f"{target.name!r} appeared in the folder meanwhile; save again"
        ) from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
