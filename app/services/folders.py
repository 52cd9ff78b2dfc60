"""Folder-level tracking: mail filed in a folder under the Inbox is tracked regarding a record.

As Dynamics' folder-level tracking: only folders inside the Inbox (where Exchange and the
user's rules file incoming mail), and at most MAX_MAPPED_FOLDERS of them. Mapping a folder
makes the next sync read it again from the start, so mail already in it is tracked too;
stopping leaves the mail tracked so far as it is. The window (the folder tree's context menu)
and `liaison folder` both come here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.crm.records import get_record
from app.crm.search import RecordKey, RecordSummary, record_summary
from app.mailbox.cache import is_mail_folder
from app.mailbox.models import MailFolder
from app.services.base import ProfileService

MAX_MAPPED_FOLDERS = 25


class Refusal(enum.StrEnum):
    """Why a folder cannot track mail; the window and the CLI put it in words."""

    NOT_UNDER_INBOX = "not-under-inbox"
    TOO_MANY = "too-many"


class FolderNotMappable(CrmError):
    def __init__(self, refusal: Refusal, folder: str) -> None:
        self.refusal = refusal
        self.folder = folder
        if refusal is Refusal.NOT_UNDER_INBOX:
            text = (
                f"Only folders inside the Inbox can track mail, and {folder!r} is not inside "
                "it; move it under the Inbox first"
            )
        else:
            text = (
                f"At most {MAX_MAPPED_FOLDERS} folders can track mail regarding a record; stop "
                "tracking another folder first"
            )
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class FolderTracking:
    """A mail folder and what it tracks its mail regarding."""

    id: int
    path: str  # "Inbox/Acme Logistics"
    tracks: RecordSummary | None  # None: it tracks nothing
    refusal: Refusal | None  # why it could not track mail now; None: it can

    def as_json(self) -> dict[str, object]:
        tracks = self.tracks
        return {
            "id": self.id,
            "path": self.path,
            "tracks": tracks is not None,
            "regarding": {"type": tracks.key.type.value, "id": tracks.key.id, "name": tracks.name}
            if tracks
            else None,
            "can_track": self.refusal is None or tracks is not None,
            "refusal": self.refusal.value if self.refusal and tracks is None else None,
        }


class FolderTrackingService(ProfileService):
    def folder_tracking(self) -> list[FolderTracking]:
        """Every mail folder of the account, by path, with what it tracks."""
        account = self.account_address() or self.workspace.owner_address or ""
        with self.workspace.local.sessions() as session:
            folders = _mail_folders(session, account)
            rows = [
                (folder.id, _path(folder, folders), _mapped(folder), _refusal(folder, folders))
                for folder in folders.values()
                if is_mail_folder(folder)
            ]
        with self.workspace.crm.sessions() as session:
            found = [
                FolderTracking(folder_id, path, _summary(session, mapped), why)
                for folder_id, path, mapped, why in rows
            ]
        return sorted(found, key=lambda row: row.path.casefold())

    def folder_refusal(self, folder_id: int) -> Refusal | None:
        """Why this folder cannot track mail now (None: it can)."""
        with self.workspace.local.sessions() as session:
            return refusal(session, _folder(session, folder_id))

    def track_folder(self, folder_id: int, regarding: RecordKey) -> None:
        """Track the mail filed in the folder regarding the record, from the next sync on."""
        self.map_folder(folder_id, (regarding.type.value, str(regarding.id)))

    def stop_tracking_folder(self, folder_id: int) -> None:
        """The folder tracks nothing from now on; mail tracked so far stays tracked."""
        self.map_folder(folder_id, None)

    def map_folder(self, folder_id: int, record: tuple[str, str] | None) -> None:
        """Map the folder to a record given as TYPE and KEY (None: unmap it)."""
        with self.workspace.crm.sessions() as session:
            target = get_record(session, *record) if record else None
            mapped = (target.type, target.id) if target else (None, None)
        with self.workspace.local.sessions.begin() as session:
            folder = _folder(session, folder_id)
            if target is not None:
                check_mappable(session, folder)
            folder.mapped_record_type, folder.mapped_record_id = mapped
            folder.sync_state = None


def check_mappable(session: Session, folder: MailFolder) -> None:
    """Raise FolderNotMappable, in words, when the folder cannot track mail."""
    why = refusal(session, folder)
    if why is not None:
        raise FolderNotMappable(why, folder.display_name)


def refusal(session: Session, folder: MailFolder) -> Refusal | None:
    return _refusal(folder, _mail_folders(session, folder.account))


def _refusal(folder: MailFolder, folders: dict[int, MailFolder]) -> Refusal | None:
    by_remote_id = {f.remote_id: f for f in folders.values()}
    inbox = next((f for f in folders.values() if f.distinguished == "inbox"), None)
    parent = by_remote_id.get(folder.parent_remote_id or "")
    while parent is not None and parent is not inbox:
        parent = by_remote_id.get(parent.parent_remote_id or "")
    if inbox is None or parent is not inbox:
        return Refusal.NOT_UNDER_INBOX
    others = [f for f in folders.values() if f.mapped_record_type and f.id != folder.id]
    return Refusal.TOO_MANY if len(others) >= MAX_MAPPED_FOLDERS else None


def _folder(session: Session, folder_id: int) -> MailFolder:
    folder = session.get(MailFolder, folder_id)
    if folder is None:
        raise CrmError(f"No folder {folder_id} in the mailbox")
    return folder


def _mail_folders(session: Session, account: str) -> dict[int, MailFolder]:
    found = session.scalars(select(MailFolder).where(MailFolder.account == account))
    return {folder.id: folder for folder in found}


def _path(folder: MailFolder, folders: dict[int, MailFolder]) -> str:
    by_remote_id = {f.remote_id: f for f in folders.values()}
    names = [folder.display_name]
    parent = by_remote_id.get(folder.parent_remote_id or "")
    while parent is not None and len(names) < len(folders):
        names.append(parent.display_name)
        parent = by_remote_id.get(parent.parent_remote_id or "")
    return "/".join(reversed(names))


def _mapped(folder: MailFolder) -> tuple[str, int] | None:
    if folder.mapped_record_type and folder.mapped_record_id is not None:
        return folder.mapped_record_type, folder.mapped_record_id
    return None


def _summary(session: Session, mapped: tuple[str, int] | None) -> RecordSummary | None:
    if mapped is None:
        return None
    try:
        return record_summary(get_record(session, mapped[0], str(mapped[1])))
    except CrmError:
        return None  # the record was deleted since: the folder tracks nothing any more
