"""Folders through exchangelib: the distinguished ones, the tree, new folders, hierarchy sync."""

from __future__ import annotations

import pytest
from exchangelib import Account
from exchangelib.errors import ErrorFolderExists
from exchangelib.folders import Calendar, Folder, Inbox, SentItems, Tasks


def test_every_distinguished_folder_the_sync_engine_needs_is_there(account: Account) -> None:
    assert isinstance(account.inbox, Inbox)
    assert isinstance(account.sent, SentItems)
    assert isinstance(account.calendar, Calendar)
    assert isinstance(account.tasks, Tasks)
    assert account.drafts.name == "Drafts"
    assert account.trash.name == "Deleted Items"
    assert account.contacts.folder_class == "IPF.Contact"


def test_the_root_traversal_finds_the_top_of_information_store_tree(account: Account) -> None:
    names = {folder.name for folder in account.root.walk()}

    assert {"Top of Information Store", "Inbox", "Sent Items", "Calendar", "Tasks"} <= names


def test_a_new_subfolder_of_the_inbox_is_found_by_name(account: Account) -> None:
    Folder(parent=account.inbox, name="Kunden – Nord").save()

    found = account.inbox // "Kunden – Nord"

    assert found.name == "Kunden – Nord"
    assert found.parent_folder_id.id == account.inbox.id


def test_a_duplicate_folder_name_is_refused_as_exchange_does(account: Account) -> None:
    Folder(parent=account.inbox, name="Projekte").save()

    with pytest.raises(ErrorFolderExists):
        Folder(parent=account.inbox, name="projekte").save()


def test_hierarchy_sync_reports_a_new_folder_then_nothing(account: Account) -> None:
    root = account.msg_folder_root
    first = list(root.sync_hierarchy())
    state = root.folder_sync_state
    Folder(parent=account.inbox, name="Angebote 2026").save()

    changes = list(root.sync_hierarchy(sync_state=state))
    after = list(root.sync_hierarchy(sync_state=root.folder_sync_state))

    assert any(folder.name == "Inbox" for change, folder in first if change == "create")
    assert [(change, folder.name) for change, folder in changes if change == "create"] == [
        ("create", "Angebote 2026")
    ]
    assert after == []


def test_a_deleted_folder_arrives_as_a_delete_in_hierarchy_sync(account: Account) -> None:
    root = account.msg_folder_root
    folder = Folder(parent=account.inbox, name="Alt")
    folder.save()
    folder_id = folder.id
    list(root.sync_hierarchy())
    state = root.folder_sync_state

    folder.delete()
    changes = list(root.sync_hierarchy(sync_state=state))

    assert [item.id for change, item in changes if change == "delete"] == [folder_id]


def test_a_renamed_folder_arrives_as_an_update_in_hierarchy_sync(account: Account) -> None:
    root = account.msg_folder_root
    folder = Folder(parent=account.inbox, name="Kunden A–K")
    folder.save()
    list(root.sync_hierarchy())
    state = root.folder_sync_state

    folder.name = "Kunden A–M"
    folder.save()
    changes = list(root.sync_hierarchy(sync_state=state))

    assert [(change, f.name) for change, f in changes] == [("update", "Kunden A–M")]
