"""Subscribe (pull, streaming), GetEvents, GetStreamingEvents, Unsubscribe."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Folder
from ..notifications import EVENT_TYPES, Subscription, notification_xml
from ..soap import failure, operation_response, success
from ..xmlkit import child, child_text, children, element, local_name, wrap
from .registry import operation, single, streaming_operation

# How often an idle streaming connection gets a keep-alive response, as Exchange does.
STREAMING_HEARTBEAT_SECONDS = 30.0


def _subscription_request(ctx: Context, request: etree._Element) -> tuple[etree._Element, str]:
    for kind in (
        "PullSubscriptionRequest",
        "StreamingSubscriptionRequest",
        "PushSubscriptionRequest",
    ):
        found = child(request, kind)
        if found is not None:
            return found, kind
    raise schema_violation("The element 'Subscribe' has incomplete content.")


def _minutes(spec: etree._Element, name: str, default: int) -> int:
    try:
        return int(child_text(spec, name) or default)
    except ValueError as error:
        raise schema_violation(f"The element '{name}' is invalid.") from error


def _push_target(spec: etree._Element) -> tuple[str, int]:
    """The URL a push subscription calls and its StatusFrequency (1 to 1440 minutes)."""
    url = (child_text(spec, "URL") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EwsError("ErrorInvalidPushSubscriptionUrl")
    frequency = _minutes(spec, "StatusFrequency", 30)
    if not 1 <= frequency <= 1440:
        raise schema_violation("The element 'StatusFrequency' must be between 1 and 1440.")
    return url, frequency


@operation("Subscribe")
def subscribe(ctx: Context, request: etree._Element) -> str:
    spec, kind = _subscription_request(ctx, request)

    def handle() -> str:
        push = _push_target(spec) if kind == "PushSubscriptionRequest" else None
        folders: list[Folder] | None = None
        if spec.get("SubscribeToAllFolders", "false") not in ("true", "1"):
            folders = [ctx.folder(f)[1] for f in ctx.folders_in(child(spec, "FolderIds"))]
        types_elem = child(spec, "EventTypes")
        event_types = (
            {e.text or "" for e in children(types_elem)} if types_elem is not None else set()
        )
        if not event_types or not event_types <= EVENT_TYPES:
            raise schema_violation("The element 'EventTypes' is invalid.")
        hub = ctx.services.notifications
        subscription = hub.subscribe(
            ctx.user,
            folders,
            event_types,
            streaming=kind == "StreamingSubscriptionRequest",
            timeout_minutes=_minutes(spec, "Timeout", 30),
            push=push is not None,
        )
        result = element("m:SubscriptionId", subscription.id)
        if subscription.streaming:
            return result
        watermark = hub.current_watermark(subscription)
        if push is not None:
            url, frequency = push
            ctx.services.push.start(subscription, url, frequency, watermark)
        return result + element("m:Watermark", watermark)

    return single("Subscribe", handle)


@operation("GetEvents")
def get_events(ctx: Context, request: etree._Element) -> str:
    subscription_id = child_text(request, "SubscriptionId") or ""
    watermark = child_text(request, "Watermark") or ""

    def handle() -> str:
        hub = ctx.services.notifications
        subscription = hub.get(ctx.user, subscription_id)
        if subscription.streaming or subscription.push:
            raise EwsError("ErrorInvalidSubscription")  # only pull subscriptions are pulled
        events, more, _ = hub.pull(subscription, watermark)
        return notification_xml(subscription_id, events, (watermark, more))

    return single("GetEvents", handle)


@operation("Unsubscribe")
def unsubscribe(ctx: Context, request: etree._Element) -> str:
    subscription_id = child_text(request, "SubscriptionId") or ""
    return single(
        "Unsubscribe",
        lambda: ctx.services.notifications.unsubscribe(ctx.user, subscription_id) or "",
    )


def _streaming_message(inner: str, status: str) -> str:
    name = "GetStreamingEvents"
    return operation_response(name, [success(name, inner + element("m:ConnectionStatus", status))])


@streaming_operation("GetStreamingEvents")
def get_streaming_events(ctx: Context, request: etree._Element) -> Iterator[str]:
    """Yields one response body per envelope: notifications as they come, keep-alives, Closed."""
    ids_elem = child(request, "SubscriptionIds")
    subscription_ids = [
        s.text or "" for s in children(ids_elem) if local_name(s) == "SubscriptionId"
    ]
    try:
        minutes = int(child_text(request, "ConnectionTimeout") or "")
    except ValueError as error:
        raise schema_violation("The element 'ConnectionTimeout' is invalid.") from error
    if not 1 <= minutes <= 30:
        raise schema_violation("The element 'ConnectionTimeout' must be between 1 and 30.")
    hub = ctx.services.notifications
    subscriptions: list[Subscription] = []
    failed: list[tuple[str, EwsError]] = []
    for subscription_id in subscription_ids:
        try:
            subscription = hub.get(ctx.user, subscription_id)
            if not subscription.streaming:
                raise EwsError("ErrorInvalidSubscription")
            subscriptions.append(subscription)
        except EwsError as error:
            failed.append((subscription_id, error))
    if failed:
        # One answer for the request: the first id no subscription can have decides the code,
        # every failing id is listed, and the connection closes.
        error = next((e for _, e in failed if e.code == "ErrorInvalidSubscription"), failed[0][1])
        failing = wrap(
            "m:ErrorSubscriptionIds", [element("m:SubscriptionId", i) for i, _ in failed]
        )
        closed = element("m:ConnectionStatus", "Closed")
        name = "GetStreamingEvents"
        yield operation_response(name, [failure(name, error, failing + closed)])
        return
    yield _streaming_message("", "OK")
    deadline = time.monotonic() + minutes * 60
    for batch in hub.stream(subscriptions, deadline, STREAMING_HEARTBEAT_SECONDS):
        if batch is None:
            yield _streaming_message("", "OK")
            continue
        notifications = "".join(
            notification_xml(subscription.id, events, None) for subscription, events in batch
        )
        yield _streaming_message(f"<m:Notifications>{notifications}</m:Notifications>", "OK")
    yield _streaming_message("", "Closed")
