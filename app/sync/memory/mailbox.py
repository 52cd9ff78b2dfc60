"""A mailbox of the in-memory server: folders, items, sync states, marks, subscriptions, and
what another client can do to them."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import itertools
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any

from app.mailbox.attachments import encoded_size
from app.mailbox.mime import parse_message
from app.sync import activity_fields
from app.sync.backend import (
    AttachmentContent,
    Body,
    DistinguishedFolder,
    FeedChanges,
    FlagStatus,
    FolderContent,
    HierarchyChanges,
    ItemChanges,
    ItemKind,
    ItemRef,
    MarkChange,
    OutgoingMessage,
    RemoteAttachment,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
    StateChange,
    Transfer,
)
from app.sync.errors import (
    FolderGone,
    InvalidSyncState,
    ItemGone,
    MessageTooLarge,
    ServerFailure,
)
from app.sync.memory.values import (
    as_a_client_writes,
    change_key_of,
    check_change_key,
    completed,
    conversation_id,
    mark_categories,
    new_conversation_index,
    new_message_id,
    now,
)
from app.tracking.model import Address

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
_FLAG = "flag"
_CONTENT = "content"  # a draft's subject, recipients, body and attachments
# Exchange's default for a message as sent (35 MB; Exchange Online's default too).
MESSAGE_SIZE_LIMIT = 35 * 1024 * 1024


@dataclass(eq=False)
class StoredItem:
    """An item as the server holds it: what clients read (`remote`, `body`), and the change
    numbers of its arrival, of its last write, of its last write beyond the read flag, and of
    each field's last write (for AutoResolve)."""

    remote: RemoteItem
    body: Body
    arrived: int
    number: int
    content_changed: int
    versions: dict[str, int] = field(default_factory=dict)
    attachments: tuple[AttachmentContent, ...] = ()

    def content_of(self, attachment_id: str) -> AttachmentContent:
        for described, content in zip(self.body.attachments, self.attachments, strict=True):
            if described.id == attachment_id:
                return content
        raise ItemGone(f"Attachment {attachment_id[-12:]} is gone")


@dataclass(eq=False)
class _Folder:
    id: str
    parent_id: str | None
    name: str
    content: FolderContent
    distinguished: str | None
    arrived: int
    items: dict[str, StoredItem] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)  # item id -> its newest change
    latest: int = 0  # the newest change to the folder or an item in it

    def remote(self) -> RemoteFolder:
        return RemoteFolder(
            id=self.id,
            change_key=change_key_of(self.latest),
            parent_id=self.parent_id,
            name=self.name,
            content=self.content,
            total_count=len(self.items),
            unread_count=sum(not item.remote.is_read for item in self.items.values()),
        )


