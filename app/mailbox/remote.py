"""What the mail server says about folders and items, as plain data.

The sync backends produce these and the local cache stores them; neither side needs the other's
library to read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.tracking.model import Address


class ItemKind(enum.StrEnum):
    MESSAGE = "message"
    APPOINTMENT = "appointment"
    TASK = "task"


class FolderContent(enum.StrEnum):
    """What a folder holds, in every backend's words (EWS derives it from the folder class)."""

    MAIL = "mail"
    CALENDAR = "calendar"
    TASKS = "tasks"
    CONTACTS = "contacts"
    NOTES = "notes"
    JOURNAL = "journal"
    OTHER = "other"  # search folders, configuration, anything a mail client does not show


class FlagStatus(enum.StrEnum):
    """A message's follow-up flag, as every client shows it."""

    NONE = "none"
    FLAGGED = "flagged"
    COMPLETE = "complete"


class LinkState(enum.IntEnum):
    """Liaison's link state on an Exchange item, readable by any client."""

    UNTRACKED_BUT_WAS = 0
    PENDING = 1
    TRACKED = 2


@dataclass(frozen=True, slots=True)
class RemoteMark:
    """What Liaison's extended properties on an item say (all None on an item never marked)."""

    link_state: LinkState | None = None
    activity_id: int | None = None
    regarding: str | None = None  # "type:id"
    category: str | None = None  # the tracking category's name when the mark was written
    client_id: str | None = None  # the outbox entry that last wrote the item


@dataclass(frozen=True, slots=True)
class RemoteFolder:
    id: str
    change_key: str | None
    parent_id: str | None
    name: str
    content: FolderContent
    total_count: int = 0
    unread_count: int = 0


@dataclass(frozen=True, slots=True)
class RemoteAttachment:
    """What a message says of one attachment; its content is fetched on demand by `id`."""

    id: str
    name: str
    size: int | None = None
    content_type: str | None = None
    inline: bool = False  # shown in the body (an image), not listed as a file
    content_id: str | None = None
    is_item: bool = False  # an attached message or other item rather than a file


@dataclass(frozen=True, slots=True)
class AttachmentContent:
    """An attachment's content: read from the server, or given to a message being sent."""

    name: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """A message, appointment or task as sync caches it; `details` holds the kind's own fields
    (see app.sync.activity_fields)."""

    id: str
    change_key: str | None
    kind: ItemKind
    item_class: str = "IPM.Note"
    subject: str = ""
    sender: Address | None = None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()  # a draft's (a message as received has none)
    received_at: datetime | None = None
    sent_at: datetime | None = None
    modified_at: datetime | None = None  # the server's time of the item's last change
    is_read: bool = False
    is_draft: bool = False
    sensitivity: str = "normal"
    importance: str = "Normal"
    categories: tuple[str, ...] = ()
    conversation_id: str | None = None
    conversation_index: str | None = None  # hex
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    has_attachments: bool = False
    flag: FlagStatus = FlagStatus.NONE
    mark: RemoteMark = field(default_factory=RemoteMark)
    details: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Body:
    """A message's content as fetched for the cache: its text, its HTML, and what it says of
    its attachments (their content stays on the server until asked for)."""

    text: str | None
    html: str | None
    attachments: tuple[RemoteAttachment, ...] = ()
