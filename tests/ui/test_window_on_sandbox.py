"""The real window syncing with the EWS sandbox: what a user does, and what the server then
holds, checked with an independent Exchange client."""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes
from email.policy import default as default_policy

from exchangelib import Account as ExchangeAccount
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.crm.search import RecordKey
from app.services.mail import TrackingState
from app.sync.status import SyncState
from app.tracking.model import RecordType
from app.ui.compose_dialog import ComposeDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import Place
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.ui.conftest import JAN
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import account_id_by_name

SYNC_TIMEOUT = 60_000


def other_client(sandbox: Sandbox, mailbox: SandboxUser) -> ExchangeAccount:
    return sandbox.account(mailbox)


def categories_on_server(sandbox: Sandbox, mailbox: SandboxUser) -> list[list[str]]:
    items = other_client(sandbox, mailbox).inbox.all().only("categories")
    return [list(item.categories or []) for item in items]


def open_inbox(window: MainWindow) -> None:
    inbox = next(f for f in window.services.folders() if f.distinguished == "inbox")
    assert window.navigation.select_place(Place("folder", folder_id=inbox.id))


def sync_and_wait(window: MainWindow, qtbot: QtBot) -> object:
    with qtbot.waitSignal(window.sync_finished, timeout=SYNC_TIMEOUT) as blocker:
        window.sync_action.trigger()
    return blocker.args[0]


def test_delivered_mail_appears_and_track_marks_it_on_the_server(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[[str, str], None],
) -> None:
    deliver(f"Jan Kowalski <{JAN}>", "Zapytanie o dostawę palet")
    sync_and_wait(live_window, qtbot)
    open_inbox(live_window)
    assert live_window.reading_pane.subject.text() == "Zapytanie o dostawę palet"
    assert live_window.crm_pane.facts is not None
    assert live_window.crm_pane.facts.state is TrackingState.NONE

    with (
        qtbot.waitSignal(live_window.sync_finished, timeout=SYNC_TIMEOUT),
        qtbot.waitSignal(live_window.action_finished, timeout=SYNC_TIMEOUT),
    ):
        live_window.track_action.trigger()

    facts = live_window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.TRACKED
    assert categories_on_server(sandbox, mailbox) == [["Tracked to Liaison"]]
    assert live_window.services.sync_status().pending_changes == 0


def test_offline_tracking_waits_and_reaches_the_server_when_it_is_back(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[[str, str], None],
) -> None:
    deliver(f"Jan Kowalski <{JAN}>", "Faktura 11/2026")
    sync_and_wait(live_window, qtbot)
    open_inbox(live_window)
    sandbox.server.go_down()
    try:
        with (
            qtbot.waitSignal(live_window.sync_finished, timeout=SYNC_TIMEOUT) as offline,
            qtbot.waitSignal(live_window.action_finished, timeout=SYNC_TIMEOUT),
        ):
            live_window.track_action.trigger()
        assert offline.args[0].state is SyncState.OFFLINE
        assert live_window.status_bar.state.text() == "Offline, 1 change waiting"
        assert live_window.crm_pane.facts is not None
        assert live_window.crm_pane.facts.mark_waiting
    finally:
        sandbox.server.come_back()

    outcome = sync_and_wait(live_window, qtbot)

    assert outcome.state is SyncState.ONLINE  # type: ignore[attr-defined]
    assert live_window.status_bar.state.text() == "Up to date"
    assert categories_on_server(sandbox, mailbox) == [["Tracked to Liaison"]]


def test_an_email_composed_regarding_an_account_is_sent_with_the_tracking_token(
    live_window: MainWindow,
    qtbot: QtBot,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    synced_workspace: Workspace,
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, account_id_by_name(synced_workspace, "Acme Logistics"))

    def write(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        dialog.to.setText(f"Jan Kowalski <{JAN}>")
        dialog.subject.setText("Oferta na palety")
        dialog.body.setPlainText("Dzień dobry,\n\nw załączeniu oferta.\n")
        dialog.regarding.set_record(acme, "Acme Logistics")
        dialog.send_button.click()

    failures = when_dialog_opens(write)
    with qtbot.waitSignal(live_window.sync_finished, timeout=SYNC_TIMEOUT):
        live_window.new_email_action.trigger()
    assert not failures

    (sent,) = [m for m in sandbox.server.outbound if m.sender == mailbox.address]
    message = message_from_bytes(sent.mime, policy=default_policy)
    assert str(message["Subject"]).startswith("Oferta na palety CRM:")
    assert sent.recipients == (JAN,)
