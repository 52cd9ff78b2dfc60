"""Pull, push and streaming notification subscriptions fed by store changes."""

from __future__ import annotations

import base64
import os
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import ids
from .errors import EwsError
from .model import Folder, Mailbox
from .render import folder_id_xml, item_id_xml
from .store import Store, StoreEvent
from .values import format_datetime, now
from .xmlkit import element

EVENT_TYPES = frozenset(
    {
        "CopiedEvent",
        "CreatedEvent",
        "DeletedEvent",
        "ModifiedEvent",
        "MovedEvent",
        "NewMailEvent",
        "FreeBusyChangedEvent",
    }
)
MAX_EVENTS_PER_NOTIFICATION = 50


@dataclass
class Subscription:
    id: str
    serial: int
    mailbox: Mailbox
    folders: frozenset[bytes] | None  # None: every folder of the mailbox
    event_types: frozenset[str]
    streaming: bool
    push: bool = False
    timeout_minutes: int = 30
    last_seen: float = field(default_factory=time.monotonic)
    next_number: int = 1
    events: list[tuple[int, str]] = field(default_factory=list)  # (watermark number, event body)

    def expired(self) -> bool:
        """A pull subscription nobody asked about within its timeout is gone."""
        waited = time.monotonic() - self.last_seen
        return not (self.streaming or self.push) and waited > self.timeout_minutes * 60


def notification_xml(
    subscription_id: str, events: list[str], pulled: tuple[str, bool] | None
) -> str:
    """A Notification; `pulled` (previous watermark, more events) for pull and push ones."""
    paging = ""
    if pulled is not None:
        previous, more = pulled
        paging = element("t:PreviousWatermark", previous) + element(
            "t:MoreEvents", "true" if more else "false"
        )
    return (
        "<m:Notification>"
        + element("t:SubscriptionId", subscription_id)
        + paging
        + "".join(events)
        + "</m:Notification>"
    )


