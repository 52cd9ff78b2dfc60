"""One CRM record: its fields, its addresses, and the timeline of its activities."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordDetails, RecordKey
from app.ui.formatting import RECORD_ICONS, record_type_name, short_moment
from app.ui.icons import icon

_KIND_ICONS = {"email": "mail", "appointment": "calendar", "task": "tasks"}


class RecordView(QWidget):
    record_opened = Signal(object)  # RecordKey, from a timeline entry's regarding record

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title.setFont(font)
        self.kind = QLabel()
        self.kind.setEnabled(False)
        layout.addWidget(self.title)
        layout.addWidget(self.kind)
        self._fields = QFormLayout()
        self._fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        fields = QWidget()
        fields.setLayout(self._fields)
        layout.addWidget(fields)
        timeline_title = QLabel(self.tr("Activities"))
        timeline_title.setFont(font)
        layout.addWidget(timeline_title)
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setHeaderLabels([self.tr("When"), self.tr("Activity"), self.tr("Regarding")])
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.timeline.itemActivated.connect(self._activated)
        layout.addWidget(self.timeline, 1)
        self.details: RecordDetails | None = None
        self.show_record(None)

    def show_record(self, details: RecordDetails | None) -> None:
        self.details = details
        while self._fields.rowCount():
            self._fields.removeRow(0)
        self.timeline.clear()
        if details is None:
            self.title.setText(self.tr("No record selected"))
            self.kind.clear()
            return
        self.title.setText(details.summary.name or self.tr("(no name)"))
        kind = record_type_name(details.summary.key.type)
        self.kind.setText(kind if details.active else self.tr("%1 (inactive)").replace("%1", kind))
        if details.emails:
            self._add_field(self.tr("Email"), ", ".join(details.emails))
        labels = self._field_labels()
        for key, value in details.fields:
            self._add_field(labels.get(key, key), value)
        if details.owner:
            self._add_field(self.tr("Owner"), details.owner)
        for entry in details.timeline:
            what = entry.subject or self.tr("(no subject)")
            if entry.kind == "email" and not entry.tracked:
                what = self.tr("%1 (untracked)").replace("%1", what)
            if entry.status:
                what = f"{what} · {entry.status}"
            item = QTreeWidgetItem(
                [
                    short_moment(entry.when),
                    what,
                    entry.regarding.name if entry.regarding else "",
                ]
            )
            item.setIcon(1, icon(_KIND_ICONS.get(entry.kind, "mail")))
            if entry.regarding is not None:
                item.setIcon(2, icon(RECORD_ICONS[entry.regarding.key.type]))
                item.setData(2, Qt.ItemDataRole.UserRole, entry.regarding.key)
            self.timeline.addTopLevelItem(item)
        if not details.timeline:
            empty = QTreeWidgetItem(["", self.tr("No activities yet"), ""])
            empty.setDisabled(True)
            self.timeline.addTopLevelItem(empty)
        self.timeline.resizeColumnToContents(0)

    def _add_field(self, label: str, value: str) -> None:
        text = QLabel(escape(value))
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setWordWrap(True)
        self._fields.addRow(label, text)

    def _field_labels(self) -> dict[str, str]:
        return {
            "website": self.tr("Website"),
            "phone": self.tr("Phone"),
            "city": self.tr("City"),
            "country": self.tr("Country"),
            "first_name": self.tr("First name"),
            "last_name": self.tr("Last name"),
            "job_title": self.tr("Job title"),
            "company": self.tr("Company"),
            "topic": self.tr("Topic"),
            "stage": self.tr("Stage"),
            "estimated_value": self.tr("Estimated value"),
            "currency": self.tr("Currency"),
            "close_date": self.tr("Close date"),
            "account": self.tr("Account"),
            "name": self.tr("Name"),
        }

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(2, Qt.ItemDataRole.UserRole)
        if isinstance(key, RecordKey) and (self.details is None or key != self.details.summary.key):
            self.record_opened.emit(key)
