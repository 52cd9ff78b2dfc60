"""Untrack asks what becomes of the CRM activity: kept, unlinked from the message, or deleted."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget


class UntrackChoice(enum.Enum):
    KEEP = "keep"
    DELETE = "delete"


class UntrackQuestion(QMessageBox):
    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("untrackQuestion")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Untrack"))
        shown = subject.strip() or self.tr("(no subject)")
        self.setText(self.tr("Stop tracking “%1” in the CRM?").replace("%1", shown))
        self.setInformativeText(
            self.tr(
                "Keep its email activity in the CRM, unlinked from the message, or delete the "
                "activity. Either way the tracking category leaves the message in every mail "
                "client at the next sync, and the automatic rules leave it alone."
            )
        )
        self.keep_button = self.addButton(
            self.tr("Keep the activity"), QMessageBox.ButtonRole.AcceptRole
        )
        self.delete_button = self.addButton(
            self.tr("Delete the activity"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.keep_button)

    def choice(self) -> UntrackChoice | None:
        """After exec(): what the user chose; None when they cancelled."""
        clicked = self.clickedButton()
        if clicked is self.keep_button:
            return UntrackChoice.KEEP
        if clicked is self.delete_button:
            return UntrackChoice.DELETE
        return None