class NotificationHub:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self.arrived = threading.Condition(self._lock)
        self._subscriptions: dict[str, Subscription] = {}
        self._serial = 0
        store.subscribe(self._on_store_event)

    # --- subscriptions ------------------------------------------------------------------

    def subscribe(
        self,
        mailbox: Mailbox,
        folders: list[Folder] | None,
        event_types: set[str],
        streaming: bool,
        timeout_minutes: int = 30,
        push: bool = False,
    ) -> Subscription:
        with self._lock:
            self._serial += 1
            subscription = Subscription(
                id=base64.b64encode(os.urandom(6) + struct.pack(">I", self._serial)).decode(
                    "ascii"
                ),
                serial=self._serial,
                mailbox=mailbox,
                folders=None if folders is None else frozenset(f.uuid for f in folders),
                event_types=frozenset(event_types),
                streaming=streaming,
                push=push,
                timeout_minutes=timeout_minutes,
            )
            self._subscriptions[subscription.id] = subscription
            return subscription

    def get(self, mailbox: Mailbox, subscription_id: str) -> Subscription:
        """The mailbox's subscription; ErrorInvalidSubscription for an id no subscription can
        have, ErrorSubscriptionNotFound for one that is gone or another mailbox's."""
        try:
            well_formed = len(base64.b64decode(subscription_id, validate=True)) == 10
        except ValueError:
            well_formed = False
        if not well_formed:
            raise EwsError("ErrorInvalidSubscription")
        with self._lock:
            subscription = self._subscriptions.get(subscription_id)
            if subscription is None or subscription.mailbox.guid != mailbox.guid:
                raise EwsError("ErrorSubscriptionNotFound")
            if subscription.expired():
                del self._subscriptions[subscription_id]
                raise EwsError("ErrorExpiredSubscription", "The subscription has expired.")
            subscription.last_seen = time.monotonic()
            return subscription

    def unsubscribe(self, mailbox: Mailbox, subscription_id: str) -> None:
        with self._lock:
            subscription = self._subscriptions.get(subscription_id)
            if subscription is None or subscription.mailbox.guid != mailbox.guid:
                raise EwsError("ErrorSubscriptionNotFound")
            del self._subscriptions[subscription_id]
            self.arrived.notify_all()

    def is_active(self, subscription: Subscription) -> bool:
        return self._subscriptions.get(subscription.id) is subscription

    def end(self, subscription: Subscription) -> None:
        """The subscription is over (a push client answered Unsubscribe, or stopped answering)."""
        with self._lock:
            if self.is_active(subscription):
                del self._subscriptions[subscription.id]
            self.arrived.notify_all()

    def wait_for_events(self, subscription: Subscription, timeout: float) -> None:
        """Until the subscription has events, ends, or the timeout passes."""
        with self._lock:
            if not subscription.events and self.is_active(subscription):
                self.arrived.wait(timeout=timeout)

    # --- watermarks ---------------------------------------------------------------------

    def watermark(self, subscription: Subscription, number: int) -> str:
        payload = struct.pack(">IQ", subscription.serial, number)
        return base64.b64encode(payload + self._store.state_signature(payload)).decode("ascii")

    def watermark_number(self, subscription: Subscription, watermark: str) -> int:
        try:
            raw = base64.b64decode(watermark.encode("ascii"), validate=True)
        except ValueError as error:
            raise EwsError("ErrorInvalidWatermark") from error
        payload, signature = raw[:12], raw[12:]
        if len(payload) != 12 or signature != self._store.state_signature(payload):
            raise EwsError("ErrorInvalidWatermark")
        serial, number = struct.unpack(">IQ", payload)
        if serial != subscription.serial:
            raise EwsError("ErrorInvalidWatermark")
        return number

    def current_watermark(self, subscription: Subscription) -> str:
        return self.watermark(subscription, subscription.next_number - 1)

    # --- pull ---------------------------------------------------------------------------

    def pull(self, subscription: Subscription, watermark: str) -> tuple[list[str], bool, str]:
        """Events after the watermark (acknowledging everything up to it), MoreEvents, and the
        watermark of the last event given (a StatusEvent when there is none)."""
        acknowledged = self.watermark_number(subscription, watermark)
        with self._lock:
            subscription.events = [(n, e) for n, e in subscription.events if n > acknowledged]
            batch = subscription.events[:MAX_EVENTS_PER_NOTIFICATION]
            more = len(subscription.events) > len(batch)
            if not batch:
                current = self.current_watermark(subscription)
                status = element("t:Watermark", current)
                return [f"<t:StatusEvent>{status}</t:StatusEvent>"], False, current
            return [body for _, body in batch], more, self.watermark(subscription, batch[-1][0])

    def wake(self) -> None:
        """Wake whoever waits for events (a sender being stopped)."""
        with self._lock:
            self.arrived.notify_all()

    # --- streaming ----------------------------------------------------------------------

    def stream(
        self, subscriptions: list[Subscription], deadline: float, heartbeat: float
    ) -> Iterator[list[tuple[Subscription, list[str]]] | None]:
        """Yields batches of (subscription, events) as they arrive, None as a heartbeat, and
        stops at the deadline or when every subscription is gone."""
        while True:
            with self._lock:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not any(self.is_active(s) for s in subscriptions):
                    return
                batch = self._take(subscriptions)
                if not batch:
                    self.arrived.wait(timeout=min(heartbeat, remaining))
                    batch = self._take(subscriptions)
            yield batch or None

    def _take(self, subscriptions: list[Subscription]) -> list[tuple[Subscription, list[str]]]:
        taken = []
        for subscription in subscriptions:
            if subscription.events:
                taken.append((subscription, [body for _, body in subscription.events]))
                subscription.events = []
        return taken

    # --- events from the store ----------------------------------------------------------

    def _on_store_event(self, event: StoreEvent) -> None:
        event_type = f"{event.kind}Event"
        with self._lock:
            for subscription in list(self._subscriptions.values()):
                if subscription.mailbox.guid != event.mailbox.guid:
                    continue
                if event_type not in subscription.event_types:
                    continue
                folders = {event.folder.uuid}
                if event.old_folder is not None:
                    folders.add(event.old_folder.uuid)
                if event.folder_event is not None:
                    folders.add(event.folder_event.uuid)
                if subscription.folders is not None and not (folders & subscription.folders):
                    continue
                number = subscription.next_number
                subscription.next_number += 1
                subscription.events.append((number, self._render(subscription, number, event)))
            self.arrived.notify_all()

    def _render(self, subscription: Subscription, number: int, event: StoreEvent) -> str:
        mailbox = event.mailbox
        parts = []
        if not subscription.streaming:
            parts.append(element("t:Watermark", self.watermark(subscription, number)))
        parts.append(element("t:TimeStamp", format_datetime(now())))
        if event.folder_event is not None:
            parts.append(folder_id_xml(mailbox, event.folder_event))
        elif event.item is not None:
            parts.append(item_id_xml(mailbox, event.item))
        parts.append(folder_id_xml(mailbox, event.folder, "t:ParentFolderId"))
        if event.folder_event is not None and event.old_folder is not None:
            parts.append(folder_id_xml(mailbox, event.folder_event, "t:OldFolderId"))
            parts.append(folder_id_xml(mailbox, event.old_folder, "t:OldParentFolderId"))
        elif (
            event.old_item_uuid is not None
            and event.old_folder is not None
            and event.item is not None
        ):
            parts.append(
                element(
                    "t:OldItemId",
                    Id=ids.item_id(mailbox.guid, event.old_item_uuid),
                    ChangeKey=ids.change_key(event.item.change_number),
                )
            )
            parts.append(folder_id_xml(mailbox, event.old_folder, "t:OldParentFolderId"))
        if event.kind == "Modified" and event.folder_event is not None:
            parts.append(element("t:UnreadCount", str(event.folder_event.unread_count)))
        tag = f"t:{event.kind}Event"
        return f"<{tag}>{''.join(parts)}</{tag}>"
