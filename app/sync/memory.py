"""A mail server kept in memory, and the MailBackend over it.

A real implementation of app.sync.backend, not a stub: the engine tests run against it in
milliseconds, and the contract suite (tests/sync/contract) holds it to the same behaviour as the
EWS backend on the sandbox. It behaves as Exchange does wherever sync depends on it:

- Folders hold items; an item keeps its id while it stays in its folder. A move is a delete in
  one folder and a create in the other, with a new id and the same Message-ID.
- Every write gives the item a new change key. A write that brings an older change key is
  refused (ChangeConflict) only when a field it writes changed since that key, as Exchange's
  AutoResolve does; one without a change key overwrites.
- A sync state stands for "changes up to change number N" of one folder. Changes since a state
  come oldest first, each item once at its newest (create, update, delete, or read-flag change
  when only that changed), at most `page_size` at a time with `more` set while some remain. An
  item created and deleted between two states is not reported. A state the server does not know
  (garbled, of another folder, or from before `forget_sync_states()`) raises InvalidSyncState.
- Liaison's mark is the item's categories plus its properties (RemoteMark), found by client id.
- Sending files a copy in Sent Items, delivers it to recipients on this server and records the
  rest in `MemoryServer.outbound`.
- Changes wake `wait_for_changes` through a condition (no polling of the mailbox).

Tests act as "another client" through MemoryMailbox's methods (deliver, create, edit,
set_categories, set_read, move, delete, create_folder, delete_folder, forget_sync_states) and
make the server fail through MemoryServer's (go_down, come_back, throttle). Appointment and
task details are the flat values of app.sync.activity_fields, completed the way Exchange
completes them (the organizer, a task's completion).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from app.accounts import AccountSettings
from app.mailbox.mime import parse_message
from app.sync import activity_fields
from app.sync.backend import (
    BackOffListener,
    Body,
    Connected,
    DistinguishedFolder,
    FolderContent,
    HierarchyChanges,
    ItemChanges,
    ItemKind,
    ItemRef,
    LinkState,
    MarkChange,
    OutgoingMessage,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
    SecretSource,
)
from app.sync.errors import (
    AuthenticationFailed,
    ChangeConflict,
    FolderGone,
    InvalidSyncState,
    ItemGone,
    MailboxAccessDenied,
    ServerFailure,
    ServerUnreachable,
    check_cancel,
)
from app.sync.retry import RetryBudget
from app.tracking.model import Address

T = TypeVar("T")

# (distinguished name, display name, content); all under the root of the mail folders.
DEFAULT_FOLDERS: tuple[tuple[str, str, FolderContent], ...] = (
    ("inbox", "Inbox", FolderContent.MAIL),
    ("drafts", "Drafts", FolderContent.MAIL),
    ("sentitems", "Sent Items", FolderContent.MAIL),
    ("deleteditems", "Deleted Items", FolderContent.MAIL),
    ("outbox", "Outbox", FolderContent.MAIL),
    ("junkemail", "Junk Email", FolderContent.MAIL),
    ("calendar", "Calendar", FolderContent.CALENDAR),
    ("contacts", "Contacts", FolderContent.CONTACTS),
    ("tasks", "Tasks", FolderContent.TASKS),
    ("notes", "Notes", FolderContent.NOTES),
)
_ITEM_CLASSES = {
    ItemKind.MESSAGE: "IPM.Note",
    ItemKind.APPOINTMENT: "IPM.Appointment",
    ItemKind.TASK: "IPM.Task",
}
_MARK = "mark"  # the version key of Liaison's properties
_CATEGORIES = "categories"
_READ = "is_read"


class _Busy(Exception):
    """The server asked for a pause before the next request (Exchange's ErrorServerBusy)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"server busy for {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message that left the server for recipients it does not hold."""

    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str


@dataclass(eq=False)
class _Item:
    remote: RemoteItem
    body: Body
    arrived: int
    number: int
    content_changed: int
    versions: dict[str, int] = field(default_factory=dict)


@dataclass(eq=False)
class _Folder:
    id: str
    parent_id: str | None
    name: str
    content: FolderContent
    distinguished: str | None
    arrived: int
    items: dict[str, _Item] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)  # item id -> its newest change
    tombstones: dict[str, int] = field(default_factory=dict)  # deleted id -> when it arrived
    latest: int = 0  # the newest change to the folder or an item in it

    def remote(self) -> RemoteFolder:
        return RemoteFolder(
            id=self.id,
            change_key=_change_key(self.latest),
            parent_id=self.parent_id,
            name=self.name,
            content=self.content,
            total_count=len(self.items),
            unread_count=sum(not item.remote.is_read for item in self.items.values()),
        )


