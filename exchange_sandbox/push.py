"""Push subscriptions: the server calls the client.

For each push subscription a sender POSTs SendNotification requests to the subscription's URL:
the events since the last acknowledged watermark as they happen, or a StatusEvent when nothing
happened for StatusFrequency minutes. The client answers SendNotificationResult with
SubscriptionStatus OK (the events are acknowledged) or Unsubscribe (the subscription ends). A
client that does not answer is tried again, with growing pauses, and its subscription ends after
a few failures, as Exchange gives up on an unreachable callback.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from .notifications import NotificationHub, Subscription, notification_xml
from .soap import envelope
from .versions import ServerVersion
from .xmlkit import MESSAGES_NS, TYPES_NS, MalformedXml, child_text, parse_document

RETRY_PAUSES = (1.0, 2.0, 4.0)  # seconds between attempts to reach a callback that failed
_TIMEOUT_SECONDS = 10.0


@dataclass
class _Sender:
    subscription: Subscription
    url: str
    status_frequency: int  # minutes
    watermark: str
    thread: threading.Thread | None = None
    stopped: threading.Event = field(default_factory=threading.Event)


class PushDispatcher:
    def __init__(self, hub: NotificationHub, version: ServerVersion) -> None:
        self._hub = hub
        self._version = version
        self._senders: list[_Sender] = []
        self._lock = threading.Lock()

    def start(
        self, subscription: Subscription, url: str, status_frequency: int, watermark: str
    ) -> None:
        sender = _Sender(subscription, url, status_frequency, watermark)
        sender.thread = threading.Thread(
            target=self._run, args=(sender,), name=f"ews-push-{subscription.serial}", daemon=True
        )
        with self._lock:
            self._senders.append(sender)
        sender.thread.start()

    def stop(self) -> None:
        """Stop every sender (the server is going down); their subscriptions stay."""
        with self._lock:
            senders, self._senders = self._senders, []
        for sender in senders:
            sender.stopped.set()
        self._hub.wake()
        for sender in senders:
            if sender.thread is not None:
                sender.thread.join(timeout=5)

    def _run(self, sender: _Sender) -> None:
        subscription = sender.subscription
        while not sender.stopped.is_set() and self._hub.is_active(subscription):
            self._hub.wait_for_events(subscription, sender.status_frequency * 60)
            if sender.stopped.is_set() or not self._hub.is_active(subscription):
                return
            events, more, last = self._hub.pull(subscription, sender.watermark)
            body = notification_xml(subscription.id, events, (sender.watermark, more))
            if self._deliver(sender, body) != "OK":
                self._hub.end(subscription)
                return
            sender.watermark = last

    def _deliver(self, sender: _Sender, notification: str) -> str | None:
        """POST one notification, trying again after failures; the client's SubscriptionStatus."""
        message = envelope(
            self._version,
            f'<m:SendNotification xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}">'
            "<m:ResponseMessages>"
            '<m:SendNotificationResponseMessage ResponseClass="Success">'
            f"<m:ResponseCode>NoError</m:ResponseCode>{notification}"
            "</m:SendNotificationResponseMessage></m:ResponseMessages></m:SendNotification>",
        )
        for pause in (0.0, *RETRY_PAUSES):
            if pause and sender.stopped.wait(pause):
                return None
            status = _post(sender.url, message)
            if status is not None:
                return status
        return None


def _post(url: str, message: bytes) -> str | None:
    request = urllib.request.Request(
        url, data=message, headers={"Content-Type": "text/xml; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
            answer = response.read()
    except (urllib.error.URLError, OSError):
        return None
    try:
        document = parse_document(answer)
    except MalformedXml:
        return None
    for elem in document.iter(f"{{{MESSAGES_NS}}}SendNotificationResult"):
        return (child_text(elem, "SubscriptionStatus") or "").strip() or None
    return None
