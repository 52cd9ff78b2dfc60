"""A CRM list (accounts, contacts, leads or opportunities) as a virtual table: ids by name, rows
fetched page by page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.crm.search import RecordKey, RecordRow
from app.tracking.model import RecordType
from app.ui.formatting import RECORD_ICONS
from app.ui.icons import icon
from app.ui.paging import PagedRows
from app.ui.ports import CrmService

COLUMN_NAME, COLUMN_EMAIL, COLUMN_DETAIL = range(3)
AnyIndex = QModelIndex | QPersistentModelIndex


class RecordListModel(QAbstractTableModel):
    def __init__(self, services: CrmService, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self.record_type: RecordType | None = None
        self.search = ""
        self._rows: PagedRows[RecordRow] = PagedRows([], lambda _ids: [], _row_id)

    def show(self, record_type: RecordType | None, search: str = "") -> None:
        self.beginResetModel()
        self.record_type, self.search = record_type, search
        if record_type is None:
            self._rows = PagedRows([], lambda _ids: [], _row_id)
        else:
            ids = self._services.record_listing(record_type, search)
            self._rows = PagedRows(
                ids, lambda page: self._services.record_rows(record_type, page), _row_id
            )
        self.endResetModel()

    def key(self, row: int) -> RecordKey | None:
        if self.record_type is None or not 0 <= row < len(self._rows):
            return None
        return RecordKey(self.record_type, self._rows.ids[row])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        detail = {
            RecordType.ACCOUNT: self.tr("Place"),
            RecordType.CONTACT: self.tr("Account"),
            RecordType.LEAD: self.tr("Company"),
            RecordType.OPPORTUNITY: self.tr("Account"),
        }
        return {
            COLUMN_NAME: self.tr("Name"),
            COLUMN_EMAIL: self.tr("Email"),
            COLUMN_DETAIL: detail.get(self.record_type, "") if self.record_type else "",
        }.get(section)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows.row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.email, row.detail)[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COLUMN_NAME:
            return icon(RECORD_ICONS[row.key.type])
        return None


def _row_id(row: RecordRow) -> int:
    return row.key.id
