"""The mail account in the window, on the EWS sandbox: Test connection shows each check and what
failed; a wrong password stops sync with words, and the window asks for the password."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.accounts import new_account, save_account
from app.mailbox.sync_options import set_sync_option
from app.services.workspace import WorkspaceServices
from app.sync.graph_move import rewrite_ids
from app.sync.status import Attention, SyncState
from app.ui.account_dialog import AccountDialog
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import engine_settings
from tests.ui.dialogs import when_dialog_opens

TIMEOUT = 60_000


def check_lines(dialog: AccountDialog) -> list[str]:
    return [dialog.checks.item(row).text() for row in range(dialog.checks.count())]


def test_test_connection_shows_each_check_and_what_failed(
    qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    with Workspace.open() as workspace:
        dialog = AccountDialog(WorkspaceServices(workspace), None)
        qtbot.addWidget(dialog)
        dialog.address.setText(mailbox.address)
        dialog.explicit.setChecked(True)
        dialog.server.setText(sandbox.url)
        dialog.secret.setText("to-nie-jest-haslo")

        with qtbot.waitSignal(dialog.tested, timeout=TIMEOUT) as wrong:
            dialog.test_button.click()

        assert wrong.args == [False]
        lines = check_lines(dialog)
        credentials = next(n for n, line in enumerate(lines) if line.startswith("Sign-in:"))
        assert credentials > 0  # the checks before it passed and are listed
        assert lines[credentials + 1].startswith("    ")  # what to do about it
        assert credentials + 2 == len(lines)  # nothing is checked past the first failure

        dialog.secret.setText(mailbox.password)
        with qtbot.waitSignal(dialog.tested, timeout=TIMEOUT) as right:
            dialog.test_button.click()

        assert right.args == [True]
        lines = check_lines(dialog)
        assert any(line.startswith("Sign-in:") for line in lines)
        assert lines[-1] == "Everything works: save to start syncing."
        dialog.close()


@pytest.fixture
def wrong_password_window(
    qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> Iterator[MainWindow]:
    with Workspace.open() as workspace:
        workspace.initialise(mailbox.address, mailbox.display_name)
        save_account(workspace, new_account(mailbox.address, sandbox.url), "stare-haslo-2025")
        with workspace.local.sessions.begin() as session:
            set_sync_option(session, "streaming", "off")
        window = MainWindow(WorkspaceServices(workspace, engine_settings()))
        qtbot.addWidget(window)
        window.show()
        yield window
        window.stop_sync()


def test_a_wrong_password_is_said_in_words_and_the_window_asks_for_the_password(
    qtbot: QtBot, wrong_password_window: MainWindow, mailbox: SandboxUser
) -> None:
    window = wrong_password_window
    with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT) as refused:
        window.start_sync()
    assert refused.args[0].state is SyncState.NEEDS_ATTENTION
    assert window.attention.isVisible()
    assert "password" in window.attention.text.text()
    assert window.status_bar.state.text() == "Needs your attention"
    asked: list[tuple[bool, str]] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountDialog)
        reason = dialog.findChild(QLabel, "accountReason")
        asked.append((dialog.focusWidget() is dialog.secret, reason.text() if reason else ""))
        dialog.secret.setText(mailbox.password)
        dialog.accept()

    failures = when_dialog_opens(answer)
    with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT) as synced:
        window.attention.action.click()

    assert not failures
    assert asked[0][0], "the password field has the focus"
    assert "password" in asked[0][1]
    assert synced.args[0].state is SyncState.ONLINE
    assert not window.attention.isVisible()
    assert window.status_bar.state.text() == "Up to date"


def test_a_move_to_microsoft_365_left_unfinished_is_said_with_what_to_do(
    qtbot: QtBot, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    """Not "check the password": the cache is Graph's already, and the move must be finished."""
    with Workspace.open() as workspace:
        workspace.initialise(mailbox.address, mailbox.display_name)
        save_account(workspace, new_account(mailbox.address, sandbox.url), mailbox.password)
        with workspace.local.sessions.begin() as session:
            rewrite_ids(session, mailbox.address, {})  # the move's rewrite, its account unsaved
        window = MainWindow(WorkspaceServices(workspace, engine_settings()))
        qtbot.addWidget(window)
        window.show()
        try:
            with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT) as stopped:
                window.start_sync()
        finally:
            window.stop_sync()

    assert stopped.args[0].attention is Attention.UNFINISHED_MOVE
    assert "Moving this profile to Microsoft 365 did not finish" in window.attention.text.text()
