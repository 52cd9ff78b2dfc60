"""What the user does to messages: read or unread, flag, move, copy, delete, junk.

Each action changes the cache at once (the window shows it, the folder counts follow) and
queues the change for the server in the same local transaction (app.sync.actions); the next
sync writes it to Exchange exactly once, offline included. Messages are named by their cached
ids (the listing's, `liaison mail list`'s). A tracked message moved or deleted keeps its CRM
activity; only Untrack with "delete the activity" removes that.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.remote import FlagStatus, FolderContent
from app.mailbox.views import FolderSummary, list_folders
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.sync.actions import (
    How,
    change_states,
    copy_rows,
    delete_rows,
    is_placeholder,
    move_rows,
)


class MailActions(ProfileService):
    def mark_read(self, item_ids: Sequence[int], read: bool = True) -> int:
        """Read (or unread); how many messages changed."""
        with self.workspace.local.sessions.begin() as session:
            return change_states(session, self._rows(session, item_ids), is_read=read)

    def flag(self, item_ids: Sequence[int], status: FlagStatus = FlagStatus.FLAGGED) -> int:
        """Flag for follow-up, mark the flag complete, or clear it; how many changed."""
        with self.workspace.local.sessions.begin() as session:
            return change_states(session, self._rows(session, item_ids), flag=status)

    def move(self, item_ids: Sequence[int], folder_id: int) -> int:
        """Move to another mail folder (drag and drop, Move to folder); how many moved."""
        with self.workspace.local.sessions.begin() as session:
            destination = self._mail_folder(session, folder_id)
            return move_rows(session, self._on_server(session, item_ids), destination)

    def copy(self, item_ids: Sequence[int], folder_id: int) -> list[int]:
        """Copy to another mail folder; the copies' ids."""
        with self.workspace.local.sessions.begin() as session:
            destination = self._mail_folder(session, folder_id)
            rows = self._on_server(session, item_ids)
            if any(row.folder_id == destination.id for row in rows):
                raise ServiceError("Choose another folder: the message is already in this one")
            return [copy.id for copy in copy_rows(session, rows, destination)]

    def delete(self, item_ids: Sequence[int], permanently: bool = False) -> int:
        """Delete: to Deleted Items, or for good (Shift+Delete, or anything already in Deleted
        Items, as Outlook does). A message waiting in the Outbox is not sent. How many were
        deleted."""
        with self.workspace.local.sessions.begin() as session:
            rows = self._rows(session, item_ids)
            deleted_items = self._distinguished(session, "deleteditems")
            for_good = [
                r
                for r in rows
                if permanently or r.folder_id == deleted_items.id or is_placeholder(r.remote_id)
            ]
            to_bin = [r for r in rows if r not in for_good]
            count = delete_rows(session, for_good)
            return count + move_rows(session, to_bin, deleted_items, How.DELETE)

    def junk(self, item_ids: Sequence[int]) -> int:
        """Junk: to Junk Email, and the senders' next mail there too."""
        with self.workspace.local.sessions.begin() as session:
            rows = self._on_server(session, item_ids)
            return move_rows(session, rows, self._distinguished(session, "junkemail"), How.JUNK)

    def not_junk(self, item_ids: Sequence[int]) -> int:
        """Not junk: back to the Inbox, and the senders trusted from now on."""
        with self.workspace.local.sessions.begin() as session:
            rows = self._on_server(session, item_ids)
            inbox = self._distinguished(session, "inbox")
            return move_rows(session, rows, inbox, How.NOT_JUNK)

    def find_folder(self, name: str) -> FolderSummary:
        """A mail folder by its name as shown (any case), its path ("Inbox/Acme"), or its
        well-known name (inbox, sentitems, drafts, deleteditems, junkemail, outbox)."""
        with self.workspace.local.sessions() as session:
            folders = [
                f for f in list_folders(session, self._mailbox_address()) if f.kind.value == "mail"
            ]
        by_id = {f.id: f for f in folders}

        def path(folder: FolderSummary) -> str:
            parent = by_id.get(folder.parent_id or -1)
            return f"{path(parent)}/{folder.name}" if parent else folder.name

        wanted = name.strip().strip("/").casefold()
        for matches in (
            [f for f in folders if (f.distinguished or "") == wanted],
            [f for f in folders if path(f).casefold() == wanted],
            [f for f in folders if f.name.casefold() == wanted],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                shown = ", ".join(path(f) for f in matches)
                raise ServiceError(f"{name!r} names several folders ({shown}): give its path")
        raise ServiceError(f"No mail folder {name!r}")

    # Inside

    def _rows(self, session: Session, item_ids: Sequence[int]) -> list[MailItem]:
        wanted = list(dict.fromkeys(item_ids))
        rows = {
            row.id: row for row in session.scalars(select(MailItem).where(MailItem.id.in_(wanted)))
        }
        missing = [item_id for item_id in wanted if item_id not in rows]
        if missing:
            raise ServiceError(f"No message {missing[0]} in the mailbox")
        return [rows[item_id] for item_id in wanted]

    def _on_server(self, session: Session, item_ids: Sequence[int]) -> list[MailItem]:
        """The rows, all of messages the server has (a draft not saved there yet, or a message
        waiting in the Outbox, cannot be moved or copied before the next sync)."""
        rows = self._rows(session, item_ids)
        if any(is_placeholder(row.remote_id) for row in rows):
            raise ServiceError("Sync first: this message is not on the server yet")
        return rows

    def _mail_folder(self, session: Session, folder_id: int) -> MailFolder:
        folder = session.get(MailFolder, folder_id)
        if folder is None or folder.content != FolderContent.MAIL.value:
            raise ServiceError("Messages can only go to a mail folder")
        return folder

    def _distinguished(self, session: Session, name: str) -> MailFolder:
        folder = cache.distinguished_folder(session, self._mailbox_address(), name)
        if folder is None:
            raise ServiceError("The mailbox's folders are not known yet: sync first")
        return folder

    def _mailbox_address(self) -> str:
        return self.account_address() or self.workspace.owner_address or ""
