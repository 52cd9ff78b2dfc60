"""Duplicates detected: the records a new or edited one may duplicate, why each matches, and a
choice, as the reference CRM asks: open the existing record, or save anyway."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.crm.duplicate_rules import DuplicateMatch
from app.crm.search import RecordKey
from app.ui.dialog_parts import keep_content_whole
from app.ui.formatting import RECORD_ICONS
from app.ui.icons import icon
from app.ui.record_words import match_text, match_title


class DuplicateChoice(enum.Enum):
    BACK = "back"  # to the form, to change something
    OPEN = "open"
    SAVE_ANYWAY = "save-anyway"


class DuplicateDialog(QDialog):
    def __init__(self, matches: list[DuplicateMatch], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.choice = DuplicateChoice.BACK
        self.chosen: RecordKey | None = None
        warning_only = all(match.is_warning_only for match in matches)
        self.setWindowTitle(
            self.tr("Check before saving") if warning_only else self.tr("Duplicates detected")
        )
        layout = QVBoxLayout(self)
        keep_content_whole(self, 560)
        self.resize(560, 300)
        heading = QLabel(
            self.tr("A lead should not carry a customer's address without anyone noticing:")
            if warning_only
            else self.tr("This record may be in the CRM already:")
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        # One item per match, its name and its reason on two lines: the reason is a sentence,
        # which a column would cut off.
        self.matches = QListWidget()
        self.matches.setObjectName("duplicateMatches")
        self.matches.setAccessibleName(self.tr("Matching records"))
        self.matches.setWordWrap(True)
        self.matches.setSpacing(2)
        for match in matches:
            item = QListWidgetItem(
                icon(RECORD_ICONS[match.record.type]), f"{match_title(match)}\n{match_text(match)}"
            )
            if match.record.id is not None:
                key = RecordKey(match.record.type, match.record.id)
                item.setData(Qt.ItemDataRole.UserRole, key)
            self.matches.addItem(item)
        self.matches.setCurrentRow(0)
        layout.addWidget(self.matches, 1)
        question = QLabel(self.tr("Open the existing record, or save this one anyway?"))
        question.setWordWrap(True)
        layout.addWidget(question)
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Open existing"))
        self.save_button = QPushButton(self.tr("Save anyway"))
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open)
        self.save_button.clicked.connect(self._save_anyway)
        self.matches.itemActivated.connect(lambda *_: self._open())
        layout.addWidget(self.buttons)
        self.open_button.setDefault(True)

    def _open(self) -> None:
        item = self.matches.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(key, RecordKey):
            self.choice, self.chosen = DuplicateChoice.OPEN, key
            self.accept()

    def _save_anyway(self) -> None:
        self.choice = DuplicateChoice.SAVE_ANYWAY
        self.accept()
