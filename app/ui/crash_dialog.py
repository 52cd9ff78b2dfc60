"""What the user sees when Liaison meets an exception nobody caught.

app.ui.logs writes the traceback to the log first; then this dialog says, in words, that work is
safe and where the log is, and keeps the traceback behind "Show details" and "Copy details" for a
bug report. The window goes on running: nothing here quits, exits or touches the databases, so
every committed change (the outbox included) stays where SQLite put it, and a change that was
half-way through its transaction is rolled back whole, as if it had not been started.
"""

from __future__ import annotations

import logging
import platform
import traceback

from PySide6.QtCore import QObject, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.ui.dialog_parts import keep_content_whole
from app.ui.logs import ExcInfo, current_log_path, on_uncaught

log = logging.getLogger(__name__)


def describe(info: ExcInfo) -> str:
    """The details for a bug report: versions, then the traceback."""
    kind, value, tb = info
    return (
        f"Liaison {__version__}, Python {platform.python_version()}, Qt {qVersion()}, "
        f"{platform.platform()}\n\n" + "".join(traceback.format_exception(kind, value, tb))
    )


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Liaison: an unexpected problem"))
        log_path = current_log_path()
        self.message = QLabel(
            self.tr(
                "Liaison ran into a problem it did not expect. Your work is safe: what you saved, "
                "and every change waiting to be sent, stays in your profile and goes out with "
                "the next sync. If Liaison behaves oddly from now on, quit and start it again."
            )
        )
        self.message.setWordWrap(True)
        self.log_label = QLabel(
            self.tr("The details are in the log: %1").replace("%1", str(log_path))
            if log_path is not None
            else self.tr("The details could not be written to a log.")
        )
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumHeight(220)
        self.details.hide()  # a traceback is for a bug report, not for the user's face

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.show_button = QPushButton(self.tr("Show details"))
        self.open_log_button = QPushButton(self.tr("Open log folder"))
        self.open_log_button.setEnabled(log_path is not None)
        for button in (self.copy_button, self.show_button, self.open_log_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_details)
        self.show_button.clicked.connect(self.toggle_details)
        if log_path is not None:
            self.open_log_button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))
            )

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        keep_content_whole(self, 560)
        self.adjustSize()

    def add_details(self, details: str) -> None:
        """Another exception while the dialog is up: one dialog, all the details."""
        self.details.appendPlainText("\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def toggle_details(self) -> None:
        shown = not self.details.isVisible()
        self.details.setVisible(shown)
        self.show_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.adjustSize()


class CrashReporter(QObject):
    """Shows the crash dialog for exceptions from any thread, on the window's thread."""

    crashed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: CrashDialog | None = None
        # Emitted from whichever thread failed; Qt queues it to this object's (the GUI) thread.
        self.crashed.connect(self._show)

    def report(self, info: ExcInfo) -> None:
        try:
            self.crashed.emit(describe(info))
        except RuntimeError:
            log.warning("the crash dialog is gone (the application is closing)")

    def _show(self, details: str) -> None:
        try:
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.add_details(details)
                return
            self.dialog = CrashDialog(details, QApplication.activeWindow())
            # Not exec(): a nested event loop inside an exception handler invites a second crash.
            self.dialog.open()
        except Exception:
            # The dialog must never be the next crash; the original is already in the log.
            log.exception("the crash dialog could not be shown")


def install_crash_dialog(application: QApplication) -> CrashReporter:
    """From now on an uncaught exception shows the crash dialog (after app.ui.logs logs it)."""
    reporter = CrashReporter(application)
    on_uncaught(reporter.report)
    return reporter
