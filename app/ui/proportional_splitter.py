"""A splitter whose panes keep their shares of the width as the window is resized, until the
user drags a handle (from then on Qt's own rule: the stretching pane takes the change).

The mail page's list, reading pane and CRM pane: sized once in pixels, a window smaller than
those pixels took all of the difference from one pane (at 1024 px, the reading pane down to its
minimum, or before that the list down to one column)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget


class ProportionalSplitter(QSplitter):
    def __init__(self, shares: Sequence[float], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._shares = tuple(shares)
        self._dragged = False
        self.splitterMoved.connect(self._on_dragged)

    def _on_dragged(self, _position: int, _index: int) -> None:
        self._dragged = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._dragged and self.count() == len(self._shares):
            total = sum(self._shares)
            width = event.size().width()
            # Qt then honours each pane's minimum, taking the rest from the others.
            self.setSizes([round(width * share / total) for share in self._shares])
