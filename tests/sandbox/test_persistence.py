"""The SQLite store: mailboxes, items and sync states survive a restart; another process's
deliveries show up in a running server."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchangelib import ExtendedProperty, FileAttachment, Message

from exchange_sandbox import SandboxServer
from exchange_sandbox.cli import main as sandbox_main
from exchange_sandbox.sqlite_store import open_store
from tests.support.sandbox import make_account

# Every test here reaches a sandbox server over HTTP.
pytestmark = pytest.mark.end_to_end

ADDRESS, PASSWORD = "ewa.malinowska@tartak-las.example", "sosna-2026"


class ClientId(ExtendedProperty):
    property_set_id = "8d3f5b1a-2c4e-4f6a-9b7c-1d2e3f4a5b6c"
    property_name = "LiaisonClientId"
    property_type = "String"


def test_items_ids_and_sync_states_survive_a_restart(tmp_path: Path) -> None:
    Message.register("client_id", ClientId)
    try:
        with SandboxServer(store=open_store(tmp_path)) as first:
            first.add_mailbox(ADDRESS, PASSWORD, "Ewa Malinowska")
            account = make_account(first.url, ADDRESS, PASSWORD)
            message = Message(
                account=account,
                folder=account.inbox,
                subject="Zamówienie 2026/118",
                categories=["Tracked to Liaison"],
                client_id="outbox-7",
            )
            message.attach(FileAttachment(name="zamowienie.pdf", content=b"%PDF-1.4"))
            message.save()
            list(account.inbox.sync_items(only_fields=["subject"]))
            state, message_id = account.inbox.item_sync_state, message.id
            account.protocol.close()

        with SandboxServer(store=open_store(tmp_path)) as second:
            again = make_account(second.url, ADDRESS, PASSWORD)
            restored = again.inbox.get(id=message_id)

            assert (restored.subject, restored.categories) == (
                "Zamówienie 2026/118",
                ["Tracked to Liaison"],
            )
            assert restored.client_id == "outbox-7"
            assert restored.attachments[0].content == b"%PDF-1.4"
            assert list(again.inbox.sync_items(sync_state=state)) == []
            again.protocol.close()
    finally:
        Message.deregister("client_id")


def test_a_delivery_into_the_store_file_reaches_a_running_server(tmp_path: Path) -> None:
    eml = tmp_path / "incoming.eml"
    eml.write_bytes(
        b"From: Hans Weber <h.weber@holzhandel-weber.example>\r\n"
        b"Subject: Lieferung verschoben\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Die Lieferung kommt erst am Freitag.\r\n"
    )
    with SandboxServer(store=open_store(tmp_path)) as server:
        server.add_mailbox(ADDRESS, PASSWORD)
        account = make_account(server.url, ADDRESS, PASSWORD)
        assert account.inbox.all().count() == 0

        status = sandbox_main(["deliver", str(eml), "--to", ADDRESS, "--data", str(tmp_path)])

        assert status == 0
        assert [m.subject for m in account.inbox.all()] == ["Lieferung verschoben"]
        account.protocol.close()


def test_a_stored_mailbox_gains_the_folders_added_to_the_sandbox_since(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    mailbox = store.add_mailbox(ADDRESS, "Ewa Malinowska", PASSWORD)
    with store.writing():
        # As a store written before the sandbox had a directory folder.
        store.delete_folder(mailbox, mailbox.distinguished["directory"])

    with SandboxServer(store=open_store(tmp_path)) as server:
        account = make_account(server.url, ADDRESS, PASSWORD)

        assert [p.display_name for p in account.directory.people().only("display_name")] == [
            "Ewa Malinowska"
        ]
