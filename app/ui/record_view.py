"""One CRM record: its fields, its addresses, what can be done with it (edit, delete, qualify),
the timeline of its activities (each opens its item) and its history (who changed what, and
the values a team merge kept aside)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.crm.editing import HistoryEntry
from app.crm.fields import OPEN_LEAD_STATUSES, RECORD_FIELDS, FieldKind
from app.crm.search import RecordDetails, TimelineEntry
from app.tracking.model import RecordType
from app.ui.formatting import (
    RECORD_ICONS,
    local_day,
    local_number,
    record_type_name,
    short_moment,
)
from app.ui.icons import icon
from app.ui.record_words import choice_label, field_label, history_what

_KIND_ICONS = {"email": "mail", "appointment": "calendar", "task": "tasks"}
EDITABLE = frozenset(
    {RecordType.ACCOUNT, RecordType.CONTACT, RecordType.LEAD, RecordType.OPPORTUNITY}
)
EntryRole = Qt.ItemDataRole.UserRole


class RecordView(QWidget):
    record_opened = Signal(object)  # RecordKey, from a timeline entry's regarding record
    activity_opened = Signal(object)  # TimelineEntry: its email, appointment or task
    edit_requested = Signal()
    delete_requested = Signal()
    qualify_requested = Signal()
    disqualify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title.setFont(font)
        self.kind = QLabel()
        self.kind.setEnabled(False)
        layout.addWidget(self.title)
        layout.addWidget(self.kind)
        layout.addLayout(self._make_actions())
        self._fields = QFormLayout()
        self._fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        fields = QWidget()
        fields.setLayout(self._fields)
        layout.addWidget(fields)
        self.tabs = QTabWidget()
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName(self.tr("History"))
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setHeaderLabels([self.tr("When"), self.tr("Activity"), self.tr("Regarding")])
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.timeline.setToolTip(self.tr("Double-click or press Enter to open the item"))
        self.timeline.itemActivated.connect(self._activated)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)
        self.history = QTreeWidget()
        self.history.setObjectName("history")
        self.history.setRootIsDecorated(False)
        self.history.setWordWrap(True)
        self.history.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Change")])
        self.history.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.timeline, icon("mail"), self.tr("Activities"))
        self.tabs.addTab(self.history, icon("sync"), self.tr("History"))
        layout.addWidget(self.tabs, 1)
        self.details: RecordDetails | None = None
        self.show_record(None)

    def _make_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.edit_button = self._button("editRecord", self.tr("Edit"), "compose")
        self.delete_button = self._button("deleteRecord", self.tr("Delete"), "trash")
        self.qualify_button = self._button("qualifyLead", self.tr("Qualify"), "tracked")
        self.disqualify_button = self._button("disqualifyLead", self.tr("Disqualify"), "untrack")
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.qualify_button.clicked.connect(self.qualify_requested)
        self.disqualify_button.clicked.connect(self.disqualify_requested)
        for button in (
            self.edit_button, self.delete_button, self.qualify_button, self.disqualify_button
        ):  # fmt: skip
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _button(self, name: str, text: str, icon_name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setIcon(icon(icon_name))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def show_record(
        self, details: RecordDetails | None, history: list[HistoryEntry] | None = None
    ) -> None:
        self.details = details
        while self._fields.rowCount():
            self._fields.removeRow(0)
        self.timeline.clear()
        self.history.clear()
        self._update_actions()
        if details is None:
            self.title.setText(self.tr("No record selected"))
            self.kind.clear()
            return
        self.title.setText(details.summary.name or self.tr("(no name)"))
        kind = record_type_name(details.summary.key.type)
        self.kind.setText(kind if details.active else self.tr("%1 (inactive)").replace("%1", kind))
        if details.emails:
            self._add_field(self.tr("Email"), ", ".join(details.emails))
        for key, value in details.fields:
            self._add_field(field_label(key), _shown(key, value))
        if details.owner:
            self._add_field(self.tr("Owner"), details.owner)
        self._show_timeline(details.timeline)
        self._show_history(history or [])

    def _update_actions(self) -> None:
        details = self.details
        editable = details is not None and details.summary.key.type in EDITABLE
        status = dict(details.fields).get("status") if details is not None else None
        open_lead = (
            details is not None
            and details.summary.key.type is RecordType.LEAD
            and (status or "new") in OPEN_LEAD_STATUSES
        )
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        is_lead = details is not None and details.summary.key.type is RecordType.LEAD
        self.qualify_button.setVisible(is_lead)
        self.disqualify_button.setVisible(is_lead)
        self.qualify_button.setEnabled(open_lead)
        self.disqualify_button.setEnabled(open_lead)

    def _show_timeline(self, timeline: tuple[TimelineEntry, ...]) -> None:
        for entry in timeline:
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
            item.setData(0, EntryRole, entry)
            if entry.regarding is not None:
                item.setIcon(2, icon(RECORD_ICONS[entry.regarding.key.type]))
            self.timeline.addTopLevelItem(item)
        if not timeline:
            empty = QTreeWidgetItem(["", self.tr("No activities yet"), ""])
            empty.setDisabled(True)
            self.timeline.addTopLevelItem(empty)
        self.timeline.resizeColumnToContents(0)

    def _show_history(self, history: list[HistoryEntry]) -> None:
        for entry in history:
            item = QTreeWidgetItem(
                [short_moment(entry.at), entry.who or self.tr("(unknown)"), history_what(entry)]
            )
            item.setToolTip(2, history_what(entry))
            self.history.addTopLevelItem(item)
        if not history:
            empty = QTreeWidgetItem(["", "", self.tr("No changes recorded yet")])
            empty.setDisabled(True)
            self.history.addTopLevelItem(empty)
        self.history.resizeColumnToContents(0)
        self.history.resizeColumnToContents(1)

    def _add_field(self, label: str, value: str) -> None:
        text = QLabel(escape(value))
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setWordWrap(True)
        self._fields.addRow(label, text)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry = item.data(0, EntryRole)
        if isinstance(entry, TimelineEntry):
            self.activity_opened.emit(entry)

    def _timeline_menu(self, position: QPoint) -> None:
        item = self.timeline.itemAt(position)
        entry = item.data(0, EntryRole) if item is not None else None
        if not isinstance(entry, TimelineEntry):
            return
        menu = QMenu(self)
        menu.addAction(icon(_KIND_ICONS.get(entry.kind, "mail")), self.tr("Open"),
                       lambda: self.activity_opened.emit(entry))  # fmt: skip
        regarding = entry.regarding
        if regarding is not None and (
            self.details is None or regarding.key != self.details.summary.key
        ):
            menu.addAction(
                icon(RECORD_ICONS[regarding.key.type]),
                self.tr("Open %1").replace("%1", regarding.name),
                lambda: self.record_opened.emit(regarding.key),
            )
        menu.exec(self.timeline.viewport().mapToGlobal(position))


# Every record type's field kinds by field name (a name means one kind on every type).
FIELD_KINDS = {spec.name: spec.kind for specs in RECORD_FIELDS.values() for spec in specs}


def _shown(key: str, value: str) -> str:
    if key in ("status", "stage"):
        return choice_label(value)
    if key == "probability":
        return f"{value} %"
    kind = FIELD_KINDS.get(key)
    if kind is FieldKind.MONEY:
        return local_number(value)
    if kind is FieldKind.DATE:
        return local_day(value)
    return value
