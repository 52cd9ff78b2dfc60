"""Set Regarding: type a few letters of a name, address or company, pick with the arrows, Enter.

The search answers every keystroke from an in-memory index (app.crm.search), so the list follows
the typing at once even over 100 000 records.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordHit
from app.ui.dialog_parts import StandardButton, accept_buttons, keep_content_whole
from app.ui.formatting import RECORD_ICONS, record_type_name
from app.ui.icons import icon

HitRole = Qt.ItemDataRole.UserRole + 1
_NAVIGATION_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
)


class RegardingDialog(QDialog):
    def __init__(
        self,
        search: Callable[[str], list[RecordHit]],
        parent: QWidget | None = None,
        initial_text: str = "",
        *,
        title: str | None = None,
        prompt: str | None = None,
    ) -> None:
        """`title` and `prompt` say what is chosen when it is not a regarding record (the
        account of a contact: `search` then finds accounts only)."""
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Set Regarding"))
        self._search = search
        self.chosen: RecordHit | None = None
        layout = QVBoxLayout(self)
        keep_content_whole(self, 460)
        self.resize(460, 420)
        prompt_label = QLabel(prompt or self.tr("Find an account, contact, lead or opportunity:"))
        layout.addWidget(prompt_label)
        self.query = QLineEdit()
        self.query.setObjectName("regardingQuery")
        self.query.setPlaceholderText(self.tr("Name, email address or company"))
        self.query.setClearButtonEnabled(True)
        prompt_label.setBuddy(self.query)
        layout.addWidget(self.query)
        self.results = QListWidget()
        self.results.setObjectName("regardingResults")
        self.results.setAccessibleName(self.tr("Records found"))
        self.results.setUniformItemSizes(True)
        layout.addWidget(self.results, 1)
        self.hint = QLabel()
        self.hint.setEnabled(False)
        layout.addWidget(self.hint)
        self.buttons = accept_buttons(self, StandardButton.Ok)
        layout.addWidget(self.buttons)
        self.query.textChanged.connect(self._refresh)
        self.query.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(lambda *_: self._update_ok())
        self.query.setText(initial_text)
        self._refresh(initial_text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrows typed in the search box move through the results, so the hands stay on the keys.
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None and key_event.key() in _NAVIGATION_KEYS:
                self.results.event(key_event)
                return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen = item.data(HitRole)
        super().accept()

    def _refresh(self, text: str) -> None:
        self.results.clear()
        hits = self._search(text) if text.strip() else []
        for hit in hits:
            kind = record_type_name(hit.key.type)
            detail = f"{kind} · {hit.detail}" if hit.detail else kind
            item = QListWidgetItem(icon(RECORD_ICONS[hit.key.type]), f"{hit.name}\n{detail}")
            item.setData(HitRole, hit)
            item.setToolTip(f"{hit.name} ({detail})")
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        if not text.strip():
            self.hint.setText(self.tr("Type to search; ↑ ↓ to choose; Enter to set."))
        elif not hits:
            self.hint.setText(self.tr("Nothing matches “%1”.").replace("%1", text.strip()))
        else:
            self.hint.setText(
                self.tr("%n match(es) shown; Enter sets the highlighted one.", "", len(hits))
            )
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.results.currentItem() is not None)
