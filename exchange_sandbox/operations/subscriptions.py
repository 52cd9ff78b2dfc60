"""Subscribe (pull, streaming), GetEvents, GetStreamingEvents, Unsubscribe."""

from __future__ import annotations

import time
from collections.abc import Iterator

from lxml import etree

from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Folder
from ..notifications import EVENT_TYPES, Subscription
from ..soap import failure, operation_response, success
from ..xmlkit import child, child_text, children, element, local_name
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


@operation("Subscribe")
def subscribe(ctx: Context, request: etree._Element) -> str:
    spec, kind = _subscription_request(ctx, request)

    def handle() -> str:
        if kind == "PushSubscriptionRequest":
            raise EwsError(
                "ErrorInvalidPushSubscriptionUrl",
                "Push subscriptions are not offered by this server.",
            )
        folders: list[Folder] | None = None
        if spec.get("SubscribeToAllFolders", "false") not in ("true", "1"):
            folders = [ctx.folder(f)[1] for f in ctx.folders_in(child(spec, "FolderIds"))]
        types_elem = child(spec, "EventTypes")
        event_types = (
            {e.text or "" for e in children(types_elem)} if types_elem is not None else set()
        )
        if not event_types or not event_types <= EVENT_TYPES:
            raise schema_violation("The element 'EventTypes' is invalid.")
        try:
            timeout = int(child_text(spec, "Timeout") or "30")
        except ValueError as error:
            raise schema_violation("The element 'Timeout' is invalid.") from error
        subscription = ctx.services.notifications.subscribe(
            ctx.user,
            folders,
            event_types,
            streaming=kind != "PullSubscriptionRequest",
            timeout_minutes=timeout,
        )
        result = element("m:SubscriptionId", subscription.id)
        if not subscription.streaming:
            result += element(
                "m:Watermark", ctx.services.notifications.current_watermark(subscription)
            )
        return result

    return single("Subscribe", handle)


def _notification(subscription_id: str, events: list[str], pulled: tuple[str, bool] | None) -> str:
    """A Notification; `pulled` (previous watermark, more events) only for GetEvents."""
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


@operation("GetEvents")
def get_events(ctx: Context, request: etree._Element) -> str:
    subscription_id = child_text(request, "SubscriptionId") or ""
    watermark = child_text(request, "Watermark") or ""

    def handle() -> str:
        hub = ctx.services.notifications
        subscription = hub.get(ctx.user, subscription_id)
        events, more = hub.pull(subscription, watermark)
        return _notification(subscription_id, events, (watermark, more))

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
    try:
        for subscription_id in subscription_ids:
            subscription = hub.get(ctx.user, subscription_id)
            if not subscription.streaming:
                raise EwsError(
                    "ErrorInvalidSubscription", "The subscription is not a streaming one."
                )
            subscriptions.append(subscription)
    except EwsError as error:
        closed = element("m:ConnectionStatus", "Closed")
        yield operation_response(
            "GetStreamingEvents", [failure("GetStreamingEvents", error, closed)]
        )
        return
    yield _streaming_message("", "OK")
    deadline = time.monotonic() + minutes * 60
    for batch in hub.stream(subscriptions, deadline, STREAMING_HEARTBEAT_SECONDS):
        if batch is None:
            yield _streaming_message("", "OK")
            continue
        notifications = "".join(
            _notification(subscription.id, events, None) for subscription, events in batch
        )
        yield _streaming_message(f"<m:Notifications>{notifications}</m:Notifications>", "OK")
    yield _streaming_message("", "Closed")
