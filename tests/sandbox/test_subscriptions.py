"""Streaming and push subscriptions as Exchange defines them: several subscriptions on one
connection, all folders or some, invalid and unknown subscription ids answered per id, and push
notifications POSTed to the client's URL."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from exchangelib import Account, CalendarItem, EWSDateTime, EWSTimeZone, Message
from exchangelib.errors import (
    ErrorInvalidPushSubscriptionUrl,
    ErrorInvalidSubscription,
    ErrorSchemaValidation,
    ErrorSubscriptionNotFound,
)
from exchangelib.properties import CreatedEvent, Notification
from exchangelib.services import GetStreamingEvents, SendNotification

from tests.sandbox.messages import inbound
from tests.support.sandbox import Sandbox, SandboxUser

WARSAW = EWSTimeZone("Europe/Warsaw")


def _appointment(account: Account) -> CalendarItem:
    item = CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Besuch Hafen Gdynia",
        start=EWSDateTime(2026, 11, 9, 10, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 11, 9, 12, 0, tzinfo=WARSAW),
    )
    item.save()
    return item


def _created(notifications: list[Notification]) -> dict[str, set[str]]:
    """Item ids created, by subscription."""
    found: dict[str, set[str]] = {}
    for notification in notifications:
        for event in notification.events:
            if isinstance(event, CreatedEvent) and event.item_id is not None:
                found.setdefault(notification.subscription_id, set()).add(event.item_id.id)
    return found


def _stream(account: Account, *subscription_ids: str) -> list[Notification]:
    """The notifications waiting for these subscriptions (one for each)."""
    return list(
        account.inbox.get_streaming_events(
            subscription_ids, connection_timeout=1, max_notifications_returned=len(subscription_ids)
        )
    )


# --- streaming -----------------------------------------------------------------------------


def test_one_connection_streams_the_events_of_several_subscriptions(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    inbox_subscription = account.inbox.subscribe_to_streaming()
    calendar_subscription = account.calendar.subscribe_to_streaming()
    appointment = _appointment(account)
    delivered = sandbox.server.deliver(
        user.address, inbound("dispo@hansa-frachten.example", user.address, "Tourenplan KW 46")
    )

    created = _created(_stream(account, inbox_subscription, calendar_subscription))

    (in_inbox,) = account.inbox.all()
    assert created[calendar_subscription] == {appointment.id}
    assert in_inbox.id in created[inbox_subscription]
    assert delivered.props["Subject"] == "Tourenplan KW 46"


def test_a_subscription_to_all_folders_sees_every_folder(account: Account) -> None:
    subscription = account.subscribe_to_streaming()
    draft = Message(account=account, folder=account.drafts, subject="Entwurf Angebot")
    draft.save()
    appointment = _appointment(account)

    created = _created(_stream(account, subscription))

    assert {draft.id, appointment.id} <= created[subscription]


def test_a_subscription_to_some_folders_sees_only_those(account: Account) -> None:
    subscription = account.calendar.subscribe_to_streaming()
    Message(account=account, folder=account.drafts, subject="Nicht gesehen").save()
    appointment = _appointment(account)

    created = _created(_stream(account, subscription))

    assert created == {subscription: {appointment.id}}


def test_an_invalid_id_beside_a_good_one_is_named_in_the_answer(account: Account) -> None:
    good = account.inbox.subscribe_to_streaming()

    with pytest.raises(ErrorInvalidSubscription) as refused:
        _stream(account, "AAA-", good)

    assert refused.value.value == "Subscription is invalid. (subscription IDs: ['AAA-'])"


def test_an_ended_subscription_is_not_found(account: Account) -> None:
    subscription = account.inbox.subscribe_to_streaming()
    account.inbox.unsubscribe(subscription)

    with pytest.raises(ErrorSubscriptionNotFound):
        _stream(account, subscription)


def test_a_pull_subscription_cannot_be_streamed(account: Account) -> None:
    subscription, _ = account.inbox.subscribe_to_pull()

    with pytest.raises(ErrorInvalidSubscription):
        _stream(account, subscription)


def test_a_connection_timeout_over_thirty_minutes_is_refused(account: Account) -> None:
    subscription = account.inbox.subscribe_to_streaming()

    with pytest.raises(ErrorSchemaValidation):
        list(GetStreamingEvents(account=account).call([subscription], connection_timeout=31))


# --- push ----------------------------------------------------------------------------------


class _Callback(BaseHTTPRequestHandler):
    """The client's web service: what Exchange POSTs goes to the test's queue."""

    received: queue.Queue[list[Notification]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.put(list(SendNotification(protocol=None).parse(body)))
        answer = SendNotification(protocol=None).ok_payload()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def callback() -> Iterator[tuple[str, queue.Queue[list[Notification]]]]:
    received: queue.Queue[list[Notification]] = queue.Queue()
    handler = type("Callback", (_Callback,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/liaison/ews-push", received
    server.shutdown()
    server.server_close()


def test_a_push_subscription_posts_new_items_to_the_clients_url(
    account: Account, callback: tuple[str, queue.Queue[list[Notification]]]
) -> None:
    url, received = callback
    subscription, _ = account.calendar.subscribe_to_push(url, status_frequency=5)

    appointment = _appointment(account)

    notification = _pushed_until(received, appointment.id)[-1]
    (event,) = [e for e in notification.events if isinstance(e, CreatedEvent)]
    assert notification.subscription_id == subscription
    assert event.item_id.id == appointment.id
    assert event.watermark
    account.calendar.unsubscribe(subscription)


def _pushed_until(received: queue.Queue[list[Notification]], item_id: str) -> list[Notification]:
    """Notifications as they are POSTed, up to the one that reports the item created."""
    seen: list[Notification] = []
    while item_id not in {i for ids in _created(seen).values() for i in ids}:
        seen.extend(received.get(timeout=10))
    return seen


def test_each_push_goes_on_from_the_watermark_the_last_one_ended_with(
    account: Account, callback: tuple[str, queue.Queue[list[Notification]]]
) -> None:
    url, received = callback
    subscription, watermark = account.calendar.subscribe_to_push(url, status_frequency=5)
    _appointment(account)
    second = _appointment(account)

    pushed = _pushed_until(received, second.id)

    previous = [watermark] + [n.events[-1].watermark for n in pushed[:-1]]
    assert [n.previous_watermark for n in pushed] == previous
    account.calendar.unsubscribe(subscription)


def test_a_push_url_that_is_not_http_is_refused(account: Account) -> None:
    with pytest.raises(ErrorInvalidPushSubscriptionUrl):
        account.inbox.subscribe_to_push("ftp://liaison.example/push")


def test_only_a_pull_subscription_can_be_pulled(account: Account) -> None:
    subscription = account.inbox.subscribe_to_streaming()

    with pytest.raises(ErrorInvalidSubscription):
        list(account.inbox.get_events(subscription, "AAAAAA=="))
