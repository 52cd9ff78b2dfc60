"""The message list's item model: a sorted id listing from the cache, rows fetched as painted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from app.mailbox.remote import FlagStatus
from app.mailbox.views import ListingQuery, MessageRow, SortKey
from app.ui.formatting import TRACKING_STATE_ICONS, folder_name, long_moment, short_moment
from app.ui.icons import icon
from app.ui.paging import PagedRows
from app.ui.ports import MailService

ItemIdRole = Qt.ItemDataRole.UserRole + 1

(
    COLUMN_TRACKED,
    COLUMN_SENDER,
    COLUMN_SUBJECT,
    COLUMN_RECEIVED,
    COLUMN_REGARDING,
    COLUMN_FLAG,
    COLUMN_FOLDER,
) = range(7)
COLUMNS = 7
# What a drag of messages carries: their ids, one per line (dropped on a folder: moved there).
MESSAGE_IDS_MIME = "application/x-liaison-message-ids"
_FLAG_ICONS = {FlagStatus.FLAGGED: "flag", FlagStatus.COMPLETE: "complete"}
_SORT_BY_COLUMN = {
    COLUMN_TRACKED: SortKey.TRACKED,
    COLUMN_SENDER: SortKey.SENDER,
    COLUMN_SUBJECT: SortKey.SUBJECT,
    COLUMN_RECEIVED: SortKey.RECEIVED,
    COLUMN_REGARDING: SortKey.REGARDING,
}

AnyIndex = QModelIndex | QPersistentModelIndex


class MessageListModel(QAbstractTableModel):
    def __init__(self, services: MailService, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._query: ListingQuery | None = None
        self._rows: PagedRows[MessageRow] = PagedRows([], services.rows, _row_id)
        self._bold = QFont()
        self._bold.setBold(True)
        self.outgoing = False  # the folder holds mail the user wrote: "To" instead of "From"

    @property
    def query(self) -> ListingQuery | None:
        return self._query

    def set_query(self, query: ListingQuery | None) -> None:
        self.beginResetModel()
        self._query = query
        ids = self._services.listing(query) if query is not None else []
        self._rows = PagedRows(ids, self._services.rows, _row_id)
        self.endResetModel()

    def reload(self) -> None:
        """Read the listing again (after a sync or a change), keeping the query."""
        self.set_query(self._query)

    def item_id(self, row: int) -> int | None:
        if 0 <= row < len(self._rows):
            return self._rows.ids[row]
        return None

    def row_of(self, item_id: int) -> int | None:
        return self._rows.position_of(item_id)

    def refresh_item(self, item_id: int) -> None:
        """Show the item's new tracking state or regarding without resetting the list."""
        row = self.row_of(item_id)
        if row is None:
            return
        self._rows.forget(row)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        default = super().flags(index)
        return default | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else default

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MESSAGE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = dict.fromkeys(
            item_id for index in indexes if (item_id := self.item_id(index.row())) is not None
        )
        data = QMimeData()
        data.setData(MESSAGE_IDS_MIME, QByteArray("\n".join(map(str, ids)).encode()))
        return data

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                COLUMN_TRACKED: "",
                COLUMN_SENDER: self.tr("To") if self.outgoing else self.tr("From"),
                COLUMN_SUBJECT: self.tr("Subject"),
                COLUMN_RECEIVED: self.tr("Received"),
                COLUMN_REGARDING: self.tr("Regarding"),
                COLUMN_FOLDER: self.tr("Folder"),
            }.get(section)
        if role == Qt.ItemDataRole.DecorationRole and section == COLUMN_TRACKED:
            return icon("track")
        if role == Qt.ItemDataRole.DecorationRole and section == COLUMN_FLAG:
            return icon("flag")
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_TRACKED:
            return self.tr("Tracked in the CRM")
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_FLAG:
            return self.tr("Follow-up flag")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_TRACKED:
            name = TRACKING_STATE_ICONS.get(row.tracking_state)
            return icon(name) if name else None
        if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_FLAG:
            flag = _FLAG_ICONS.get(row.flag)
            return icon(flag) if flag else None
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == COLUMN_SUBJECT
            and row.has_attachments
        ):
            return icon("attachment")
        if role == Qt.ItemDataRole.FontRole and not row.is_read:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ItemIdRole:
            return row.id
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COLUMN_TRACKED:
            return self._state_words(row.tracking_state)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COLUMN_FLAG:
            return self._flag_words(row.flag)
        return None

    def _display(self, row: MessageRow, column: int) -> str | None:
        if column == COLUMN_SENDER:
            return row.correspondent
        if column == COLUMN_SUBJECT:
            return row.subject or self.tr("(no subject)")
        if column == COLUMN_RECEIVED:
            return short_moment(row.received_at)
        if column == COLUMN_REGARDING:
            return row.regarding_name or ""
        if column == COLUMN_FOLDER:
            return folder_name(row.folder_name, row.folder_distinguished)
        return None

    def _tooltip(self, row: MessageRow, column: int) -> str | None:
        if column == COLUMN_TRACKED:
            return self._state_words(row.tracking_state)
        if column == COLUMN_FLAG:
            return self._flag_words(row.flag)
        if column == COLUMN_SENDER and row.outgoing:
            return "; ".join(f"{a.name} <{a.email}>" if a.name else a.email for a in row.recipients)
        if column == COLUMN_SENDER:
            return (
                f"{row.sender_name} <{row.sender_email}>" if row.sender_name else row.sender_email
            )
        if column == COLUMN_RECEIVED:
            return long_moment(row.received_at)
        if column == COLUMN_SUBJECT:
            return row.subject
        return None

    def _state_words(self, state: str) -> str:
        return {
            "tracked": self.tr("Tracked"),
            "pending": self.tr("Tracked, waiting to be marked on the server"),
            "failed": self.tr("Could not be tracked; see the CRM pane"),
        }.get(state, self.tr("Not tracked"))

    def _flag_words(self, flag: FlagStatus) -> str:
        return {
            FlagStatus.FLAGGED: self.tr("Flagged for follow-up"),
            FlagStatus.COMPLETE: self.tr("Flag completed"),
        }.get(flag, self.tr("Not flagged"))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._query is None or column not in _SORT_BY_COLUMN:
            return
        self.set_query(
            replace(
                self._query,
                sort=_SORT_BY_COLUMN[column],
                descending=order == Qt.SortOrder.DescendingOrder,
            )
        )


def _row_id(row: MessageRow) -> int:
    return row.id


def sort_column(sort: SortKey) -> int:
    return next(column for column, key in _SORT_BY_COLUMN.items() if key is sort)
