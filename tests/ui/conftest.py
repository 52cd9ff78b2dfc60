from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.accounts import new_account, save_account
from app.crm.records import create_account, create_contact
from app.mailbox.sync_options import set_sync_option
from app.services.workspace import WorkspaceServices
from app.ui.i18n import install_language
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import engine_settings, mime
from tests.ui.mailbox_builder import BuiltProfile, build_profile


@pytest.fixture(autouse=True, scope="session")
def english_translations(qapp: QApplication) -> str:
    """The window in English, with its plural forms, whatever the machine's language."""
    return install_language("en")


@pytest.fixture
def in_polish() -> Iterator[None]:
    """The window in Polish for one test."""
    install_language("pl")
    yield
    install_language("en")


@pytest.fixture
def profile() -> Iterator[BuiltProfile]:
    built = build_profile()
    yield built
    built.workspace.close()


@pytest.fixture
def services(profile: BuiltProfile) -> WorkspaceServices:
    return WorkspaceServices(profile.workspace)


@pytest.fixture
def window(qtbot: QtBot, services: WorkspaceServices) -> MainWindow:
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


# The real window on the EWS sandbox, syncing on its thread.


JAN = "jan.kowalski@acme.example"


@pytest.fixture
def mailbox(sandbox: Sandbox) -> SandboxUser:
    return sandbox.new_user("Anna Nowak", domain="brightwave.example")


@pytest.fixture
def synced_workspace(sandbox: Sandbox, mailbox: SandboxUser) -> Iterator[Workspace]:
    """Anna's profile on her sandbox mailbox, with Acme and Jan Kowalski in the CRM."""
    with Workspace.open() as opened:
        opened.initialise(mailbox.address, mailbox.display_name)
        save_account(opened, new_account(mailbox.address, sandbox.url), mailbox.password)
        with opened.local.sessions.begin() as session:
            # Between syncs the engine waits for Sync now (or the interval), not for streaming
            # notifications: the window's tests drive every sync themselves.
            set_sync_option(session, "streaming", "off")
        with opened.crm.sessions.begin() as session:
            owner = opened.owner(session)
            acme = create_account(session, "Acme Logistics", ["biuro@acme.example"], owner)
            create_contact(session, "Jan", "Kowalski", [JAN], owner, acme)
        yield opened


@pytest.fixture
def deliver(sandbox: Sandbox, mailbox: SandboxUser) -> Callable[[str, str], None]:
    def send(sender: str, subject: str) -> None:
        raw = mime(sender, f"Anna Nowak <{mailbox.address}>", subject)
        sandbox.server.deliver(mailbox.address, raw)

    return send


@pytest.fixture
def live_window(qtbot: QtBot, synced_workspace: Workspace) -> Iterator[MainWindow]:
    """The window with sync running against the sandbox; its first sync has finished."""
    main = MainWindow(WorkspaceServices(synced_workspace, engine_settings()))
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.sync_finished, timeout=60_000):
        main.start_sync()
    yield main
    main.stop_sync()
