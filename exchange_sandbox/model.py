"""What a mailbox holds: folders, items, attachments, and the change bookkeeping sync needs.

Every write takes the next number from the mailbox's change sequence. An item remembers when it
arrived in its folder, when its content last changed and when its read flag last changed; a
folder keeps a ChangeIndex of its items by their latest change number plus tombstones for items
that left it. A sync state is then just "changes after number N", and finding them is a binary
search, not a scan of the folder.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .extended import ExtendedKey, ExtendedValue


class ChangeIndex:
    """Keys (item or folder guids) ordered by the change number of their latest change."""

    def __init__(self) -> None:
        self._numbers: list[int] = []
        self._keys: list[bytes] = []
        self._latest: dict[bytes, int] = {}

    def touch(self, key: bytes, number: int) -> None:
        self._latest[key] = number
        self._numbers.append(number)
        self._keys.append(key)
        if len(self._numbers) > 2 * len(self._latest) + 1024:
            self._compact()

    def latest(self, key: bytes) -> int | None:
        return self._latest.get(key)

    def after(self, number: int) -> Iterator[tuple[int, bytes]]:
        """(change number, key) for every key whose latest change is after `number`, in order."""
        start = bisect.bisect_right(self._numbers, number)
        for position in range(start, len(self._numbers)):
            key = self._keys[position]
            change = self._numbers[position]
            if self._latest.get(key) == change:
                yield change, key

    def _compact(self) -> None:
        ordered = sorted((n, k) for k, n in self._latest.items())
        self._numbers = [n for n, _ in ordered]
        self._keys = [k for _, k in ordered]


@dataclass
class Tombstone:
    """An object that left a folder (deleted or moved away) and when."""

    removed: int
    arrived: int


@dataclass(eq=False)
class Attachment:
    uuid: bytes
    name: str
    content_type: str
    content: bytes = b""
    embedded_item: str = ""  # an ItemAttachment's item, kept as serialised XML
    content_id: str | None = None
    content_location: str | None = None
    is_inline: bool = False
    is_contact_photo: bool = False
    last_modified: dt.datetime | None = None

    @property
    def is_file(self) -> bool:
        return not self.embedded_item

    @property
    def size(self) -> int:
        return len(self.content) if self.is_file else len(self.embedded_item.encode("utf-8"))


@dataclass
class OccurrenceException:
    """A modified occurrence of a recurring series, keyed by its original start."""

    props: dict[str, Any]
    change_number: int


@dataclass(eq=False)
class Item:
    uuid: bytes
    item_type: str  # the element name: Message, CalendarItem, Task, Contact, MeetingRequest, Item
    folder: bytes
    props: dict[str, Any] = field(default_factory=dict)
    extended: dict[ExtendedKey, ExtendedValue] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    mime: bytes | None = None  # the RFC 5322 source, while no property it carries has changed
    change_number: int = 0
    versions: dict[Any, int] = field(default_factory=dict)  # property -> change number
    arrived: int = 0
    content_changed: int = 0
    read_changed: int = 0
    exceptions: dict[int, OccurrenceException] = field(default_factory=dict)
    deleted_occurrences: set[int] = field(default_factory=set)
    soft_deleted_from: bytes | None = None
    render_cache: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def last_change(self) -> int:
        return max(self.arrived, self.content_changed, self.read_changed)


@dataclass(eq=False)
class UserConfiguration:
    """A user configuration object (an IPM.Configuration.* message associated with a folder)."""

    name: str
    uuid: bytes
    change_number: int
    dictionary: str | None = None  # the t:Dictionary element as given, serialised
    xml_data: bytes | None = None
    binary_data: bytes | None = None


@dataclass(eq=False)
class Folder:
    uuid: bytes
    parent: bytes | None
    name: str
    folder_class: str | None
    element: str = "Folder"  # Folder, CalendarFolder, ContactsFolder, TasksFolder, SearchFolder
    distinguished: str | None = None
    change_number: int = 0
    arrived: int = 0
    items: dict[bytes, Item] = field(default_factory=dict)
    changes: ChangeIndex = field(default_factory=ChangeIndex)
    tombstones: dict[bytes, Tombstone] = field(default_factory=dict)
    extended: dict[ExtendedKey, ExtendedValue] = field(default_factory=dict)
    configurations: dict[str, UserConfiguration] = field(default_factory=dict)  # by folded name

    @property
    def unread_count(self) -> int:
        return sum(1 for item in self.items.values() if item.props.get("IsRead") is False)


@dataclass
class Delegate:
    """Someone who may act for the mailbox owner: folder permission levels by folder (Calendar,
    Tasks, Inbox, Contacts, Notes, Journal), and two options."""

    address: str
    permissions: dict[str, str] = field(default_factory=dict)
    receive_copies_of_meeting_messages: bool = False
    view_private_items: bool = False


@dataclass
class MailboxSettings:
    """What a mailbox keeps beside its folders: junk e-mail lists, inbox rules (each the t:Rule
    element as last set), delegates, who gets meeting requests and its send limit."""

    blocked_senders: set[str] = field(default_factory=set)
    trusted_senders: set[str] = field(default_factory=set)
    rules: list[str] = field(default_factory=list)
    delegates: list[Delegate] = field(default_factory=list)
    deliver_meeting_requests: str = "DelegatesAndSendInformationToMe"
    # The largest message the mailbox may send, as sent (Set-Mailbox -MaxSendSize); Exchange's
    # default is 35 MB.
    max_send_size: int = 36700160

    def blocks(self, sender: str) -> bool:
        """Whether mail from this address goes to Junk Email: blocked by address or domain, and
        not also a safe sender."""

        def listed(entries: set[str]) -> bool:
            address = sender.casefold()
            domain = address.rpartition("@")[2]
            return bool({address, domain, f"@{domain}"} & entries)

        return listed(self.blocked_senders) and not listed(self.trusted_senders)


@dataclass(eq=False)
class Mailbox:
    address: str
    display_name: str
    guid: bytes
    password: str | None = None
    tokens: set[str] = field(default_factory=set)
    folders: dict[bytes, Folder] = field(default_factory=dict)
    distinguished: dict[str, Folder] = field(default_factory=dict)
    items: dict[bytes, Item] = field(default_factory=dict)
    seq: int = 0
    hierarchy: ChangeIndex = field(default_factory=ChangeIndex)
    folder_tombstones: dict[bytes, Tombstone] = field(default_factory=dict)
    settings: MailboxSettings = field(default_factory=MailboxSettings)

    def next_change(self) -> int:
        self.seq += 1
        return self.seq

    def children_of(self, folder: Folder) -> list[Folder]:
        return [f for f in self.folders.values() if f.parent == folder.uuid]

    def descendants_of(self, folder: Folder) -> list[Folder]:
        found: list[Folder] = []
        pending = [folder]
        while pending:
            current = pending.pop()
            for sub in self.children_of(current):
                found.append(sub)
                pending.append(sub)
        return found

    def is_under(self, folder: Folder, ancestor: Folder) -> bool:
        current: Folder | None = folder
        while current is not None and current.parent is not None:
            if current.parent == ancestor.uuid:
                return True
            current = self.folders.get(current.parent)
        return False
