"""The mailbox store: every mailbox, folder and item, guarded by one lock.

Operations change the store only through the methods here, inside `with store.writing():`,
so that change numbers, tombstones, notifications and persistence stay consistent. The store
itself is in memory; a Persistence (SQLite) may be attached to make it survive restarts.
"""

from __future__ import annotations

import copy
import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from .errors import EwsError
from .model import Folder, Item, Mailbox, Tombstone, UserConfiguration

# (distinguished id, display name, folder class, element, parent distinguished id)
DEFAULT_FOLDERS: tuple[tuple[str, str, str | None, str, str | None], ...] = (
    ("root", "", None, "Folder", None),
    ("msgfolderroot", "Top of Information Store", None, "Folder", "root"),
    ("inbox", "Inbox", "IPF.Note", "Folder", "msgfolderroot"),
    ("drafts", "Drafts", "IPF.Note", "Folder", "msgfolderroot"),
    ("sentitems", "Sent Items", "IPF.Note", "Folder", "msgfolderroot"),
    ("deleteditems", "Deleted Items", "IPF.Note", "Folder", "msgfolderroot"),
    ("outbox", "Outbox", "IPF.Note", "Folder", "msgfolderroot"),
    ("junkemail", "Junk Email", "IPF.Note", "Folder", "msgfolderroot"),
    ("calendar", "Calendar", "IPF.Appointment", "CalendarFolder", "msgfolderroot"),
    ("contacts", "Contacts", "IPF.Contact", "ContactsFolder", "msgfolderroot"),
    ("tasks", "Tasks", "IPF.Task", "TasksFolder", "msgfolderroot"),
    ("notes", "Notes", "IPF.StickyNote", "Folder", "msgfolderroot"),
    ("journal", "Journal", "IPF.Journal", "Folder", "msgfolderroot"),
    ("conversationhistory", "Conversation History", "IPF.Note", "Folder", "msgfolderroot"),
    ("syncissues", "Sync Issues", "IPF.Note", "Folder", "msgfolderroot"),
    ("conflicts", "Conflicts", "IPF.Note", "Folder", "syncissues"),
    ("localfailures", "Local Failures", "IPF.Note", "Folder", "syncissues"),
    ("serverfailures", "Server Failures", "IPF.Note", "Folder", "syncissues"),
    ("recoverableitemsroot", "Recoverable Items", None, "Folder", "root"),
    ("recoverableitemsdeletions", "Deletions", None, "Folder", "recoverableitemsroot"),
    ("recoverableitemspurges", "Purges", None, "Folder", "recoverableitemsroot"),
    ("recoverableitemsversions", "Versions", None, "Folder", "recoverableitemsroot"),
    ("searchfolders", "Finder", None, "Folder", "root"),
    # The organisation's people as a folder FindPeople can search; it holds no items.
    ("directory", "Directory", None, "Folder", "root"),
)

_ELEMENT_FOR_CLASS = {
    "IPF.Appointment": "CalendarFolder",
    "IPF.Contact": "ContactsFolder",
    "IPF.Task": "TasksFolder",
}


def folder_element(folder_class: str | None) -> str:
    """The folder type Exchange answers with for a container class: IPF.Appointment and its
    sub-classes (IPF.Appointment.Birthday) are calendars, and so on; anything else is a Folder."""
    base = (folder_class or "").split(".")[:2]
    return _ELEMENT_FOR_CLASS.get(".".join(base), "Folder")


_MAILBOX_NAMESPACE = uuid.UUID("5c1e0e0a-9a3a-4f0e-9d6c-6c69616973f1")


def mailbox_guid(address: str) -> bytes:
    """Stable per address, so ids stay meaningful across restarts of a persistent store."""
    return uuid.uuid5(_MAILBOX_NAMESPACE, address.casefold()).bytes


def new_guid() -> bytes:
    return uuid.uuid4().bytes


