"""Pieces every form dialog has: a line that says what is wrong, and its accept/Cancel buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

StandardButton = QDialogButtonBox.StandardButton


def error_line(object_name: str = "") -> QLabel:
    """Hidden until the dialog has something to say; wraps, since the words are a sentence."""
    label = QLabel()
    if object_name:
        label.setObjectName(object_name)
    label.setWordWrap(True)
    label.hide()
    return label


def accept_buttons(dialog: QDialog, accept: StandardButton) -> QDialogButtonBox:
    """`accept` (Save, OK…) and Cancel, wired to the dialog's accept() and reject()."""
    buttons = QDialogButtonBox(accept | StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
