"""The CRM lists of the navigation: a searchable list of one record type beside the record."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordKey
from app.tracking.model import RecordType
from app.ui.icons import icon
from app.ui.ports import CrmService
from app.ui.record_model import COLUMN_NAME, RecordListModel
from app.ui.record_view import RecordView

SEARCH_DELAY_MS = 250


class RecordsPage(QSplitter):
    def __init__(self, services: CrmService, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._services = services
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("recordSearch")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText(self.tr("Search names and addresses"))
        layout.addWidget(self.search)
        self.model = RecordListModel(services, self)
        self.list = QTableView()
        self.list.setObjectName("recordList")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setShowGrid(False)
        self.list.setAlternatingRowColors(True)
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.list.horizontalHeader().setSectionResizeMode(
            COLUMN_NAME, QHeaderView.ResizeMode.Stretch
        )
        layout.addWidget(self.list, 1)
        self.addWidget(left)
        self.view = RecordView()
        self.addWidget(self.view)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _: self._show_row(current.row())
        )
        self.view.record_opened.connect(self.open_record)

    def show_type(self, record_type: RecordType) -> None:
        if self.model.record_type is record_type:
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.show(record_type)
        self._select_first()

    def open_record(self, key: RecordKey) -> None:
        """Show one record (from the CRM pane or a timeline), whatever list is open."""
        self.view.show_record(self._services.record(key))

    def reload(self) -> None:
        self.model.show(self.model.record_type, self.search.text())

    def _apply_search(self) -> None:
        self.model.show(self.model.record_type, self.search.text())
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.list.selectRow(0)
        else:
            self.view.show_record(None)

    def _show_row(self, row: int) -> None:
        key = self.model.key(row)
        self.view.show_record(self._services.record(key) if key is not None else None)
