"""The mail backend as sync sees it: folders, changes, items, marks, send, notifications.

Plain data in and out, so pull, push and the engine never touch a server library. A
`BackendFactory` connects an account to its server and hands the engine a `MailBackend`; EWS
(app.sync.ews.factory.EwsFactory) is the first implementation, app.sync.memory one that keeps
a mailbox in memory for tests, and a Microsoft Graph backend implements the same protocols
without changing anything above them. Every backend passes the contract suite in
tests/sync/contract; docs/ARCHITECTURE.md ("How to add a backend") says what the engine expects.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.accounts import AccountSettings
from app.mailbox.remote import (
    AttachmentContent,
    Body,
    FlagStatus,
    FolderContent,
    ItemKind,
    LinkState,
    RemoteAttachment,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
)
from app.sync.retry import BackOffListener
from app.tracking.model import Address

__all__ = [
    "AttachmentContent",
    "BackOffListener",
    "BackendFactory",
    "Body",
    "Check",
    "CheckListener",
    "Connected",
    "DistinguishedFolder",
    "FlagStatus",
    "FolderContent",
    "HierarchyChanges",
    "ItemChanges",
    "ItemKind",
    "ItemRef",
    "LinkState",
    "MailBackend",
    "MarkChange",
    "OutgoingMessage",
    "RemoteAttachment",
    "RemoteFolder",
    "RemoteItem",
    "RemoteMark",
    "SecretSource",
    "StateChange",
    "Transfer",
]

# The account's password or access token, read when needed (the keyring may change meanwhile).
SecretSource = Callable[[], str]


@dataclass(frozen=True, slots=True)
class Check:
    """One step of an account test (DNS, TLS, credentials, mailbox, server version...)."""

    name: str
    ok: bool
    detail: str
    advice: str = ""  # what to do, for a failed check


CheckListener = Callable[[Check], None]


@dataclass(frozen=True, slots=True)
class HierarchyChanges:
    changed: list[RemoteFolder]
    deleted: list[str]
    sync_state: str
    more: bool


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """One page of changes to a folder; `sync_state` covers exactly this page and those before."""

    created: list[RemoteItem]
    updated: list[RemoteItem]
    deleted: list[str]
    read_flags: list[tuple[str, bool]]
    sync_state: str
    more: bool

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated) + len(self.deleted) + len(self.read_flags)


@dataclass(frozen=True, slots=True)
class FeedChanges:
    """What a change feed saw since it was started or last read."""

    folders: frozenset[str]  # folders whose items changed (created, edited, moved in or out)
    hierarchy: bool  # folders were created, renamed, moved or deleted


@dataclass(frozen=True, slots=True)
class MarkChange:
    """Put Liaison's mark on an item: categories to add and remove, and the properties.

    `known` is the item's change key and categories as the caller last read them (a fresh
    sync); without it the backend reads them first. A stale change key costs a second try.
    """

    item_id: str
    add_categories: tuple[str, ...]
    remove_categories: tuple[str, ...]
    mark: RemoteMark
    kind: ItemKind = ItemKind.MESSAGE
    known: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True, slots=True)
class ItemRef:
    id: str
    change_key: str | None
    categories: tuple[str, ...] | None = None  # after a write of marks: the categories it now has


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message to send, or to save as a draft. The body is HTML when `body_html` is given
    (`body_text` is then its plain form); In-Reply-To and References thread a reply."""

    subject: str
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    body_text: str = ""
    body_html: str | None = None
    message_id: str | None = None  # the Internet Message-ID Liaison gave it when it was queued
    bcc: tuple[Address, ...] = ()
    attachments: tuple[AttachmentContent, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StateChange:
    """A message's read state and follow-up flag to set (None: leave it as it is)."""

    item_id: str
    is_read: bool | None = None
    flag: FlagStatus | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    """One item to move or copy into a folder. `client_id` is stamped on the item before it
    goes, so find_by_client_id in the destination finds a transfer a crash kept the caller
    from hearing about."""

    item_id: str
    folder_id: str
    client_id: str


class DistinguishedFolder(enum.StrEnum):
    ROOT = "msgfolderroot"
    INBOX = "inbox"
    SENT = "sentitems"
    DRAFTS = "drafts"
    DELETED = "deleteditems"
    OUTBOX = "outbox"
    JUNK = "junkemail"
    CALENDAR = "calendar"
    TASKS = "tasks"


class MailBackend(Protocol):
    """Everything sync asks of a mail server. Methods raise app.sync.errors.SyncError subclasses.

    A backend outlives one sync (the engine keeps it until an error drops it): `bind` gives it
    the cancel event and the back-off listener of each sync before the sync uses it.

    `reads_ahead`: item_changes may run on a second thread while the sync's own thread asks
    for bodies (app.sync.read_ahead).

    write_marks runs on up to two threads at once, each with a batch of its own
    (app.sync.push.MARKS_IN_FLIGHT), and while the pull reads (app.sync.mark_stream).
    """

    reads_ahead: bool

    def bind(self, cancel: threading.Event, on_back_off: BackOffListener) -> None: ...

    def distinguished_folders(self) -> dict[DistinguishedFolder, RemoteFolder]: ...

    def folder_changes(self, sync_state: str | None) -> HierarchyChanges: ...

    def item_changes(
        self,
        folder_id: str,
        kind: ItemKind,
        sync_state: str | None,
        page_size: int,
        bodies_follow: bool = False,
    ) -> ItemChanges:
        """The next page of the folder's changes since `sync_state` (None: from nothing).
        `bodies_follow`: the caller holds none of the folder's items and asks bodies() for each
        one listed next; a backend that reads something of each item anyway may read the body
        with it (Graph reads the marks item by item)."""
        ...

    def bodies(self, item_ids: Sequence[str]) -> dict[str, Body]: ...

    def items(self, kind: ItemKind, item_ids: Sequence[str]) -> dict[str, RemoteItem]: ...

    def write_marks(self, changes: Sequence[MarkChange]) -> dict[str, ItemRef | Exception]: ...

    def find_by_client_id(
        self, folder_id: str, kind: ItemKind, client_id: str
    ) -> ItemRef | None: ...

    def create_item(
        self, folder_id: str, kind: ItemKind, fields: dict[str, Any], mark: RemoteMark
    ) -> ItemRef: ...

    def update_item(
        self, kind: ItemKind, ref: ItemRef, fields: dict[str, Any], mark: RemoteMark | None
    ) -> ItemRef: ...

    def delete_item(self, kind: ItemKind, item_id: str) -> None:
        """Delete an appointment or task as a user would (recoverable); ItemGone when the
        item is not there (deleted before: the caller's work is done)."""
        ...

    def send(self, message: OutgoingMessage, mark: RemoteMark, sent_folder_id: str) -> None:
        """Send the message with its attachments and file a copy, carrying `mark`, in Sent
        Items; MessageTooLarge when the server refuses its size."""
        ...

    def find_sent(self, sent_folder_id: str, client_id: str) -> ItemRef | None: ...

    # Working with mail as a mail client does

    def write_states(self, changes: Sequence[StateChange]) -> dict[str, ItemRef | Exception]:
        """Set read states and follow-up flags, answered per item (ItemGone for one gone)."""
        ...

    def move_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        """Move items (each stamped with its client id first); the moved item's new id per
        source id, or the error of that item alone."""
        ...

    def copy_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        """Copy items (the copy carries the client id); the copy's id per source id."""
        ...

    def mark_junk(
        self, transfers: Sequence[Transfer], is_junk: bool
    ) -> dict[str, ItemRef | Exception]:
        """Junk: the sender's mail goes to Junk Email from now on, and each item moves there
        (Transfer.folder_id); not junk: the sender is trusted and each item moves back to the
        Inbox. The moved item's new id per source id."""
        ...

    def delete_permanently(self, item_ids: Sequence[str]) -> dict[str, Exception | None]:
        """Delete for good, past Deleted Items (Outlook's Shift+Delete: only the server's
        recovery can bring it back); None per item deleted, ItemGone for one gone before."""
        ...

    def attachment_content(self, item_id: str, attachment_id: str) -> AttachmentContent:
        """One attachment's content (an attached message as RFC 822, `.eml`); ItemGone when
        the item or the attachment is not there."""
        ...

    def save_draft(
        self,
        folder_id: str,
        message: OutgoingMessage,
        existing: ItemRef | None,
        client_id: str,
    ) -> ItemRef:
        """Create the draft in `folder_id` (stamped with the client id), or make `existing`
        say what `message` says, attachments included; the draft's id and change key."""
        ...

    def message_size_limit(self) -> int | None:
        """The largest message the server accepts for this mailbox, in bytes as sent (None
        when it does not say)."""
        ...

    def subscribe(self, folder_ids: Sequence[str]) -> str:
        """A subscription to changes in these folders, for a later wait_for_changes."""
        ...

    def wait_for_changes(
        self,
        folder_ids: Sequence[str],
        timeout: float,
        cancel: threading.Event,
        subscription: str | None = None,
    ) -> bool:
        """Block until a change (True), the timeout or a cancel (False). With a subscription
        made earlier, changes since then count; without one, changes from now on."""
        ...

    def start_feed(self) -> str | None:
        """A change feed over the whole mailbox (EWS: a pull subscription to all folders), for
        read_feed; None when the server has none, and every sync reads every folder."""
        ...

    def read_feed(self, feed: str) -> FeedChanges:
        """What changed since the feed started or was last read, in one request. A feed the
        server no longer knows (expired) raises InvalidSyncState: start another."""
        ...

    def end_feed(self, feed: str) -> None:
        """Stop the feed (errors ignored: the server forgets an unread feed by itself)."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Connected:
    """A backend connected to an account's server.

    `account` is the account as the server showed it (for EWS: with the server build found at
    the first contact, so the next connection need not ask); the engine saves it when it
    differs from the settings it connected with.
    """

    backend: MailBackend
    account: AccountSettings


class BackendFactory(Protocol):
    """How the engine reaches a mail server: options of the server's kind (retry budgets, DNS,
    sign-in) live in the factory, not in the engine."""

    def connect(
        self,
        account: AccountSettings,
        secret: SecretSource,
        cancel: threading.Event,
        on_back_off: BackOffListener,
    ) -> Connected:
        """A connected backend, or a SyncError saying why not (a wrong password raises
        AuthenticationFailed, an unreachable server ServerUnreachable); `cancel` and
        `on_back_off` govern the waits of the connection itself."""
        ...

    def diagnose(
        self, account: AccountSettings, secret: SecretSource, on_check: CheckListener | None
    ) -> tuple[list[Check], str | None]:
        """`liaison account test`: the checks of what sync needs from this kind of server, in
        order up to the first failure (each heard by `on_check` as it ends), and the server's
        build when one was found. Slow: never on the window's thread."""
        ...
