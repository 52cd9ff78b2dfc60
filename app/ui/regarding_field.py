"""A Regarding field for forms (compose, appointment, task): the chosen record, Choose…, Clear;
the same picker chooses a contact's account or an opportunity's contact in the record form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.crm.search import RecordHit, RecordKey
from app.ui.formatting import record_type_name
from app.ui.icons import icon
from app.ui.regarding_dialog import RegardingDialog


class RegardingField(QWidget):
    changed = Signal()

    def __init__(
        self,
        search: Callable[[str], list[RecordHit]],
        parent: QWidget | None = None,
        *,
        placeholder: str | None = None,
        title: str | None = None,
        prompt: str | None = None,
    ) -> None:
        """With `placeholder`, `title` and `prompt` it picks another kind of record (a
        contact's account): what it shows when empty, the picker's title and its question."""
        super().__init__(parent)
        self._search = search
        self._picker_words = {"title": title, "prompt": prompt}
        self.key: RecordKey | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit()
        self.text.setObjectName("regardingText")
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(placeholder or self.tr("No regarding record"))
        self.choose = QToolButton()
        self.choose.setIcon(icon("regarding"))
        self.choose.setText(self.tr("Choose…"))
        self.choose.setToolTip(self.tr("Choose the CRM record this is about"))
        self.clear_button = QToolButton()
        self.clear_button.setIcon(icon("cancel"))
        self.clear_button.setToolTip(placeholder or self.tr("No regarding record"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.choose)
        layout.addWidget(self.clear_button)
        self.choose.clicked.connect(self.pick)
        self.clear_button.clicked.connect(lambda: self.set_record(None, ""))

    def set_record(self, key: RecordKey | None, name: str) -> None:
        self.key = key
        self.text.setText(f"{name} ({record_type_name(key.type)})" if key is not None else "")
        self.clear_button.setEnabled(key is not None)
        self.changed.emit()

    def pick(self) -> None:
        dialog = RegardingDialog(self._search, self, **self._picker_words)
        if dialog.exec() == RegardingDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.set_record(dialog.chosen.key, dialog.chosen.name)
