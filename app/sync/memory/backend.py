"""The MailBackend over a mailbox of the in-memory server, and the factory that connects it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.accounts import AccountSettings
from app.sync.backend import (
    AttachmentContent,
    BackOffListener,
    Body,
    Check,
    CheckListener,
    Connected,
    DistinguishedFolder,
    FeedChanges,
    HierarchyChanges,
    ItemChanges,
    ItemKind,
    ItemRef,
    MarkChange,
    OutgoingMessage,
    RemoteFolder,
    RemoteItem,
    RemoteMark,
    SecretSource,
    StateChange,
    Transfer,
)
from app.sync.errors import ChangeConflict, ItemGone, SyncError, check_cancel
from app.sync.memory.mailbox import MemoryMailbox
from app.sync.memory.server import Busy, MemoryServer
from app.sync.retry import RetryBudget

T = TypeVar("T")


class MemoryBackend:
    """app.sync.backend.MailBackend over a MemoryServer's mailbox."""

    reads_ahead = True  # each call holds the server's lock

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
                except Busy as busy:
                    self._budget.back_off(busy.seconds)

    # Folders

    def distinguished_folders(self) -> dict[DistinguishedFolder, RemoteFolder]:
        return self._run(self._mailbox.distinguished)

    def folder_changes(self, sync_state: str | None) -> HierarchyChanges:
        return self._run(lambda: self._mailbox.folder_changes(sync_state))

    # Items

    def item_changes(
        self,
        folder_id: str,
        kind: ItemKind,
        sync_state: str | None,
        page_size: int,
        bodies_follow: bool = False,
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
        self._run(lambda: self._server.send(self._mailbox, message, mark, sent_folder_id))

    def find_sent(self, sent_folder_id: str, client_id: str) -> ItemRef | None:
        return self.find_by_client_id(sent_folder_id, ItemKind.MESSAGE, client_id)

    # Working with mail

    def _each(self, keys: Sequence[str], act: Callable[[int], T]) -> dict[str, T | Exception]:
        """One request for the batch, answered per item: an error about one item is its own."""

        def call() -> dict[str, T | Exception]:
            results: dict[str, T | Exception] = {}
            for position, key in enumerate(keys):
                try:
                    results[key] = act(position)
                except SyncError as exc:
                    results[key] = exc
            return results

        return self._run(call) if keys else {}

    def write_states(self, changes: Sequence[StateChange]) -> dict[str, ItemRef | Exception]:
        return self._each(
            [c.item_id for c in changes], lambda n: self._mailbox.write_state(changes[n])
        )

    def move_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        return self._each(
            [t.item_id for t in transfers],
            lambda n: self._mailbox.transfer(transfers[n], copy=False),
        )

    def copy_items(self, transfers: Sequence[Transfer]) -> dict[str, ItemRef | Exception]:
        return self._each(
            [t.item_id for t in transfers],
            lambda n: self._mailbox.transfer(transfers[n], copy=True),
        )

    def mark_junk(
        self, transfers: Sequence[Transfer], is_junk: bool
    ) -> dict[str, ItemRef | Exception]:
        return self._each(
            [t.item_id for t in transfers],
            lambda n: self._mailbox.mark_junk(transfers[n], is_junk),
        )

    def delete_permanently(self, item_ids: Sequence[str]) -> dict[str, Exception | None]:
        return self._each(item_ids, lambda n: self._mailbox.delete_permanently(item_ids[n]))

    def attachment_content(self, item_id: str, attachment_id: str) -> AttachmentContent:
        def call() -> AttachmentContent:
            item = self._mailbox.find(item_id)
            if item is None:
                raise ItemGone(f"Item {item_id[-12:]} is gone")
            return item.content_of(attachment_id)

        return self._run(call)

    def save_draft(
        self,
        folder_id: str,
        message: OutgoingMessage,
        existing: ItemRef | None,
        client_id: str,
    ) -> ItemRef:
        return self._run(lambda: self._mailbox.save_draft(folder_id, message, existing, client_id))

    def message_size_limit(self) -> int | None:
        return self._run(lambda: self._mailbox.max_send_size)

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
                self._unsubscribe(subscription)
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
            self._unsubscribe(subscription)

    def start_feed(self) -> str | None:
        return self._run(self._mailbox.start_feed)

    def read_feed(self, feed: str) -> FeedChanges:
        return self._run(lambda: self._mailbox.read_feed(feed))

    def end_feed(self, feed: str) -> None:
        self._mailbox.end_feed(feed)

    def _unsubscribe(self, subscription: str) -> None:
        with self._server.changed:
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

    def diagnose(
        self, account: AccountSettings, secret: SecretSource, on_check: CheckListener | None
    ) -> tuple[list[Check], str | None]:
        """One check: the server in memory opens the mailbox with these credentials or says
        why not."""
        try:
            self.server.sign_in(account, secret())
            check = Check("Mailbox", True, f"{account.address} opens")
        except SyncError as exc:
            check = Check("Mailbox", False, str(exc), str(exc))
        if on_check is not None:
            on_check(check)
        return [check], None
