"""Driving a modal dialog the window opens: act on it from inside its own event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def when_dialog_opens(
    act: Callable[[Any], None], kind: type[QDialog] = QDialog
) -> list[BaseException]:
    """Run `act` on the next modal dialog of `kind` (a QMessageBox: the question a dialog asks
    on top of itself); failures are collected, since an exception inside the dialog's loop
    would otherwise leave it open and hang the test."""
    failures: list[BaseException] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, handle)
            return
        try:
            act(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, handle)
    return failures
