"""A folder's sync state over Graph is the link Graph gave: told apart from another folder's
link or garbage, whichever way Graph spells the folder in it."""

from __future__ import annotations

import pytest

from app.sync.errors import InvalidSyncState
from app.sync.graph import delta

INBOX = "AAMkAGI2TG93AAA="
ARCHIVE = "AAMkAGI2TG94AAA="
GRAPH = "https://graph.microsoft.com/v1.0"


def test_a_messages_link_naming_its_folder_in_key_syntax_is_the_folders_state() -> None:
    link = f"{GRAPH}/me/mailfolders('{INBOX}')/messages/delta?$skiptoken=GwcBoTmPuoTQWfcsAbkYM"

    assert delta.parse_state(f"u|{link}", f"/me/mailFolders/{INBOX}/messages/delta") == (
        False,
        link,
    )


def test_a_messages_link_with_its_folder_percent_encoded_is_the_folders_state() -> None:
    link = f"{GRAPH}/me/mailFolders/AAMkAGI2TG93AAA%3D/messages/delta?$deltatoken=LztZwWjo5Ik"

    initial, _ = delta.parse_state(f"i|{link}", f"/me/mailFolders/{INBOX}/messages/delta")

    assert initial


def test_another_folders_link_is_an_invalid_state() -> None:
    link = f"{GRAPH}/me/mailfolders('{ARCHIVE}')/messages/delta?$deltatoken=LztZwWjo5Ik"

    with pytest.raises(InvalidSyncState):
        delta.parse_state(f"u|{link}", f"/me/mailFolders/{INBOX}/messages/delta")


def test_the_folder_hierarchys_link_is_known_in_either_case() -> None:
    path = "/me/mailFolders/delta"

    assert delta.is_link_of(f"{GRAPH}/me/mailfolders/delta?$skiptoken=Gwc", path)
    assert delta.is_link_of(f"{GRAPH}/me/mailFolders/delta?$deltatoken=Lzt", path)
    assert not delta.is_link_of(f"{GRAPH}/me/mailFolders('{INBOX}')/messages/delta?$d=1", path)
