"""An exception nobody caught: it is logged, the user gets words and the log's place, not a
traceback, and no queued change is lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.mailbox.models import OutboxEntry
from app.ui import logs
from app.ui.crash_dialog import CrashDialog, CrashReporter, install_crash_dialog
from app.ui.main_window import MainWindow
from app.workspace import Workspace
from tests.support.window_hooks import window_hooks_restored
from tests.ui.mailbox_builder import BuiltProfile

pytestmark = pytest.mark.qt_no_exception_capture  # the app's own hook is under test here


@pytest.fixture
def crash_reporting(qapp: QApplication, profile: BuiltProfile) -> Iterator[CrashReporter]:
    """The window's logging and crash dialog as launch() installs them; undone afterwards."""
    with window_hooks_restored():
        logs.setup_logging(profile.workspace.paths.log_dir)
        reporter = install_crash_dialog(qapp)
        yield reporter
        if reporter.dialog is not None:
            reporter.dialog.close()


def pending_changes(workspace: Workspace) -> int:
    with workspace.local.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")
        )


def shown_dialog(reporter: CrashReporter, qtbot: QtBot) -> CrashDialog:
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog is not None
    return reporter.dialog


def test_a_slot_that_raises_keeps_the_queued_change_for_the_next_start(
    window: MainWindow,
    profile: BuiltProfile,
    qtbot: QtBot,
    crash_reporting: CrashReporter,
) -> None:
    assert window.message_list.select_item(profile.items["offer"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    queued = pending_changes(profile.workspace)
    assert queued >= 1

    def fails_half_way() -> None:
        with profile.workspace.local.sessions.begin() as session:
            for entry in session.scalars(select(OutboxEntry)):
                entry.state = "done"  # never committed: the exception comes first
            raise RuntimeError("the regarding lookup returned no row")

    button = QPushButton("Sync now", window)
    button.clicked.connect(fails_half_way)
    button.click()
    shown_dialog(crash_reporting, qtbot).close()
    window.close()
    profile.workspace.close()

    with Workspace.open() as reopened:
        assert pending_changes(reopened) == queued


def test_the_dialog_names_the_log_and_keeps_the_traceback_behind_a_button(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot, crash_reporting: CrashReporter
) -> None:
    def fails() -> None:
        raise KeyError("Zielińska & Syn sp. z o.o.")

    button = QPushButton("Open record", window)
    button.clicked.connect(fails)
    button.click()
    dialog = shown_dialog(crash_reporting, qtbot)

    log_path = profile.workspace.paths.log_dir / logs.LOG_FILE
    assert str(log_path) in dialog.log_label.text()
    assert "Your work is safe" in dialog.message.text()
    assert "Traceback" not in dialog.message.text() + dialog.log_label.text()
    assert dialog.details.isHidden()
    logged = log_path.read_text(encoding="utf-8")
    assert "uncaught exception" in logged and "Zielińska & Syn sp. z o.o." in logged

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Liaison ")
    assert "Traceback (most recent call last)" in copied
    assert "KeyError: 'Zielińska & Syn sp. z o.o.'" in copied

    dialog.show_button.click()
    assert dialog.details.isVisible()
    assert dialog.show_button.text() == "Hide details"


def test_an_exception_in_a_worker_thread_shows_the_dialog_on_the_window_thread(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot, crash_reporting: CrashReporter
) -> None:
    def worker() -> None:
        raise ConnectionResetError("the sandbox closed the connection")

    thread = threading.Thread(target=worker, name="sync-worker")
    thread.start()
    thread.join()
    dialog = shown_dialog(crash_reporting, qtbot)

    assert dialog.thread() is QApplication.instance().thread()
    assert "ConnectionResetError" in dialog.details.toPlainText()
    logged = (profile.workspace.paths.log_dir / logs.LOG_FILE).read_text(encoding="utf-8")
    assert "uncaught exception in thread sync-worker" in logged


def test_a_second_exception_adds_to_the_open_dialog_instead_of_stacking_dialogs(
    window: MainWindow, qtbot: QtBot, crash_reporting: CrashReporter
) -> None:
    def first() -> None:
        raise ValueError("pierwszy błąd")

    def second() -> None:
        raise ValueError("drugi błąd")

    for slot in (first, second):
        button = QPushButton(window)
        button.clicked.connect(slot)
        button.click()
    dialog = shown_dialog(crash_reporting, qtbot)
    qtbot.waitUntil(lambda: "drugi błąd" in dialog.details.toPlainText())

    assert "pierwszy błąd" in dialog.details.toPlainText()
    assert [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()
    ] == [dialog]
