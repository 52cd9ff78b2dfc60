"""Reply, Reply All and Forward above the message: with their words where the reading pane has
room, as icons alone (the words in their tooltips) where it has not. Left at its words' width,
the bar would hold the reading pane that wide and a window of 1024 px would squeeze the message
list to one column, in Polish above all."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLayout, QStackedLayout, QToolButton, QWidget


class ResponseBar(QWidget):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack = QStackedLayout(self)
        # The bar sizes itself (minimumSizeHint): its stack must not hold it at the wide row.
        self._stack.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.wide = self._row(actions, Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.narrow = self._row(actions, Qt.ToolButtonStyle.ToolButtonIconOnly)
        self._stack.addWidget(self.wide)
        self._stack.addWidget(self.narrow)

    @staticmethod
    def _row(actions: Sequence[QAction], style: Qt.ToolButtonStyle) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 4)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(style)
            button.setAutoRaise(True)
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    def sizeHint(self) -> QSize:
        return self.wide.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.narrow.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fits = event.size().width() >= self.wide.minimumSizeHint().width()
        self._stack.setCurrentWidget(self.wide if fits else self.narrow)