def duplicate(item: Item) -> Item:
    """A copy of an item with ids of its own (CopyItem, CopyFolder), not yet in a folder."""
    attachments = [copy.copy(a) for a in item.attachments]
    for attachment in attachments:
        attachment.uuid = new_guid()
    return Item(
        uuid=new_guid(),
        item_type=item.item_type,
        folder=b"",
        props=dict(item.props),
        extended=dict(item.extended),
        attachments=attachments,
        headers=list(item.headers),
        mime=item.mime,
        exceptions=copy.deepcopy(item.exceptions),
        deleted_occurrences=set(item.deleted_occurrences),
    )


@dataclass
class StoreEvent:
    """One change, as notification subscriptions see it."""

    kind: str  # Created, Deleted, Modified, Moved, Copied, NewMail
    mailbox: Mailbox
    folder: Folder
    item: Item | None = None
    folder_event: Folder | None = None  # set for folder created/deleted/modified events
    old_item_uuid: bytes | None = None
    old_folder: Folder | None = None


class Persistence(Protocol):
    """Where the store writes its changes (see sqlite_store.py); loads them back on start."""

    def load(self, store: Store) -> None: ...

    def flush(self, changes: PendingChanges) -> None: ...

    def changed_elsewhere(self) -> bool: ...


@dataclass
class PendingChanges:
    mailboxes: dict[bytes, Mailbox] = field(default_factory=dict)
    folders: dict[tuple[bytes, bytes], tuple[Mailbox, Folder | None]] = field(default_factory=dict)
    items: dict[tuple[bytes, bytes], tuple[Mailbox, Item | None]] = field(default_factory=dict)
    tombstones: list[tuple[Mailbox, bytes | None, bytes, Tombstone]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.mailboxes or self.folders or self.items or self.tombstones)


