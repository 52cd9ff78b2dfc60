"""The account dialog's Microsoft 365 choice, on the sandbox's Entra ID: "Sign in with Microsoft"
opens the browser (Qt's URL handler stands for the desktop's), the user signs in there, and the
profile keeps a Graph account with its sign-in in the keyring."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import BackendKind, load_account, new_account, save_account
from app.mailbox.models import MailItem
from app.mailbox.sync_options import set_sync_option
from app.secrets import MemoryKeyring
from app.services.account import MicrosoftForm
from app.services.engine_runner import EngineRunner
from app.services.workspace import WorkspaceServices
from app.sync.engine import SyncEngine
from app.sync.graph_move import MoveCount, cache_is_graphs
from app.ui.account_dialog import AccountDialog
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from exchange_sandbox import SandboxServer
from tests.support.entra import Browser, new_user
from tests.support.sandbox import SandboxUser
from tests.ui.dialogs import when_dialog_opens

CLIENT_ID = "3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9"
TIMEOUT = 30_000


class UsersBrowser(QObject):
    """The desktop's browser: Qt hands it https URLs, the user signs in on the page."""

    def __init__(self, user: SandboxUser) -> None:
        super().__init__()
        self.user = user
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())
        threading.Thread(
            target=Browser().sign_in_and_return, args=(url.toString(), self.user)
        ).start()


@pytest.fixture
def user(https_sandbox: SandboxServer) -> SandboxUser:
    return new_user(https_sandbox, "Jan Lewandowski")


