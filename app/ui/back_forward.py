"""Back and Forward between the places of the window (mail folders, the calendar, the tasks,
CRM lists and records): Alt+Left and Alt+Right, and the mouse's back and forward buttons
anywhere in the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from app.ui.place_history import PlaceHistory


class BackForward(QObject):
    def __init__(self, window: QWidget, go: Callable[[object], None]) -> None:
        """`go(place)` shows a place the history holds (it is not visited again)."""
        super().__init__(window)
        self._window = window
        self._go = go
        self._going = False
        self.history: PlaceHistory[object] = PlaceHistory()
        style = window.style()
        self.back_action = self._action(
            self.tr("Back"), style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack),
            QKeySequence.StandardKey.Back, self.back,
        )  # fmt: skip
        self.forward_action = self._action(
            self.tr("Forward"), style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
            QKeySequence.StandardKey.Forward, self.forward,
        )  # fmt: skip
        self._update()
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    def _action(
        self, text: str, shown: QIcon, keys: QKeySequence.StandardKey, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(shown, text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shortcut})" if shortcut else text)
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)
        return action

    def visit(self, place: object) -> None:
        """The user went somewhere; ignored while Back or Forward is taking them there."""
        if not self._going:
            self.history.visit(place)
            self._update()

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Steps on the way to a place that are not places of their own."""
        going, self._going = self._going, True
        try:
            yield
        finally:
            self._going = going

    def back(self) -> None:
        self._show(self.history.back())

    def forward(self) -> None:
        self._show(self.history.forward())

    def _show(self, place: object | None) -> None:
        if place is not None:
            with self.quietly():
                self._go(place)
        self._update()

    def _update(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The mouse's side buttons, wherever in this window they are pressed: the widget under
        # the pointer (a list, the reading pane) would otherwise take the press as a click.
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            if event.button() == Qt.MouseButton.BackButton:
                self.back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.forward()
                return True
        return False