class Store:
    def __init__(self, persistence: Persistence | None = None) -> None:
        self.lock = threading.RLock()
        self.epoch = os.urandom(8)
        self.secret = os.urandom(32)
        self.mailboxes: dict[str, Mailbox] = {}
        # Addresses whose mailbox is elsewhere -> the address autodiscover redirects to.
        self.redirects: dict[str, str] = {}
        self._by_guid: dict[bytes, Mailbox] = {}
        self._pending = PendingChanges()
        self._listeners: list[Callable[[StoreEvent], None]] = []
        self._persistence = persistence
        self._depth = 0
        if persistence is not None:
            persistence.load(self)
            with self.writing():
                for mailbox in self.mailboxes.values():
                    self._add_default_folders(mailbox)

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store for one operation; changes are persisted when the outermost ends.
        A store someone else changed on disk (`sandbox deliver --data`) is reloaded first."""
        with self.lock:
            persistence = self._persistence
            if self._depth == 0 and persistence is not None and persistence.changed_elsewhere():
                self._reload()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, PendingChanges()
        if self._persistence is not None:
            self._persistence.flush(pending)

    def _reload(self) -> None:
        """Read the store again after another process wrote it; what it added is announced to
        notification subscribers as created (and, in an Inbox, new) mail."""
        assert self._persistence is not None
        known = {(m.guid, uuid) for m in self.mailboxes.values() for uuid in m.items}
        self.mailboxes.clear()
        self._by_guid.clear()
        self._persistence.load(self)
        for mailbox in self.mailboxes.values():
            for item in mailbox.items.values():
                if (mailbox.guid, item.uuid) in known:
                    continue
                folder = mailbox.folders[item.folder]
                self._publish(StoreEvent("Created", mailbox, folder, item))
                if folder.distinguished == "inbox":
                    self._publish(StoreEvent("NewMail", mailbox, folder, item))

    def subscribe(self, listener: Callable[[StoreEvent], None]) -> None:
        self._listeners.append(listener)

    def _publish(self, event: StoreEvent) -> None:
        for listener in self._listeners:
            listener(event)

    # --- mailboxes and folders ----------------------------------------------------------

    def mailbox(self, address: str) -> Mailbox | None:
        return self.mailboxes.get(address.casefold())

    def mailbox_by_guid(self, guid: bytes) -> Mailbox | None:
        return self._by_guid.get(guid)

    def attach_mailbox(self, mailbox: Mailbox) -> None:
        """Register a mailbox as loaded from persistence (no defaults, no write-back)."""
        self.mailboxes[mailbox.address.casefold()] = mailbox
        self._by_guid[mailbox.guid] = mailbox

    def revoke_token(self, token: str) -> None:
        """An OAuth access token stops working (it expired or was revoked)."""
        with self.writing():
            for mailbox in self.mailboxes.values():
                if token in mailbox.tokens:
                    mailbox.tokens.discard(token)
                    self._pending.mailboxes[mailbox.guid] = mailbox

    def add_mailbox(
        self,
        address: str,
        display_name: str,
        password: str | None = None,
        tokens: set[str] | None = None,
    ) -> Mailbox:
        with self.writing():
            existing = self.mailbox(address)
            if existing is not None:
                existing.display_name = display_name or existing.display_name
                if password is not None:
                    existing.password = password
                existing.tokens |= tokens or set()
                self._pending.mailboxes[existing.guid] = existing
                return existing
            mailbox = Mailbox(
                address=address,
                display_name=display_name,
                guid=mailbox_guid(address),
                password=password,
                tokens=set(tokens or ()),
            )
            self.attach_mailbox(mailbox)
            self._add_default_folders(mailbox)
            self._pending.mailboxes[mailbox.guid] = mailbox
            return mailbox

    def _add_default_folders(self, mailbox: Mailbox) -> None:
        """The distinguished folders the mailbox does not have yet (all of a new mailbox; those
        added to the sandbox since a persisted mailbox was created)."""
        for distinguished, name, folder_class, element, parent in DEFAULT_FOLDERS:
            if distinguished in mailbox.distinguished:
                continue
            parent_folder = mailbox.distinguished[parent] if parent else None
            self.create_folder(mailbox, parent_folder, name, folder_class, element, distinguished)

    def create_folder(
        self,
        mailbox: Mailbox,
        parent: Folder | None,
        name: str,
        folder_class: str | None,
        element: str = "Folder",
        distinguished: str | None = None,
    ) -> Folder:
        number = mailbox.next_change()
        folder = Folder(
            uuid=new_guid(),
            parent=parent.uuid if parent else None,
            name=name,
            folder_class=folder_class,
            element=element,
            distinguished=distinguished,
            change_number=number,
            arrived=number,
        )
        mailbox.folders[folder.uuid] = folder
        if distinguished:
            mailbox.distinguished[distinguished] = folder
        mailbox.hierarchy.touch(folder.uuid, number)
        self._mark_folder(mailbox, folder)
        if parent is not None:
            self._touch_folder(mailbox, parent)
            self._publish(StoreEvent("Created", mailbox, parent, folder_event=folder))
        return folder

    def folder_changed(self, mailbox: Mailbox, folder: Folder) -> None:
        """Record a write to a folder's own properties (name, extended properties)."""
        self._touch_folder(mailbox, folder)
        parent = mailbox.folders.get(folder.parent) if folder.parent else None
        if parent is not None:
            self._publish(StoreEvent("Modified", mailbox, parent, folder_event=folder))

    def move_folder(self, mailbox: Mailbox, folder: Folder, destination: Folder) -> None:
        """A moved folder keeps its FolderId (unlike a moved item); it and both parents change."""
        assert folder.parent is not None
        source = mailbox.folders[folder.parent]
        folder.parent = destination.uuid
        for changed in (folder, source, destination):
            self._touch_folder(mailbox, changed)
        self._publish(
            StoreEvent("Moved", mailbox, destination, folder_event=folder, old_folder=source)
        )

    def copy_folder(self, mailbox: Mailbox, folder: Folder, destination: Folder) -> Folder:
        """A new folder with copies of the folder's items and sub-folders, ids of its own."""
        copied = self.create_folder(
            mailbox, destination, folder.name, folder.folder_class, folder.element
        )
        copied.extended = dict(folder.extended)
        for item in list(folder.items.values()):
            self.add_item(mailbox, copied, duplicate(item))
        for sub in mailbox.children_of(folder):
            self.copy_folder(mailbox, sub, copied)
        return copied

    def delete_folder(self, mailbox: Mailbox, folder: Folder) -> None:
        for sub in [folder, *mailbox.descendants_of(folder)]:
            for item in list(sub.items.values()):
                self.remove_item(mailbox, item)
            del mailbox.folders[sub.uuid]
            number = mailbox.next_change()
            tombstone = Tombstone(removed=number, arrived=sub.arrived)
            mailbox.folder_tombstones[sub.uuid] = tombstone
            mailbox.hierarchy.touch(sub.uuid, number)
            self._pending.folders[(mailbox.guid, sub.uuid)] = (mailbox, None)
            self._pending.tombstones.append((mailbox, None, sub.uuid, tombstone))
        parent = mailbox.folders.get(folder.parent) if folder.parent else None
        if parent is not None:
            self._touch_folder(mailbox, parent)
            self._publish(StoreEvent("Deleted", mailbox, parent, folder_event=folder))

    def settings_changed(self, mailbox: Mailbox) -> None:
        """Record a change to the mailbox's settings (junk lists, rules, delegates)."""
        self._pending.mailboxes[mailbox.guid] = mailbox

    def replace_content(self, mailbox: Mailbox, item: Item, content: Item) -> None:
        """Give an item another item's content, keeping its id and folder (UploadItems)."""
        item.props, item.extended = content.props, content.extended
        item.attachments, item.headers, item.mime = (
            content.attachments,
            content.headers,
            content.mime,
        )
        item.exceptions, item.deleted_occurrences = content.exceptions, content.deleted_occurrences
        self.item_changed(mailbox, item, set(item.props) | set(item.extended))

    def save_configuration(
        self, mailbox: Mailbox, folder: Folder, configuration: UserConfiguration
    ) -> None:
        configuration.change_number = mailbox.next_change()
        folder.configurations[configuration.name.casefold()] = configuration
        self._mark_folder(mailbox, folder)

    def remove_configuration(self, mailbox: Mailbox, folder: Folder, name: str) -> None:
        del folder.configurations[name.casefold()]
        self._mark_folder(mailbox, folder)

    def _touch_folder(self, mailbox: Mailbox, folder: Folder) -> None:
        folder.change_number = mailbox.next_change()
        mailbox.hierarchy.touch(folder.uuid, folder.change_number)
        self._mark_folder(mailbox, folder)

    def _mark_folder(self, mailbox: Mailbox, folder: Folder) -> None:
        self._pending.folders[(mailbox.guid, folder.uuid)] = (mailbox, folder)
        self._pending.mailboxes[mailbox.guid] = mailbox

    # --- items --------------------------------------------------------------------------

    def add_item(
        self, mailbox: Mailbox, folder: Folder, item: Item, new_mail: bool = False
    ) -> Item:
        number = mailbox.next_change()
        item.folder = folder.uuid
        item.change_number = number
        item.arrived = item.content_changed = item.read_changed = number
        item.versions = dict.fromkeys(item.props, number)
        item.versions.update(dict.fromkeys(item.extended, number))
        item.render_cache = {}
        folder.items[item.uuid] = item
        folder.tombstones.pop(item.uuid, None)
        folder.changes.touch(item.uuid, number)
        mailbox.items[item.uuid] = item
        self._mark_item(mailbox, item)
        self._publish(StoreEvent("Created", mailbox, folder, item))
        if new_mail:
            self._publish(StoreEvent("NewMail", mailbox, folder, item))
        self._counts_changed(mailbox, folder)
        return item

    def item_changed(
        self, mailbox: Mailbox, item: Item, changed: set[object], read_flag_only: bool = False
    ) -> None:
        """Record a write to an item; `changed` names the properties written."""
        number = mailbox.next_change()
        item.change_number = number
        for key in changed:
            item.versions[key] = number
        if read_flag_only:
            item.read_changed = number
        else:
            item.content_changed = number
        item.render_cache = {}
        folder = mailbox.folders[item.folder]
        folder.changes.touch(item.uuid, number)
        self._mark_item(mailbox, item)
        self._publish(StoreEvent("Modified", mailbox, folder, item))
        if "IsRead" in changed:
            self._counts_changed(mailbox, folder)

    def remove_item(self, mailbox: Mailbox, item: Item, publish: bool = True) -> None:
        folder = mailbox.folders[item.folder]
        number = mailbox.next_change()
        tombstone = Tombstone(removed=number, arrived=item.arrived)
        folder.items.pop(item.uuid, None)
        folder.tombstones[item.uuid] = tombstone
        folder.changes.touch(item.uuid, number)
        mailbox.items.pop(item.uuid, None)
        self._pending.items[(mailbox.guid, item.uuid)] = (mailbox, None)
        self._pending.tombstones.append((mailbox, folder.uuid, item.uuid, tombstone))
        self._pending.mailboxes[mailbox.guid] = mailbox
        if publish:
            self._publish(StoreEvent("Deleted", mailbox, folder, item))
        self._counts_changed(mailbox, folder)

    def move_item(self, mailbox: Mailbox, item: Item, destination: Folder) -> Item:
        """Exchange gives a moved item a new ItemId; so does the sandbox."""
        source = mailbox.folders[item.folder]
        old_uuid = item.uuid
        self.remove_item(mailbox, item, publish=False)
        item.uuid = new_guid()
        moved = self._place(mailbox, destination, item)
        self._publish(
            StoreEvent(
                "Moved", mailbox, destination, moved, old_item_uuid=old_uuid, old_folder=source
            )
        )
        self._counts_changed(mailbox, destination)
        return moved

    def copy_item(self, mailbox: Mailbox, item: Item, destination: Folder, copy: Item) -> Item:
        placed = self._place(mailbox, destination, copy)
        self._publish(
            StoreEvent(
                "Copied",
                mailbox,
                destination,
                placed,
                old_item_uuid=item.uuid,
                old_folder=mailbox.folders[item.folder],
            )
        )
        self._counts_changed(mailbox, destination)
        return placed

    def _counts_changed(self, mailbox: Mailbox, folder: Folder) -> None:
        """Exchange reports a folder whose item or unread count changed as a ModifiedEvent."""
        parent = mailbox.folders.get(folder.parent) if folder.parent else None
        if parent is not None:
            self._publish(StoreEvent("Modified", mailbox, parent, folder_event=folder))

    def _place(self, mailbox: Mailbox, folder: Folder, item: Item) -> Item:
        number = mailbox.next_change()
        item.folder = folder.uuid
        item.change_number = number
        item.arrived = item.content_changed = item.read_changed = number
        item.render_cache = {}
        folder.items[item.uuid] = item
        folder.changes.touch(item.uuid, number)
        mailbox.items[item.uuid] = item
        self._mark_item(mailbox, item)
        return item

    def _mark_item(self, mailbox: Mailbox, item: Item) -> None:
        self._pending.items[(mailbox.guid, item.uuid)] = (mailbox, item)
        self._pending.mailboxes[mailbox.guid] = mailbox

    # --- lookups ------------------------------------------------------------------------

    def folder(self, mailbox: Mailbox, folder_uuid: bytes) -> Folder:
        found = mailbox.folders.get(folder_uuid)
        if found is None:
            raise EwsError("ErrorFolderNotFound")
        return found

    def item(self, mailbox: Mailbox, item_uuid: bytes) -> Item:
        found = mailbox.items.get(item_uuid)
        if found is None:
            raise EwsError("ErrorItemNotFound")
        return found

    def state_signature(self, payload: bytes) -> bytes:
        """Signs sync states and watermarks: garbage, or another store's states, are refused."""
        return hashlib.blake2b(payload, key=self.secret, digest_size=12).digest()
