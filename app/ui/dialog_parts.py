"""Pieces every form dialog has: a line that says what is wrong, its accept/Cancel buttons, and
a size that never cuts its content off."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QWidget

from app.ui.accessible import name_all_form_fields

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


class _HeldLayout(QObject):
    """Keeps a window no smaller than its content at the width it has: Qt works out a
    window's minimum height without asking wrapped text how tall it grows when narrow, and an
    explicit minimum width would override what the longest label needs. When the window shows,
    its form fields take their rows' labels as names for screen readers."""

    def __init__(self, window: QWidget, width: int) -> None:
        super().__init__(window)
        self._width = width

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and isinstance(
            watched, QWidget
        ):
            _hold(watched, self._width)
        elif event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            name_all_form_fields(watched)
        return False


def _hold(window: QWidget, width: int) -> None:
    layout = window.layout()
    if layout is None:
        return
    least = layout.totalMinimumSize()
    least.setWidth(max(least.width(), width))
    if layout.hasHeightForWidth():
        least.setHeight(max(least.height(), layout.totalHeightForWidth(window.width())))
    if window.minimumSize() != least:
        window.setMinimumSize(least)


def keep_content_whole(window: QWidget, width: int = 0) -> None:
    """Call once the window's layout is set: it stays at least `width` wide (a comfortable
    reading width) and never cuts off its content, in any language; its form fields are named
    for screen readers."""
    layout = window.layout()
    if layout is not None:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    window.installEventFilter(_HeldLayout(window, width))
    _hold(window, width)