@pytest.fixture
def browser(user: SandboxUser) -> Iterator[UsersBrowser]:
    handler = UsersBrowser(user)
    QDesktopServices.setUrlHandler("https", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("https")


def _fill(
    dialog: AccountDialog, server: SandboxServer, user: SandboxUser, moving: bool = False
) -> None:
    dialog.address.setText(user.address)
    dialog.microsoft_365.setChecked(True)
    dialog.client_id.setText(CLIENT_ID)
    dialog.login_url.setText(server.base_url)
    if moving:  # the sandbox's Graph, which the Exchange Server profile moves to
        dialog.graph_url.setText(server.graph_url)


def on_exchange_server(workspace: Workspace, server: SandboxServer, user: SandboxUser) -> None:
    """The profile syncs the user's mailbox through Exchange Web Services."""
    workspace.initialise(user.address, None)
    save_account(workspace, new_account(user.address, server.url), user.password)


def synced_over_ews(
    qtbot: QtBot, services: WorkspaceServices, server: SandboxServer, user: SandboxUser
) -> MainWindow:
    """The window on an Exchange Server profile, after its first sync."""
    on_exchange_server(services.workspace, server, user)
    with services.workspace.local.sessions.begin() as session:
        set_sync_option(session, "streaming", "off")
    window = MainWindow(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT):
        window.start_sync()
    return window


def test_sign_in_with_microsoft_keeps_a_graph_account_signed_in(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    with Workspace.open() as workspace:
        dialog = AccountDialog(WorkspaceServices(workspace), None)
        qtbot.addWidget(dialog)
        _fill(dialog, https_sandbox, user)
        assert dialog.exchange_page.isHidden() and not dialog.microsoft_page.isHidden()

        with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT) as signed_in:
            dialog.sign_in_button.click()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

        assert signed_in.args == [True]
        assert user.address in dialog.sign_in_state.text()
        assert "code_challenge_method=S256" in browser.opened[0]
        assert dialog.result() == AccountDialog.DialogCode.Accepted
        account = load_account(workspace)
        assert account is not None and account.backend is BackendKind.GRAPH
        assert "RefreshToken" in next(iter(memory_keyring.secrets.values()))


def test_a_blocked_sign_in_is_said_in_the_dialog(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    https_sandbox.identity.policies.blocked_by_conditional_access.add(user.address)
    try:
        with Workspace.open() as workspace:
            dialog = AccountDialog(WorkspaceServices(workspace), None)
            qtbot.addWidget(dialog)
            _fill(dialog, https_sandbox, user)

            with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT) as signed_in:
                dialog.sign_in_button.click()
            said = dialog.error.text()
            dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    finally:
        https_sandbox.identity.policies.blocked_by_conditional_access.clear()

    assert signed_in.args == [False]
    assert "conditional access" in said
    assert dialog.error.text() == "Sign in with Microsoft first"
    assert dialog.result() != AccountDialog.DialogCode.Accepted


def test_an_exchange_server_account_is_still_the_first_choice(qtbot: QtBot) -> None:
    with Workspace.open() as workspace:
        dialog = AccountDialog(WorkspaceServices(workspace), None)
        qtbot.addWidget(dialog)

        assert dialog.exchange_server.isChecked()
        assert dialog.microsoft_page.isHidden()
        assert dialog.microsoft_365.text() == "Microsoft 365 (sign in with Microsoft)"


def test_when_sync_asks_to_sign_in_again_the_dialog_signs_the_same_account_in(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    with Workspace.open() as workspace:
        services = WorkspaceServices(workspace)
        first = AccountDialog(services, None)
        qtbot.addWidget(first)
        _fill(first, https_sandbox, user)
        with qtbot.waitSignal(first.signed_in, timeout=TIMEOUT):
            first.sign_in_button.click()
        https_sandbox.identity.revoke_sign_ins(user.address)

        dialog = AccountDialog(
            services,
            services.account_form(),
            None,
            "Sign in again to Microsoft 365.",
            microsoft=services.microsoft_form(),
        )
        qtbot.addWidget(dialog)
        assert dialog.microsoft_365.isChecked()
        assert dialog.client_id.text() == CLIENT_ID
        assert dialog.sign_in_state.text() == ""
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert dialog.error.text() == "Sign in with Microsoft first"

        with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT) as signed_in:
            dialog.sign_in_button.click()

        assert signed_in.args == [True]
        assert len(browser.opened) == 2


def test_an_exchange_server_profile_signed_in_to_microsoft_365_is_moved_with_its_mail(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    """Saving a Graph account over it would strand the cache under EWS ids: the dialog moves
    the profile instead, and the message synced over EWS is the same row, its body kept."""
    https_sandbox.deliver(user.address, ORDER.format(to=user.address).encode())
    with Workspace.open() as workspace:
        on_exchange_server(workspace, https_sandbox, user)
        engine = SyncEngine.open(workspace)
        assert engine.sync_once().ok
        engine.close()
        before = _order(workspace)
        services = WorkspaceServices(workspace)
        dialog = AccountDialog(services, services.account_form())
        qtbot.addWidget(dialog)
        _fill(dialog, https_sandbox, user, moving=True)
        assert dialog.sign_in_button.text() == "Sign in and move to Microsoft 365"
        assert dialog.move_note.isVisibleTo(dialog)

        with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT) as signed_in:
            dialog.sign_in_button.click()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

        assert signed_in.args == [True], dialog.error.text()
        assert dialog.sign_in_state.text().startswith("Moved to Microsoft 365")
        assert not dialog.sign_in_button.isEnabled()  # moved once: nothing to move again
        assert not dialog.exchange_server.isEnabled()
        account = load_account(workspace)
        assert account is not None and account.backend is BackendKind.GRAPH
        after = _order(workspace)
        with workspace.local.sessions() as session:
            moved = cache_is_graphs(session, user.address)
    assert moved  # every id is Graph's (a restId may read as its EWS id: URL-safe base64)
    assert after.id == before.id and after.body_fetched


def test_moving_refuses_another_mailbox_before_the_browser_opens(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    """The profile is its mailbox's: another address typed in the dialog is not moved into it."""
    with Workspace.open() as workspace:
        on_exchange_server(workspace, https_sandbox, user)
        services = WorkspaceServices(workspace)
        dialog = AccountDialog(services, services.account_form())
        qtbot.addWidget(dialog)
        _fill(dialog, https_sandbox, user)
        dialog.address.setText("ewa.wisniewska@brightwave.example")

        with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT) as signed_in:
            dialog.sign_in_button.click()

        assert signed_in.args == [False]
        assert "needs a profile of its own" in dialog.error.text()
        assert browser.opened == []
        account = load_account(workspace)
        assert account is not None and account.backend is BackendKind.EWS


ORDER = (
    "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>\r\nTo: {to}\r\n"
    "Subject: Zamówienie nr 4711\r\nMessage-ID: <z4711@acme-logistics.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nDzień dobry.\r\n"
)


def _order(workspace: Workspace) -> MailItem:
    with workspace.local.sessions() as session:
        return session.scalars(
            select(MailItem).where(MailItem.subject == "Zamówienie nr 4711")
        ).one()


class RecordingServices(WorkspaceServices):
    """The window's services, noting which kind of account each sync engine was made for."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.engines_for: list[BackendKind] = []

    def sync_runner(self) -> EngineRunner | None:
        account = load_account(self.workspace)
        if account is not None:
            self.engines_for.append(account.backend)
        return super().sync_runner()


def test_a_profile_moved_from_the_window_syncs_over_graph_even_when_the_dialog_is_cancelled(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    """The move is done once signed in: closing the dialog with Cancel keeps it, and the
    window's Exchange Server engine must not go on syncing the moved cache."""
    with Workspace.open() as workspace:
        services = RecordingServices(workspace)
        window = synced_over_ews(qtbot, services, https_sandbox, user)
        moved: list[str] = []

        def move_then_cancel(dialog: AccountDialog) -> None:
            _fill(dialog, https_sandbox, user, moving=True)
            with qtbot.waitSignal(dialog.signed_in, timeout=TIMEOUT):
                dialog.sign_in_button.click()
            moved.append(dialog.sign_in_state.text())
            dialog.reject()

        failures = when_dialog_opens(move_then_cancel, AccountDialog)
        with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT):
            window.setup_account()
        try:
            assert not failures
            assert moved[0].startswith("Moved to Microsoft 365"), moved
            assert services.engines_for == [BackendKind.EWS, BackendKind.GRAPH]
        finally:
            window.stop_sync()