class MemoryMailbox:
    """One mailbox: its folders and items, and what another client can do to them."""

    def __init__(
        self, address: str, password: str, name: str, changed: threading.Condition
    ) -> None:
        # The server's condition: its lock guards every mailbox, and every change wakes waiters.
        self._changed = changed
        self.address = address
        self.password = password
        self.display_name = name
        self._seq = 0
        self._generation = uuid.uuid4().hex[:12]
        self._states = itertools.count(1)
        # An item sync state -> the items it knows, with the content version it has of each.
        self._known_items: dict[str, dict[str, int]] = {}
        self._folders: dict[str, _Folder] = {}
        self._folder_changes: dict[str, int] = {}
        self._folder_tombstones: dict[str, int] = {}
        self._where: dict[str, str] = {}  # item id -> folder id
        self._subscriptions: dict[str, tuple[frozenset[str], int]] = {}
        self._feeds: dict[str, int] = {}  # change feed -> the change it was last read at
        # Senders marked as junk and as safe (MarkAsJunk's lists): where their mail goes.
        self.blocked: set[str] = set()
        self.trusted: set[str] = set()
        self.max_send_size = MESSAGE_SIZE_LIMIT  # an administrator may set another
        self.root = self._add_folder(None, "Top of Information Store", FolderContent.OTHER)
        self._distinguished = {DistinguishedFolder.ROOT.value: self.root}
        for distinguished, display_name, content in DEFAULT_FOLDERS:
            folder = self._add_folder(self.root.id, display_name, content, distinguished)
            self._distinguished[distinguished] = folder

    # Another client: folders

    def folder_id(self, name: str) -> str:
        """A folder by its distinguished name ("inbox", "sentitems", ...) or display name."""
        with self._changed:
            found = self._distinguished.get(name) or next(
                (f for f in self._folders.values() if f.name == name), None
            )
            if found is None:
                raise KeyError(f"{self.address} has no folder {name!r}")
            return found.id

    def create_folder(self, name: str, parent: str = "inbox") -> str:
        """A mail folder, under the Inbox unless `parent` names another folder."""
        with self._changed:
            return self._add_folder(self.folder_id(parent), name, FolderContent.MAIL).id

    def delete_folder(self, name: str) -> None:
        with self._changed:
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
        with self._changed:
            self._generation = uuid.uuid4().hex[:12]
            self._known_items.clear()
            self._feeds.clear()

    # Another client: items

    def deliver(self, raw: bytes) -> str:
        """An RFC 5322 message arrives in the Inbox, with its attachments; its item id."""
        parsed = parse_message(raw)
        attachments = attachments_of(raw)
        facts = parsed.facts
        with self._changed:
            message_id = facts.message_id or new_message_id(self.address)
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
                received_at=now(),
                sent_at=facts.sent_at,
                sensitivity=facts.sensitivity.value,
                message_id=message_id,
                in_reply_to=facts.in_reply_to,
                references=facts.references,
                conversation_index=index,
                conversation_id=conversation_id(index),
            )
            sender = facts.sender.email.casefold() if facts.sender else ""
            arrives_in = (
                DistinguishedFolder.JUNK if sender in self.blocked else DistinguishedFolder.INBOX
            )
            body = Body(parsed.body_text, parsed.body_html)
            folder = self._distinguished[arrives_in.value]
            return self._add_item(folder, remote, body, attachments).id

    def create(
        self,
        folder: str,
        kind: ItemKind,
        fields: dict[str, Any],
        categories: Sequence[str] = (),
    ) -> str:
        """An appointment or task made in another client; its item id."""
        with self._changed:
            item = self._create(self._folder(self.folder_id(folder)), kind, fields, RemoteMark())
            if categories:
                self._write(item, {_CATEGORIES}, categories=tuple(categories))
            return item.remote.id

    def edit(self, item_id: str, /, **fields: Any) -> None:
        """Change an appointment's or task's fields (activity_fields names) or a subject."""
        with self._changed:
            item = self._item(item_id)
            self._write(item, set(fields), details=fields)

    def set_categories(self, item_id: str, categories: Sequence[str]) -> None:
        with self._changed:
            self._write(self._item(item_id), {_CATEGORIES}, categories=tuple(categories))

    def set_read(self, item_id: str, read: bool) -> None:
        with self._changed:
            item = self._item(item_id)
            self._bump(item, replace(item.remote, is_read=read), {_READ}, read_only=True)

    def set_flag(self, item_id: str, flag: FlagStatus) -> None:
        with self._changed:
            item = self._item(item_id)
            self._bump(item, replace(item.remote, flag=flag), {_FLAG})

    def move(self, item_id: str, folder: str) -> str:
        """Move an item to another folder; its new id there (same Message-ID)."""
        with self._changed:
            return self._move(self._item(item_id), self._folder(self.folder_id(folder))).id

    def delete(self, item_id: str) -> None:
        with self._changed:
            self._remove(self._item(item_id))

    def receive(self, sent: StoredItem) -> None:
        """A message sent by another mailbox of this server arrives, unread, unmarked."""
        with self._changed:
            inbox = self._distinguished[DistinguishedFolder.INBOX.value]
            received = replace(sent.remote, bcc=(), is_read=False, categories=(), mark=RemoteMark())
            self._add_item(inbox, received, sent.body, sent.attachments)

    def stored(self, folder: str) -> list[StoredItem]:
        """The items of a folder as the server holds them (attachments included), oldest first."""
        with self._changed:
            found = self._folder(self.folder_id(folder)).items.values()
            return sorted(found, key=lambda item: item.arrived)

    def items(self, folder: str) -> list[RemoteItem]:
        """The items of a folder as any client reads them, oldest first."""
        with self._changed:
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
        # As Exchange's sync state, ours holds the items the client knows and the version of
        # each it has: an item it has not seen is a create, one whose content it has is at most
        # a read-flag change, and only one it knows can be deleted.
        known = dict(self._known_items.get(sync_state or "", {}))
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
                if known.pop(item_id, None) is not None:
                    deleted.append(item_id)
                    reported += 1
                continue
            reported += 1
            if item_id not in known:
                created.append(item.remote)
            elif item.content_changed > known[item_id]:
                updated.append(item.remote)
            else:
                read_flags.append((item_id, item.remote.is_read))
            known[item_id] = item.content_changed
        state = self._encode(folder_id, last if more else self._seq)
        self._known_items[state] = known
        return ItemChanges(created, updated, deleted, read_flags, state, more)

    def find(self, item_id: str) -> StoredItem | None:
        folder_id = self._where.get(item_id)
        return self._folders[folder_id].items[item_id] if folder_id else None

    def write_mark(self, change: MarkChange, known: tuple[str, tuple[str, ...]]) -> ItemRef:
        item = self._item(change.item_id)
        change_key, categories = known
        kept = [c for c in categories if c not in change.remove_categories]
        kept += [c for c in change.add_categories if c not in kept]
        check_change_key(item, change_key, {_CATEGORIES, _MARK})
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
        item = self._create(self._folder(folder_id), kind, as_a_client_writes(fields), mark)
        return ItemRef(item.remote.id, item.remote.change_key)

    def update_item(self, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None) -> ItemRef:
        item = self._item(ref.id)
        written = set(fields) | ({_MARK} if mark is not None else set())
        check_change_key(item, ref.change_key, written)
        self._write(item, written, details=as_a_client_writes(fields), mark=mark)
        return ItemRef(item.remote.id, item.remote.change_key)

    def file_sent(
        self, message: OutgoingMessage, mark: RemoteMark, sent_folder_id: str
    ) -> StoredItem:
        """The copy of a message being sent, filed in Sent Items; the server delivers it."""
        folder = self._folder(sent_folder_id)
        if not (message.to or message.cc or message.bcc):
            raise ServerFailure("The server answered ErrorInvalidRecipients: no recipients")
        if message_size(message) > self.max_send_size:
            raise MessageTooLarge("The server refuses a message this large")
        index = self._conversation_index(message.in_reply_to, message.references)
        copy = replace(
            self._composed(message, mark),
            received_at=now(),
            sent_at=now(),
            is_read=True,
            is_draft=False,
            message_id=message.message_id or new_message_id(self.address),
            conversation_index=index,
            conversation_id=conversation_id(index),
        )
        body = Body(message.body_text, message.body_html)
        filed = self._add_item(folder, copy, body, message.attachments)
        return folder.items[filed.id]

    def _composed(self, message: OutgoingMessage, mark: RemoteMark) -> RemoteItem:
        return RemoteItem(
            id="",
            change_key=None,
            kind=ItemKind.MESSAGE,
            subject=message.subject,
            sender=Address(self.address, self.display_name),
            to=message.to,
            cc=message.cc,
            bcc=message.bcc,
            categories=mark_categories(mark),
            in_reply_to=message.in_reply_to,
            references=message.references,
            mark=mark,
        )

    def save_draft(
        self, folder_id: str, message: OutgoingMessage, existing: ItemRef | None, client_id: str
    ) -> ItemRef:
        body = Body(message.body_text, message.body_html)
        if existing is None:
            draft = replace(
                self._composed(message, RemoteMark(client_id=client_id)),
                received_at=now(),
                is_read=True,
                is_draft=True,
            )
            created = self._add_item(self._folder(folder_id), draft, body, message.attachments)
            return ItemRef(created.id, created.change_key)
        item = self._item(existing.id)
        check_change_key(item, existing.change_key, {_CONTENT})
        item.attachments = tuple(message.attachments)
        item.body = _described(item.remote.id, body, item.attachments)
        updated = replace(
            item.remote,
            subject=message.subject,
            to=message.to,
            cc=message.cc,
            bcc=message.bcc,
            in_reply_to=message.in_reply_to,
            references=message.references,
            has_attachments=_listed(item.attachments),
            mark=replace(item.remote.mark, client_id=client_id),
        )
        self._bump(item, updated, {_CONTENT, _MARK})
        return ItemRef(item.remote.id, item.remote.change_key)

    def write_state(self, change: StateChange) -> ItemRef:
        item = self._item(change.item_id)
        written: set[str] = set()
        remote = item.remote
        if change.is_read is not None:
            remote, written = replace(remote, is_read=change.is_read), written | {_READ}
        if change.flag is not None:
            remote, written = replace(remote, flag=change.flag), written | {_FLAG}
        if written:
            self._bump(item, remote, written, read_only=written == {_READ})
        return ItemRef(item.remote.id, item.remote.change_key)

    def transfer(self, transfer: Transfer, copy: bool) -> ItemRef:
        item = self._item(transfer.item_id)
        destination = self._folder(transfer.folder_id)
        stamped = replace(item.remote.mark, client_id=transfer.client_id)
        self._bump(item, replace(item.remote, mark=stamped), {_MARK})
        if copy:
            placed = self._add_item(destination, item.remote, item.body, item.attachments)
        else:
            placed = self._move(item, destination)
        return ItemRef(placed.id, placed.change_key)

    def mark_junk(self, transfer: Transfer, is_junk: bool) -> ItemRef:
        item = self._item(transfer.item_id)
        sender = item.remote.sender.email.casefold() if item.remote.sender else None
        if sender is not None:
            listed, unlisted = (
                (self.blocked, self.trusted) if is_junk else (self.trusted, self.blocked)
            )
            listed.add(sender)
            unlisted.discard(sender)
        if self._where[item.remote.id] == transfer.folder_id:
            return ItemRef(item.remote.id, item.remote.change_key)
        return self.transfer(transfer, copy=False)

    def delete_permanently(self, item_id: str) -> None:
        self._remove(self._item(item_id))

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

    def start_feed(self) -> str:
        feed = uuid.uuid4().hex
        self._feeds[feed] = self._seq
        return feed

    def read_feed(self, feed: str) -> FeedChanges:
        since = self._feeds.get(feed)
        if since is None:
            raise InvalidSyncState("The server does not know this change feed")
        self._feeds[feed] = self._seq
        return FeedChanges(
            frozenset(f.id for f in self._folders.values() if f.latest > since),
            any(number > since for number in self._folder_changes.values()),
        )

    def end_feed(self, feed: str) -> None:
        self._feeds.pop(feed, None)

    # Inside

    def _next(self) -> int:
        self._seq += 1
        self._changed.notify_all()
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

    def _item(self, item_id: str) -> StoredItem:
        item = self.find(item_id)
        if item is None:
            raise ItemGone(f"Item {item_id[-12:]} is gone")
        return item

    def _add_item(
        self,
        folder: _Folder,
        remote: RemoteItem,
        body: Body,
        attachments: Sequence[AttachmentContent] = (),
    ) -> RemoteItem:
        number = self._next()
        item_id = f"item-{uuid.uuid4().hex}"
        remote = replace(
            remote,
            id=item_id,
            change_key=change_key_of(number),
            modified_at=now(),
            has_attachments=_listed(attachments),
        )
        stored = StoredItem(
            remote,
            _described(item_id, body, attachments),
            number,
            number,
            number,
            attachments=tuple(attachments),
        )
        folder.items[item_id] = stored
        folder.changes[item_id] = folder.latest = number
        self._where[item_id] = folder.id
        return remote

    def _move(self, item: StoredItem, destination: _Folder) -> RemoteItem:
        """Exchange gives a moved item a new id (its attachments new ids too)."""
        self._remove(item)
        return self._add_item(destination, item.remote, item.body, item.attachments)

    def _remove(self, item: StoredItem) -> StoredItem:
        item_id = item.remote.id
        folder = self._folders[self._where.pop(item_id)]
        del folder.items[item_id]
        folder.changes[item_id] = folder.latest = self._next()
        return item

    def _bump(
        self, item: StoredItem, remote: RemoteItem, fields: Iterable[str], read_only: bool = False
    ) -> None:
        """Store a write: a new change number and key, and the versions of the fields."""
        number = self._next()
        item.remote = replace(remote, change_key=change_key_of(number), modified_at=now())
        item.number = number
        if not read_only:
            item.content_changed = number
        for name in fields:
            item.versions[name] = number
        folder = self._folders[self._where[remote.id]]
        folder.changes[remote.id] = folder.latest = number

    def _create(
        self, folder: _Folder, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> StoredItem:
        details = completed(kind, activity_fields.normalised(kind, fields), self.address)
        remote = RemoteItem(
            id="",
            change_key=None,
            kind=kind,
            item_class=_ITEM_CLASSES[kind],
            subject=details["subject"],
            sender=Address(self.address, self.display_name)
            if kind is ItemKind.APPOINTMENT
            else None,
            received_at=now(),
            is_read=True,
            importance=details.get("priority", "Normal"),
            categories=mark_categories(mark),
            mark=mark,
            details=details,
        )
        created = self._add_item(folder, remote, Body(details["body"], None))
        return folder.items[created.id]

    def _write(
        self,
        item: StoredItem,
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
            merged = completed(
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
        return new_conversation_index()

    def _encode(self, folder_id: str, number: int) -> str:
        text = f"memory1|{self._generation}|{folder_id}|{number}|{next(self._states)}"
        return base64.b64encode(text.encode("ascii")).decode("ascii")

    def _decode(self, sync_state: str | None, folder_id: str) -> int:
        if not sync_state:
            return 0
        try:
            version, generation, state_folder, number, _ = (
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


def _described(item_id: str, body: Body, attachments: Sequence[AttachmentContent]) -> Body:
    """The body with what it says of its attachments; an attachment's id names its item, so
    it changes when the item moves, as on Exchange."""
    described = tuple(
        RemoteAttachment(
            id=f"{item_id}/attachment-{number}",
            name=content.name,
            size=len(content.data),
            content_type=content.content_type,
            inline=content.inline,
            content_id=content.content_id,
            is_item=content.content_type == "message/rfc822",
        )
        for number, content in enumerate(attachments)
    )
    return replace(body, attachments=described)


def _listed(attachments: Sequence[AttachmentContent]) -> bool:
    """What a client shows a paperclip for: an attachment not shown in the body."""
    return any(not content.inline for content in attachments)


def attachments_of(raw: bytes) -> tuple[AttachmentContent, ...]:
    """The attachments of an RFC 5322 message, as a server stores them on delivery."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        return ()
    found = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            data = part.as_bytes() if part.get_content_type() == "message/rfc822" else b""
        found.append(
            AttachmentContent(
                name=part.get_filename() or "attachment",
                content_type=part.get_content_type(),
                data=data,
                inline=part.get_content_disposition() == "inline",
                content_id=(part.get("Content-ID") or "").strip("<> ") or None,
            )
        )
    return tuple(found)


def message_size(message: OutgoingMessage) -> int:
    return encoded_size(
        message.subject,
        message.body_text,
        message.body_html,
        (len(content.data) for content in message.attachments),
    )
