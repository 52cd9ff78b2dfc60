"""Notifications through exchangelib: pull subscriptions with watermarks, streaming delivery."""

from __future__ import annotations

import threading

import pytest
from exchangelib import Account, Message
from exchangelib.errors import ErrorSubscriptionNotFound
from exchangelib.properties import (
    CreatedEvent,
    ModifiedEvent,
    MovedEvent,
    NewMailEvent,
    StatusEvent,
)

from tests.support.sandbox import Sandbox, SandboxUser

INCOMING = (
    b"From: Lena Schmidt <lena.schmidt@spedition-nord.example>\r\n"
    b"Subject: Neue Anfrage\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Bitte melden Sie sich.\r\n"
)


def test_a_pull_subscription_reports_created_and_modified_items(account: Account) -> None:
    subscription_id, watermark = account.inbox.subscribe_to_pull()
    message = Message(account=account, folder=account.inbox, subject="Beobachtet")
    message.save()
    message.is_read = False
    message.save(update_fields=["is_read"])

    (notification,) = account.inbox.get_events(subscription_id, watermark)
    item_events = [e for e in notification.events if e.item_id is not None]
    folder_events = [e for e in notification.events if e.folder_id is not None]

    assert [type(event) for event in item_events] == [CreatedEvent, ModifiedEvent]
    assert item_events[0].item_id.id == message.id
    assert item_events[0].parent_folder_id.id == account.inbox.id
    assert folder_events[-1].folder_id.id == account.inbox.id
    assert folder_events[-1].unread_count == 1
    account.inbox.unsubscribe(subscription_id)


def test_pulling_again_from_the_last_watermark_only_says_nothing_happened(account: Account) -> None:
    subscription_id, watermark = account.inbox.subscribe_to_pull()
    Message(account=account, folder=account.inbox, subject="Einmal").save()
    (first,) = account.inbox.get_events(subscription_id, watermark)

    (second,) = account.inbox.get_events(subscription_id, first.events[-1].watermark)

    assert [type(event) for event in second.events] == [StatusEvent]


def test_a_move_is_reported_with_the_old_and_new_ids(account: Account) -> None:
    message = Message(account=account, folder=account.inbox, subject="Wandert")
    message.save()
    old_id = message.id
    subscription_id, watermark = account.subscribe_to_pull()

    message.move(account.trash)
    (notification,) = account.inbox.get_events(subscription_id, watermark)
    (moved,) = [e for e in notification.events if e.item_id is not None]

    assert isinstance(moved, MovedEvent)
    assert (moved.old_item_id.id, moved.item_id.id) == (old_id, message.id)


def test_unsubscribing_ends_the_subscription(account: Account) -> None:
    subscription_id, watermark = account.inbox.subscribe_to_pull()
    account.inbox.unsubscribe(subscription_id)

    with pytest.raises(ErrorSubscriptionNotFound):
        list(account.inbox.get_events(subscription_id, watermark))


def test_streaming_delivers_new_mail_while_the_connection_is_open(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user)
    subscription_id = account.inbox.subscribe_to_streaming()
    delivery = threading.Timer(0.3, sandbox.server.deliver, args=(user.address, INCOMING))
    delivery.start()

    notifications = list(
        account.inbox.get_streaming_events(
            subscription_id, connection_timeout=1, max_notifications_returned=1
        )
    )
    delivery.join()

    kinds = {type(event) for event in notifications[0].events}
    assert {CreatedEvent, NewMailEvent} <= kinds
    account.inbox.unsubscribe(subscription_id)