class MoveFinishingLate(RecordingServices):
    """A move that was already writing the cache when the dialog closed: the cancel comes too
    late for it, and it finishes after the dialog is gone."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.dialog_closed = threading.Event()

    def move_to_microsoft_365(
        self, form: MicrosoftForm, open_browser: Callable[[str], object], cancel: threading.Event
    ) -> MoveCount:
        self.dialog_closed.wait(TIMEOUT / 1000)
        return super().move_to_microsoft_365(form, open_browser, threading.Event())


def test_a_move_that_ends_after_the_dialog_closed_still_restarts_sync_over_graph(
    qtbot: QtBot,
    https_sandbox: SandboxServer,
    user: SandboxUser,
    browser: UsersBrowser,
    entra_trusted: Path,
) -> None:
    with Workspace.open() as workspace:
        services = MoveFinishingLate(workspace)
        window = synced_over_ews(qtbot, services, https_sandbox, user)

        def start_moving_then_close(dialog: AccountDialog) -> None:
            _fill(dialog, https_sandbox, user, moving=True)
            dialog.sign_in_button.click()
            dialog.reject()

        failures = when_dialog_opens(start_moving_then_close, AccountDialog)
        window.setup_account()
        services.dialog_closed.set()
        try:
            assert not failures
            qtbot.waitUntil(lambda: BackendKind.GRAPH in services.engines_for, timeout=TIMEOUT)
            assert services.engines_for == [BackendKind.EWS, BackendKind.GRAPH]
        finally:
            window.stop_sync()