class MemoryMailbox:
    """One mailbox: its folders and items, and what another client can do to them."""

    def __init__(self, server: MemoryServer, address: str, password: str, name: str) -> None:
        self.server = server
        self.address = address
        self.password = password
        self.display_name = name
        self._seq = 0
        self._generation = uuid.uuid4().hex[:12]
        self._folders: dict[str, _Folder] = {}
        self._folder_changes: dict[str, int] = {}
        self._folder_tombstones: dict[str, int] = {}
        self._where: dict[str, str] = {}  # item id -> folder id
        self._subscriptions: dict[str, tuple[frozenset[str], int]] = {}
        self.root = self._add_folder(None, "Top of Information Store", FolderContent.OTHER)
        self._distinguished = {DistinguishedFolder.ROOT.value: self.root}
        for distinguished, display_name, content in DEFAULT_FOLDERS:
            folder = self._add_folder(self.root.id, display_name, content, distinguished)
            self._distinguished[distinguished] = folder

    # Another client: folders

    def folder_id(self, name: str) -> str:
        """A folder by its distinguished name ("inbox", "sentitems", ...) or display name."""
        with self.server.lock:
            found = self._distinguished.get(name) or next(
                (f for f in self._folders.values() if f.name == name), None
            )
            if found is None:
                raise KeyError(f"{self.address} has no folder {name!r}")
            return found.id

    def create_folder(self, name: str, parent: str = "inbox") -> str:
        """A mail folder, under the Inbox unless `parent` names another folder."""
        with self.server.lock:
            return self._add_folder(self.folder_id(parent), name, FolderContent.MAIL).id

    def delete_folder(self, name: str) -> None:
        with self.server.lock:
            folder = self._folder(self.folder_id(name))
            for item in list(folder.items.values()):
                self._remove(item)
            del self._folders[folder.id]
            number = self._next()
            self._folder_tombstones[folder.id] = folder.arrived
            self._folder_changes[folder.id] = number
            self._touch_parent(folder, number)

    def forget_sync_states(self) -> None:
        """What a mailbox restored from backup does: every sync state handed out is unknown."""
        with self.server.lock:
            self._generation = uuid.uuid4().hex[:12]

    # Another client: items

    def deliver(self, raw: bytes) -> str:
        """An RFC 5322 message arrives in the Inbox; its item id."""
        parsed = parse_message(raw)
        facts = parsed.facts
        with self.server.lock:
            message_id = facts.message_id or _new_message_id(self.address)
            index = facts.conversation_index or self._conversation_index(
                facts.in_reply_to, facts.references
            )
            remote = RemoteItem(
                id="",
                change_key=None,
                kind=ItemKind.MESSAGE,
                subject=facts.subject,
                sender=facts.sender,
                to=facts.to,
                cc=facts.cc,
                received_at=_now(),
                sent_at=facts.sent_at,
                sensitivity=facts.sensitivity.value,
                message_id=message_id,
                in_reply_to=facts.in_reply_to,
                references=facts.references,
                conversation_index=index,
                conversation_id=_conversation_id(index),
            )
            inbox = self._distinguished[DistinguishedFolder.INBOX.value]
            return self._add_item(inbox, remote, Body(parsed.body_text, parsed.body_html)).id

    def create(
        self,
        folder: str,
        kind: ItemKind,
        fields: dict[str, Any],
        categories: Sequence[str] = (),
    ) -> str:
        """An appointment or task made in another client; its item id."""
        with self.server.lock:
            item = self._create(self._folder(self.folder_id(folder)), kind, fields, RemoteMark())
            if categories:
                self._write(item, {_CATEGORIES}, categories=tuple(categories))
            return item.remote.id

    def edit(self, item_id: str, /, **fields: Any) -> None:
        """Change an appointment's or task's fields (activity_fields names) or a subject."""
        with self.server.lock:
            item = self._item(item_id)
            self._write(item, set(fields), details=fields)

    def set_categories(self, item_id: str, categories: Sequence[str]) -> None:
        with self.server.lock:
            self._write(self._item(item_id), {_CATEGORIES}, categories=tuple(categories))

    def set_read(self, item_id: str, read: bool) -> None:
        with self.server.lock:
            item = self._item(item_id)
            self._bump(item, replace(item.remote, is_read=read), {_READ}, read_only=True)

    def move(self, item_id: str, folder: str) -> str:
        """Move an item to another folder; its new id there (same Message-ID)."""
        with self.server.lock:
            destination = self._folder(self.folder_id(folder))
            item = self._remove(self._item(item_id))
            return self._add_item(destination, item.remote, item.body).id

    def delete(self, item_id: str) -> None:
        with self.server.lock:
            self._remove(self._item(item_id))

    def receive(self, message: RemoteItem, body: Body) -> None:
        """A message sent by another mailbox of this server arrives, unread, unmarked."""
        with self.server.lock:
            inbox = self._distinguished[DistinguishedFolder.INBOX.value]
            received = replace(message, is_read=False, categories=(), mark=RemoteMark())
            self._add_item(inbox, received, body)

    def items(self, folder: str) -> list[RemoteItem]:
        """The items of a folder as any client reads them, oldest first."""
        with self.server.lock:
            found = self._folder(self.folder_id(folder)).items.values()
            return [item.remote for item in sorted(found, key=lambda item: item.arrived)]

    # The backend's side (called under the server's lock)

    def distinguished(self) -> dict[DistinguishedFolder, RemoteFolder]:
        return {name: self._distinguished[name.value].remote() for name in DistinguishedFolder}

    def folder_changes(self, sync_state: str | None) -> HierarchyChanges:
        since = self._decode(sync_state, self.root.id)
        changed: list[RemoteFolder] = []
        deleted: list[str] = []
        for number, folder_id in sorted((n, f) for f, n in self._folder_changes.items()):
            if number <= since:
                continue
            folder = self._folders.get(folder_id)
            if folder is None:
                if self._folder_tombstones.get(folder_id, since + 1) <= since:
                    deleted.append(folder_id)
            elif folder is not self.root:
                changed.append(folder.remote())
        return HierarchyChanges(changed, deleted, self._encode(self.root.id, self._seq), False)

    def item_changes(self, folder_id: str, sync_state: str | None, page_size: int) -> ItemChanges:
        folder = self._folder(folder_id)
        since = self._decode(sync_state, folder_id)
        created: list[RemoteItem] = []
        updated: list[RemoteItem] = []
        deleted: list[str] = []
        read_flags: list[tuple[str, bool]] = []
        last, more, reported = since, False, 0
        for number, item_id in sorted((n, i) for i, n in folder.changes.items() if n > since):
            if reported == page_size:
                more = True
                break
            last = number
            item = folder.items.get(item_id)
            if item is None:
                if folder.tombstones.get(item_id, since + 1) <= since:
                    deleted.append(item_id)
                    reported += 1
                continue
            reported += 1
            if item.arrived > since:
                created.append(item.remote)
            elif item.content_changed > since:
                updated.append(item.remote)
            else:
                read_flags.append((item_id, item.remote.is_read))
        state = self._encode(folder_id, last if more else self._seq)
        return ItemChanges(created, updated, deleted, read_flags, state, more)

    def find(self, item_id: str) -> _Item | None:
        folder_id = self._where.get(item_id)
        return self._folders[folder_id].items[item_id] if folder_id else None

    def write_mark(self, change: MarkChange, known: tuple[str, tuple[str, ...]]) -> ItemRef:
        item = self._item(change.item_id)
        change_key, categories = known
        kept = [c for c in categories if c not in change.remove_categories]
        kept += [c for c in change.add_categories if c not in kept]
        _check_change_key(item, change_key, {_CATEGORIES, _MARK})
        self._write(item, {_CATEGORIES, _MARK}, categories=tuple(kept), mark=change.mark)
        return ItemRef(item.remote.id, item.remote.change_key, tuple(kept))

    def find_by_client_id(self, folder_id: str, client_id: str) -> ItemRef | None:
        for item in self._folder(folder_id).items.values():
            if item.remote.mark.client_id == client_id:
                return ItemRef(item.remote.id, item.remote.change_key)
        return None

    def create_item(
        self, folder_id: str, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> ItemRef:
        item = self._create(self._folder(folder_id), kind, _as_a_client_writes(fields), mark)
        return ItemRef(item.remote.id, item.remote.change_key)

    def update_item(self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None) -> ItemRef:
        item = self._item(ref.id)
        written = set(fields) | ({_MARK} if mark is not None else set())
        _check_change_key(item, ref.change_key, written)
        self._write(item, written, details=_as_a_client_writes(fields), mark=mark)
        return ItemRef(item.remote.id, item.remote.change_key)

    def send(self, message: OutgoingMessage, mark: RemoteMark, sent_folder_id: str) -> None:
        folder = self._folder(sent_folder_id)
        if not (message.to or message.cc):
            raise ServerFailure("The server answered ErrorInvalidRecipients: no recipients")
        index = _new_conversation_index()
        copy = RemoteItem(
            id="",
            change_key=None,
            kind=ItemKind.MESSAGE,
            subject=message.subject,
            sender=Address(self.address, self.display_name),
            to=message.to,
            cc=message.cc,
            received_at=_now(),
            sent_at=_now(),
            is_read=True,
            categories=_mark_categories(mark),
            message_id=_new_message_id(self.address),
            conversation_index=index,
            conversation_id=_conversation_id(index),
            mark=mark,
        )
        body = Body(message.body_text, message.body_html)
        self._add_item(folder, copy, body)
        self.server.transmit(self, copy, body)

    def subscribe(self, folder_ids: Sequence[str]) -> str:
        subscription = uuid.uuid4().hex
        self._subscriptions[subscription] = (frozenset(folder_ids), self._seq)
        return subscription

    def changed_since(self, subscription: str) -> bool | None:
        """Whether a watched folder changed since the subscription (None: no such one)."""
        watched = self._subscriptions.get(subscription)
        if watched is None:
            return None
        folder_ids, since = watched
        return any(
            folder.latest > since
            for folder_id in folder_ids
            if (folder := self._folders.get(folder_id))
        )

    def unsubscribe(self, subscription: str) -> None:
        self._subscriptions.pop(subscription, None)

    # Inside

    def _next(self) -> int:
        self._seq += 1
        self.server.changed.notify_all()
        return self._seq

    def _add_folder(
        self,
        parent_id: str | None,
        name: str,
        content: FolderContent,
        distinguished: str | None = None,
    ) -> _Folder:
        number = self._next()
        folder = _Folder(
            f"folder-{uuid.uuid4().hex}", parent_id, name, content, distinguished, number
        )
        folder.latest = number
        self._folders[folder.id] = folder
        self._folder_changes[folder.id] = number
        self._touch_parent(folder, number)
        return folder

    def _touch_parent(self, folder: _Folder, number: int) -> None:
        """A parent whose children changed is changed too, as the hierarchy reports it."""
        if folder.parent_id in self._folders:
            self._folder_changes[folder.parent_id] = number

    def _folder(self, folder_id: str) -> _Folder:
        folder = self._folders.get(folder_id)
        if folder is None:
            raise FolderGone(f"The folder {folder_id[-12:]} is not on the server any more")
        return folder

    def _item(self, item_id: str) -> _Item:
        item = self.find(item_id)
        if item is None:
            raise ItemGone(f"Item {item_id[-12:]} is gone")
        return item

    def _add_item(self, folder: _Folder, remote: RemoteItem, body: Body) -> RemoteItem:
        number = self._next()
        item_id = f"item-{uuid.uuid4().hex}"
        remote = replace(remote, id=item_id, change_key=_change_key(number))
        folder.items[item_id] = _Item(remote, body, number, number, number)
        folder.changes[item_id] = folder.latest = number
        self._where[item_id] = folder.id
        return remote

    def _remove(self, item: _Item) -> _Item:
        item_id = item.remote.id
        folder = self._folders[self._where.pop(item_id)]
        del folder.items[item_id]
        folder.tombstones[item_id] = item.arrived
        folder.changes[item_id] = folder.latest = self._next()
        return item

    def _bump(
        self, item: _Item, remote: RemoteItem, fields: Iterable[str], read_only: bool = False
    ) -> None:
        """Store a write: a new change number and key, and the versions of the fields."""
        number = self._next()
        item.remote = replace(remote, change_key=_change_key(number))
        item.number = number
        if not read_only:
            item.content_changed = number
        for name in fields:
            item.versions[name] = number
        folder = self._folders[self._where[remote.id]]
        folder.changes[remote.id] = folder.latest = number

    def _create(
        self, folder: _Folder, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> _Item:
        details = _completed(kind, activity_fields.normalised(kind, fields), self.address)
        remote = RemoteItem(
            id="",
            change_key=None,
            kind=kind,
            item_class=_ITEM_CLASSES[kind],
            subject=details["subject"],
            sender=Address(self.address, self.display_name)
            if kind is ItemKind.APPOINTMENT
            else None,
            received_at=_now(),
            is_read=True,
            importance=details.get("priority", "Normal"),
            categories=_mark_categories(mark),
            mark=mark,
            details=details,
        )
        created = self._add_item(folder, remote, Body(details["body"], None))
        return folder.items[created.id]

    def _write(
        self,
        item: _Item,
        written: set[str],
        details: dict[str, Any] | None = None,
        categories: tuple[str, ...] | None = None,
        mark: RemoteMark | None = None,
    ) -> None:
        remote = item.remote
        if details and remote.kind is ItemKind.MESSAGE:
            remote = replace(remote, subject=details.get("subject", remote.subject))
        elif details:
            merged = {**(remote.details or {}), **details}
            merged = _completed(
                remote.kind, activity_fields.normalised(remote.kind, merged), self.address
            )
            remote = replace(
                remote,
                subject=merged["subject"],
                importance=merged.get("priority", "Normal"),
                details=merged,
            )
            item.body = Body(merged["body"], None)
        if categories is not None:
            remote = replace(remote, categories=categories)
        if mark is not None:
            remote = replace(remote, mark=mark)
        self._bump(item, remote, written)

    def _conversation_index(self, in_reply_to: str | None, references: Sequence[str]) -> str:
        """A reply continues the conversation of the message it answers, as Exchange does."""
        wanted = {in_reply_to, *references} - {None}
        for folder in self._folders.values():
            for item in folder.items.values():
                parent = item.remote.conversation_index
                if item.remote.message_id in wanted and parent:
                    return parent + os.urandom(5).hex()
        return _new_conversation_index()

    def _encode(self, folder_id: str, number: int) -> str:
        text = f"memory1|{self._generation}|{folder_id}|{number}"
        return base64.b64encode(text.encode("ascii")).decode("ascii")

    def _decode(self, sync_state: str | None, folder_id: str) -> int:
        if not sync_state:
            return 0
        try:
            version, generation, state_folder, number = (
                base64.b64decode(sync_state, validate=True).decode("ascii").split("|")
            )
            since = int(number)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise InvalidSyncState(
                "Synchronization state data is corrupt or otherwise invalid"
            ) from None
        if (version, generation, state_folder) != (
            "memory1",
            self._generation,
            folder_id,
        ) or since > self._seq:
            raise InvalidSyncState("Synchronization state data is corrupt or otherwise invalid")
        return since


class MemoryServer:
    """Mailboxes by address, the server's state (up, busy) and what left it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._mailboxes: dict[str, MemoryMailbox] = {}
        self._up = True
        self._busy: list[float] = []
        self.calls = 0  # requests answered or refused, as a server's log counts them
        self.outbound: list[SentMessage] = []

    def add_mailbox(self, address: str, password: str, display_name: str) -> MemoryMailbox:
        with self.lock:
            mailbox = MemoryMailbox(self, address, password, display_name)
            self._mailboxes[address.casefold()] = mailbox
            return mailbox

    def mailbox(self, address: str) -> MemoryMailbox:
        with self.lock:
            return self._mailboxes[address.casefold()]

    # Faults

    def go_down(self) -> None:
        with self.lock:
            self._up = False

    def come_back(self) -> None:
        with self.lock:
            self._up = True

    def throttle(self, count: int = 1, back_off_ms: int = 200) -> None:
        """The next `count` requests are told to wait `back_off_ms` (ErrorServerBusy)."""
        with self.lock:
            self._busy.extend([back_off_ms / 1000] * count)

    # Serving

    def call(self, operation: Callable[[], T]) -> T:
        with self.lock:
            self._answer()
            if self._busy:
                raise _Busy(self._busy.pop(0))
            return operation()

    def sign_in(self, account: AccountSettings, password: str) -> MemoryMailbox:
        with self.lock:
            self._answer()
            user = self._mailboxes.get(account.username.casefold())
            if user is None or user.password != password:
                raise AuthenticationFailed(
                    "The server refused the user name or password: check them and run "
                    "`liaison account add` again"
                )
            mailbox = self._mailboxes.get(account.address.casefold())
            if mailbox is not user:
                raise MailboxAccessDenied(
                    f"The server accepted the login but does not open {account.address}: "
                    "check the address and that the user may open it"
                )
            return mailbox

    def transmit(self, sender: MemoryMailbox, message: RemoteItem, body: Body) -> None:
        """Deliver a sent message to the recipients this server holds; record the others."""
        outside: list[str] = []
        for recipient in dict.fromkeys(a.email.casefold() for a in (*message.to, *message.cc)):
            mailbox = self._mailboxes.get(recipient)
            if mailbox is None:
                outside.append(recipient)
                continue
            mailbox.receive(message, body)
        if outside:
            self.outbound.append(
                SentMessage(
                    sender.address, tuple(outside), message.subject, message.message_id or ""
                )
            )

    def _answer(self) -> None:
        self.calls += 1
        if not self._up:
            raise ServerUnreachable("Cannot reach the server: the connection was refused")


class MemoryBackend:
    """app.sync.backend.MailBackend over a MemoryServer's mailbox."""

    def __init__(self, server: MemoryServer, mailbox: MemoryMailbox, budget: RetryBudget) -> None:
        self._server = server
        self._mailbox = mailbox
        self._budget = budget

    def bind(self, cancel: threading.Event, on_back_off: BackOffListener) -> None:
        self._budget.bind(cancel, on_back_off)

    def close(self) -> None:
        return None

    def _run(self, operation: Callable[[], T]) -> T:
        """One request under the retry budget: a busy server is waited out as it asks."""
        check_cancel(self._budget.cancel)
        with self._budget.operation():
            while True:
                try:
                    return self._server.call(operation)
                except _Busy as busy:
                    self._budget.back_off(busy.seconds)

    # Folders

    def distinguished_folders(self) -> dict[DistinguishedFolder, RemoteFolder]:
        return self._run(self._mailbox.distinguished)

    def folder_changes(self, sync_state: str | None) -> HierarchyChanges:
        return self._run(lambda: self._mailbox.folder_changes(sync_state))

    # Items

    def item_changes(
        self, folder_id: str, kind: ItemKind, sync_state: str | None, page_size: int
    ) -> ItemChanges:
        return self._run(lambda: self._mailbox.item_changes(folder_id, sync_state, page_size))

    def bodies(self, item_ids: Sequence[str]) -> dict[str, Body]:
        def call() -> dict[str, Body]:
            found = ((item_id, self._mailbox.find(item_id)) for item_id in item_ids)
            return {item_id: item.body for item_id, item in found if item is not None}

        return self._run(call) if item_ids else {}

    def items(self, kind: ItemKind, item_ids: Sequence[str]) -> dict[str, RemoteItem]:
        def call() -> dict[str, RemoteItem]:
            found = ((item_id, self._mailbox.find(item_id)) for item_id in item_ids)
            return {item_id: item.remote for item_id, item in found if item is not None}

        return self._run(call) if item_ids else {}

    # Marks

    def write_marks(self, changes: Sequence[MarkChange]) -> dict[str, ItemRef | Exception]:
        """Items whose change key and categories the caller knows are written on that basis;
        an item changed meanwhile is read again and written once more."""
        results = self._run(lambda: self._write_marks(changes, fresh=False))
        stale = [c for c in changes if isinstance(results.get(c.item_id), ChangeConflict)]
        if stale:
            results.update(self._run(lambda: self._write_marks(stale, fresh=True)))
        return results

    def _write_marks(
        self, changes: Sequence[MarkChange], fresh: bool
    ) -> dict[str, ItemRef | Exception]:
        results: dict[str, ItemRef | Exception] = {}
        for change in changes:
            item = self._mailbox.find(change.item_id)
            if item is None:
                results[change.item_id] = ItemGone(f"Item {change.item_id[-12:]} is gone")
                continue
            current = (item.remote.change_key or "", item.remote.categories)
            known = current if fresh or change.known is None else change.known
            try:
                results[change.item_id] = self._mailbox.write_mark(change, known)
            except ChangeConflict as conflict:
                results[change.item_id] = conflict
        return results

    # Appointments, tasks and mail

    def find_by_client_id(self, folder_id: str, kind: ItemKind, client_id: str) -> ItemRef | None:
        return self._run(lambda: self._mailbox.find_by_client_id(folder_id, client_id))

    def create_item(
        self, folder_id: str, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> ItemRef:
        return self._run(lambda: self._mailbox.create_item(folder_id, kind, fields, mark))

    def update_item(
        self, kind: ItemKind, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None
    ) -> ItemRef:
        return self._run(lambda: self._mailbox.update_item(ref, fields, mark))

    def send(self, message: OutgoingMessage, mark: RemoteMark, sent_folder_id: str) -> None:
        self._run(lambda: self._mailbox.send(message, mark, sent_folder_id))

    def find_sent(self, sent_folder_id: str, client_id: str) -> ItemRef | None:
        return self.find_by_client_id(sent_folder_id, ItemKind.MESSAGE, client_id)

    # Notifications

    def subscribe(self, folder_ids: Sequence[str]) -> str:
        return self._run(lambda: self._mailbox.subscribe(folder_ids))

    def wait_for_changes(
        self,
        folder_ids: Sequence[str],
        timeout: float,
        cancel: threading.Event,
        subscription: str | None = None,
    ) -> bool:
        """Block until a watched folder changes (True), the timeout passes or `cancel` is set
        (False); the subscription is used up either way."""
        if cancel.is_set() or not (folder_ids or subscription):
            if subscription is not None:
                self._run(lambda: self._mailbox.unsubscribe(subscription))
            return False
        if subscription is None:
            subscription = self.subscribe(folder_ids)
        deadline = time.monotonic() + timeout
        changed = self._server.changed
        try:
            with changed:
                while not cancel.is_set():
                    if self._mailbox.changed_since(subscription):
                        return True
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    # The cancel is another event: look at it at least every 50 ms.
                    changed.wait(min(remaining, 0.05))
                return False
        finally:
            with changed:
                self._mailbox.unsubscribe(subscription)


@dataclass(frozen=True)
class MemoryFactory:
    """app.sync.backend.BackendFactory for the mailboxes of a MemoryServer; `max_wait` is the
    retry budget of one operation, as for any server."""

    server: MemoryServer
    max_wait: float = 60.0
    first_retry: float = 2.0

    def connect(
        self,
        account: AccountSettings,
        secret: SecretSource,
        cancel: threading.Event,
        on_back_off: BackOffListener,
    ) -> Connected:
        check_cancel(cancel)
        mailbox = self.server.sign_in(account, secret())
        budget = RetryBudget(self.max_wait, self.first_retry, cancel, on_back_off)
        return Connected(MemoryBackend(self.server, mailbox, budget), account)


# Values as the server writes them


_CHANGE_KEY_PREFIX = "CQAAABYAAAB"


def _change_key(number: int) -> str:
    return f"{_CHANGE_KEY_PREFIX}{number}"


def _check_change_key(item: _Item, change_key: str | None, written: Iterable[str]) -> None:
    """Exchange's AutoResolve: an older change key conflicts only with fields written since."""
    if change_key is None:
        return
    try:
        number = int(change_key.removeprefix(_CHANGE_KEY_PREFIX))
    except ValueError:
        raise ChangeConflict("The change key is invalid") from None
    if number > item.number:
        raise ChangeConflict("The change key is invalid")
    if number < item.number and any(item.versions.get(name, 0) > number for name in written):
        raise ChangeConflict(
            "The item was changed since it was read; the change conflicts with this one"
        )


def _as_a_client_writes(fields: dict[str, Any]) -> dict[str, Any]:
    """What of these fields a sync client can write: a recurrence's pattern and range, not
    its exceptions (they are occurrences of their own); a task's completion is the server's."""
    written = {name: value for name, value in fields.items() if name != "completed_at"}
    recurrence = written.get("recurrence")
    if recurrence:
        written["recurrence"] = {**recurrence, "modified": [], "deleted": []}
    return written


def _completed(kind: ItemKind, details: dict[str, Any], organizer: str) -> dict[str, Any]:
    """The fields as Exchange keeps them: an organizer and a type for an appointment; a task
    is Completed exactly when it is 100 % done, with the day it was completed."""
    if kind is ItemKind.APPOINTMENT:
        recurrence = details.get("recurrence")
        if recurrence:
            recurrence = _recurrence(recurrence)
        return {
            **details,
            "recurrence": recurrence,
            "organizer": organizer,
            "calendar_type": "RecurringMaster" if recurrence else "Single",
        }
    if details["status"] == "Completed" or details["percent_complete"] == 100:
        today = datetime.combine(_now().date(), datetime.min.time(), UTC)
        return {
            **details,
            "status": "Completed",
            "percent_complete": 100,
            "completed_at": details.get("completed_at") or activity_fields.iso(today),
        }
    return {**details, "completed_at": None}


def _recurrence(value: dict[str, Any]) -> dict[str, Any]:
    """A recurrence as the server keeps it: an end date or a count (the end date wins), and
    the lists of modified and deleted occurrences."""
    end = value.get("end") or None
    return {
        **value,
        "end": end,
        "count": None if end else (int(value["count"]) if value.get("count") else None),
        "modified": list(value.get("modified") or []),
        "deleted": list(value.get("deleted") or []),
    }


def _mark_categories(mark: RemoteMark) -> tuple[str, ...]:
    return (mark.category,) if mark.category and mark.link_state is LinkState.TRACKED else ()


def _now() -> datetime:
    return datetime.now(UTC)


_MESSAGE_NUMBERS = itertools.count(1)


def _new_message_id(address: str) -> str:
    domain = address.rsplit("@", 1)[-1]
    return f"<{uuid.uuid4().hex}.{next(_MESSAGE_NUMBERS)}@{domain}>"


def _new_conversation_index() -> str:
    """A conversation's first index (hex): a reserved byte, the time, and a GUID (22 bytes)."""
    stamp = int(time.time() * 10_000_000).to_bytes(8, "big")[:5]
    return (b"\x01" + stamp + uuid.uuid4().bytes).hex()


def _conversation_id(index_hex: str) -> str:
    """Exchange's conversation id: the GUID of the conversation's first index."""
    root = bytes.fromhex(index_hex)[6:22]
    return base64.b64encode(b"\x01\x00\x10\x00" + root).decode("ascii")
