"""The mail window against the EWS sandbox: an attachment saved from the reading pane comes from
the server, a reply composed in the window reaches the recipient once, a message deleted in the
window is in Deleted Items on Exchange after the sync."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.ui.compose_dialog import ComposeDialog
from app.ui.main_window import MainWindow
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import mime
from tests.ui.conftest import JAN
from tests.ui.dialogs import when_dialog_opens

SYNC_TIMEOUT = 60_000
OFFER = b"%PDF-1.4\n% oferta na palety\n" + bytes(range(256)) * 40


def sync_and_wait(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.sync_finished, timeout=SYNC_TIMEOUT):
        window.sync_action.trigger()


def deliver_offer(sandbox: Sandbox, mailbox: SandboxUser) -> None:
    raw = mime(
        f"Jan Kowalski <{JAN}>",
        f"Anna Nowak <{mailbox.address}>",
        "Oferta na palety",
        attachments=[("oferta-palety.pdf", "application/pdf", OFFER)],
    )
    sandbox.server.deliver(mailbox.address, raw)


def shown_offer(window: MainWindow, qtbot: QtBot) -> int:
    sync_and_wait(window, qtbot)
    qtbot.waitUntil(lambda: window.message_list.model.rowCount() > 0, timeout=SYNC_TIMEOUT)
    item_id = window.message_list.model.item_id(0)
    assert item_id is not None and window.message_list.select_item(item_id)
    return item_id


def test_an_attachment_is_listed_and_saved_from_the_reading_pane(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
) -> None:
    deliver_offer(sandbox, mailbox)
    item_id = shown_offer(live_window, qtbot)
    listed = live_window.reading_pane.attachments
    assert listed.isVisible()
    assert listed.item(0).text().startswith("oferta-palety.pdf")

    def save_here(dialog: QFileDialog) -> None:
        dialog.selectFile(str(tmp_path / "oferta-palety.pdf"))
        dialog.accept()

    failures = when_dialog_opens(save_here, QFileDialog)
    with qtbot.waitSignal(live_window.mail.said, timeout=SYNC_TIMEOUT):
        live_window.reading_pane.attachment_save_requested.emit(item_id, 0, "oferta-palety.pdf")

    assert not failures
    assert (tmp_path / "oferta-palety.pdf").read_bytes() == OFFER
    assert "oferta-palety.pdf" in live_window.status_bar.currentMessage()


def test_a_reply_from_the_window_reaches_the_sender_once_with_its_headers(
    live_window: MainWindow, qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    deliver_offer(sandbox, mailbox)
    shown_offer(live_window, qtbot)

    def write(dialog: ComposeDialog) -> None:
        dialog.body.textCursor().insertText("Dziękuję, odpowiem do piątku.\n")
        dialog.send_button.click()

    failures = when_dialog_opens(write, ComposeDialog)
    live_window.mail.reply_action.trigger()
    assert not failures
    sync_and_wait(live_window, qtbot)
    sync_and_wait(live_window, qtbot)

    sent = [m for m in sandbox.server.outbound if m.sender == mailbox.address]
    assert len(sent) == 1
    message = message_from_bytes(sent[0].mime, policy=default_policy)
    assert str(message["Subject"]) == "RE: Oferta na palety"
    assert message["In-Reply-To"]
    assert sent[0].recipients == (JAN,)


def test_a_message_deleted_in_the_window_is_in_deleted_items_on_exchange(
    live_window: MainWindow, qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    deliver_offer(sandbox, mailbox)
    shown_offer(live_window, qtbot)

    live_window.mail.delete_action.trigger()
    assert live_window.message_list.model.rowCount() == 0
    sync_and_wait(live_window, qtbot)

    account = sandbox.account(mailbox)
    assert [m.subject for m in account.trash.all()] == ["Oferta na palety"]
    assert account.inbox.all().count() == 0


def test_save_all_attachments_saves_each_into_the_folder_chosen(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    tmp_path: Path,
) -> None:
    deliver_offer(sandbox, mailbox)
    item_id = shown_offer(live_window, qtbot)
    downloads = tmp_path / "Pobrane"
    downloads.mkdir()

    def choose_folder(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(downloads))
        dialog.selectFile(str(downloads))
        dialog.accept()

    failures = when_dialog_opens(choose_folder, QFileDialog)
    with qtbot.waitSignal(live_window.mail.said, timeout=SYNC_TIMEOUT):
        live_window.reading_pane.attachments_save_requested.emit(item_id)

    assert not failures
    assert [p.name for p in downloads.iterdir()] == ["oferta-palety.pdf"]
    assert "1 attachment saved in" in live_window.status_bar.currentMessage()


def test_open_hands_a_private_copy_of_the_attachment_to_the_viewer(
    live_window: MainWindow, qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    deliver_offer(sandbox, mailbox)
    shown_offer(live_window, qtbot)
    opened: list[Path] = []
    live_window.mail.open_file = opened.append  # the system's viewer, as the desktop would

    listed = live_window.reading_pane.attachments
    listed.itemActivated.emit(listed.item(0))  # a double-click

    qtbot.waitUntil(lambda: bool(opened), timeout=SYNC_TIMEOUT)
    assert opened[0].name == "oferta-palety.pdf"
    assert opened[0].read_bytes() == OFFER
    assert opened[0].stat().st_mode & 0o077 == 0
