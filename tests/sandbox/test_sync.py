"""SyncFolderItems through exchangelib: first sync, incremental changes, paging, bad states."""

from __future__ import annotations

import pytest
from exchangelib import Account, ExtendedProperty, Message
from exchangelib.errors import ErrorInvalidSyncStateData
from exchangelib.folders import BaseFolder

from exchange_sandbox import SandboxServer
from tests.support.sandbox import Sandbox, SandboxUser, make_account

FIELDS = ["subject", "is_read", "message_id", "datetime_received"]


def _fill(account: Account, count: int, prefix: str = "Anfrage") -> list[Message]:
    items = [
        Message(account=account, folder=account.inbox, subject=f"{prefix} {n:04d}")
        for n in range(count)
    ]
    for item in items:
        item.save()
    return items


def _sync(
    folder: BaseFolder, state: str | None = None, **kwargs: object
) -> list[tuple[str, object]]:
    return list(folder.sync_items(sync_state=state, only_fields=FIELDS, **kwargs))


def test_a_first_sync_reports_every_item_as_created(account: Account) -> None:
    _fill(account, 5)

    changes = _sync(account.inbox)

    assert [kind for kind, _ in changes] == ["create"] * 5
    assert sorted(item.subject for _, item in changes) == [f"Anfrage {n:04d}" for n in range(5)]
    assert account.inbox.item_sync_state


def test_an_incremental_sync_with_nothing_new_reports_nothing(account: Account) -> None:
    _fill(account, 3)
    _sync(account.inbox)

    assert _sync(account.inbox, account.inbox.item_sync_state) == []


def test_creates_updates_read_flags_and_deletes_each_arrive_once(account: Account) -> None:
    first, second, third = _fill(account, 3)
    _sync(account.inbox)
    state = account.inbox.item_sync_state
    fresh = Message(account=account, folder=account.inbox, subject="Neue Anfrage")
    fresh.save()
    first.subject = "Anfrage 0000 (beantwortet)"
    first.save(update_fields=["subject"])
    second.is_read = True
    second.save(update_fields=["is_read"])
    third_id = third.id
    third.delete()

    changes = {kind: value for kind, value in _sync(account.inbox, state)}

    assert changes["create"].subject == "Neue Anfrage"
    assert changes["update"].subject == "Anfrage 0000 (beantwortet)"
    assert changes["read_flag_change"] == ((second.id, second.changekey), True)
    assert changes["delete"].id == third_id
    assert len(changes) == 4


def test_an_item_created_and_deleted_between_syncs_is_never_mentioned(account: Account) -> None:
    _sync(account.inbox)
    state = account.inbox.item_sync_state
    ephemeral = Message(account=account, folder=account.inbox, subject="Entwurf")
    ephemeral.save()
    ephemeral.delete()

    assert _sync(account.inbox, state) == []


def test_a_move_arrives_as_a_delete_here_and_a_create_there(account: Account) -> None:
    (message,) = _fill(account, 1)
    _sync(account.inbox)
    _sync(account.trash)
    inbox_state, trash_state = account.inbox.item_sync_state, account.trash.item_sync_state
    old_id = message.id

    message.move(account.trash)

    assert [(k, v.id) for k, v in _sync(account.inbox, inbox_state)] == [("delete", old_id)]
    assert [(k, v.subject) for k, v in _sync(account.trash, trash_state)] == [
        ("create", "Anfrage 0000")
    ]


def test_max_changes_returned_pages_with_a_new_state_each_time(account: Account) -> None:
    _fill(account, 23)
    seen_states = []
    state = None
    subjects: list[str] = []
    while True:
        page = list(
            account.inbox.sync_items(
                sync_state=state, only_fields=["subject"], max_changes_returned=5
            )
        )
        subjects += [item.subject for _, item in page]
        new_state = account.inbox.item_sync_state
        assert new_state not in seen_states
        seen_states.append(new_state)
        state = new_state
        if not page:
            break

    assert sorted(subjects) == [f"Anfrage {n:04d}" for n in range(23)]


def test_a_garbled_sync_state_is_invalid_sync_state_data(account: Account) -> None:
    with pytest.raises(ErrorInvalidSyncStateData):
        _sync(account.inbox, "H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0")


def test_a_sync_state_of_another_folder_is_invalid_sync_state_data(account: Account) -> None:
    _sync(account.inbox)

    with pytest.raises(ErrorInvalidSyncStateData):
        _sync(account.trash, account.inbox.item_sync_state)


def test_sync_states_die_with_a_reset_server(sandbox: Sandbox, user: SandboxUser) -> None:
    with SandboxServer() as first, SandboxServer() as second:
        for server in (first, second):
            server.add_mailbox(user.address, user.password, user.display_name)
        before = make_account(first.url, user.address, user.password)
        _sync(before.inbox)
        after_reset = make_account(second.url, user.address, user.password)

        with pytest.raises(ErrorInvalidSyncStateData):
            _sync(after_reset.inbox, before.inbox.item_sync_state)
        before.protocol.close()
        after_reset.protocol.close()


class TrackingState(ExtendedProperty):
    property_set_id = "8d3f5b1a-2c4e-4f6a-9b7c-1d2e3f4a5b6c"
    property_name = "LiaisonLinkState"
    property_type = "Integer"


def test_a_mark_set_by_another_client_arrives_as_an_update_with_its_properties(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    Message.register("link_state", TrackingState)
    try:
        ours, phone = sandbox.account(user), sandbox.account(user)
        (message,) = _fill(ours, 1)
        fields = ["subject", "categories", "link_state"]
        list(ours.inbox.sync_items(only_fields=fields))
        state = ours.inbox.item_sync_state

        marked = phone.inbox.get(id=message.id)
        marked.categories = ["Tracked to Liaison"]
        marked.link_state = 2
        marked.save(update_fields=["categories", "link_state"])
        changes = list(ours.inbox.sync_items(sync_state=state, only_fields=fields))

        assert [(kind, item.categories, item.link_state) for kind, item in changes] == [
            ("update", ["Tracked to Liaison"], 2)
        ]
    finally:
        Message.deregister("link_state")
