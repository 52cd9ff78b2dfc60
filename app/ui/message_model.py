"""The message list's item model: a sorted id listing from the cache, rows fetched as painted.

In the conversation view the listing comes grouped by conversation and `ConversationRows` says
which message each row shows: a conversation's heading row stands for its newest message, bold
while any of its messages is unread and marked tracked while any is; expanded, its messages
follow, oldest first."""

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
from app.mailbox.views import (
    TRACKED_STATES,
    ConversationListing,
    ListingQuery,
    MessageRow,
    SortKey,
)
from app.tracking.subjects import display_subject
from app.ui.conversation_rows import ConversationRows, Slot
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
        self._conversations: ConversationListing | None = None
        self._layout: ConversationRows | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self.outgoing = False  # the folder holds mail the user wrote: "To" instead of "From"

    @property
    def query(self) -> ListingQuery | None:
        return self._query

    @property
    def grouped(self) -> bool:
        """The list shows conversations."""
        return self._layout is not None

    def set_query(self, query: ListingQuery | None) -> None:
        expanded = self._expanded_items() if query == self._query else []
        self.beginResetModel()
        self._query = query
        self._conversations = self._layout = None
        ids: Sequence[int] = []
        if query is not None and query.conversations:
            self._conversations = self._services.conversation_listing(query)
            self._layout = ConversationRows(self._conversations.sizes)
            ids = self._conversations.ids
        elif query is not None:
            ids = self._services.listing(query)
        self._rows = PagedRows(ids, self._services.rows, _row_id)
        for item_id in expanded:
            position = self._rows.position_of(item_id)
            if self._layout is not None and position is not None:
                self._layout.expand(self._layout.conversation_of(position))
        self.endResetModel()

    def reload(self) -> None:
        """Read the listing again (after a sync or a change), keeping the query and the
        conversations expanded."""
        self.set_query(self._query)

    def _expanded_items(self) -> list[int]:
        """The newest message of each expanded conversation: what names it after a reload."""
        layout = self._layout
        if layout is None:
            return []
        return [self._rows.ids[layout.positions(c)[-1]] for c in layout.expanded()]

    def _slot(self, row: int) -> Slot | None:
        if not 0 <= row < self.rowCount():
            return None
        if self._layout is None:
            return Slot(row, row, False, False)
        return self._layout.slot(row)

    def item_id(self, row: int) -> int | None:
        """The message the row shows (a conversation's heading: its newest)."""
        slot = self._slot(row)
        return self._rows.ids[slot.position] if slot is not None else None

    def item_ids(self, row: int) -> list[int]:
        """The messages a command on the row acts on: a conversation's heading, all of them."""
        slot = self._slot(row)
        if slot is None:
            return []
        if slot.heading and self._layout is not None:
            return [self._rows.ids[p] for p in self._layout.positions(slot.conversation)]
        return [self._rows.ids[slot.position]]

    def row_of(self, item_id: int) -> int | None:
        position = self._rows.position_of(item_id)
        if position is None or self._layout is None:
            return position
        return self._layout.row_of_position(position)

    def is_heading(self, row: int) -> bool:
        slot = self._slot(row)
        return slot is not None and slot.heading

    def is_expanded(self, row: int) -> bool:
        slot = self._slot(row)
        return slot is not None and self._is_expanded(slot.conversation)

    def _is_expanded(self, conversation: int) -> bool:
        return self._layout is not None and self._layout.is_expanded(conversation)

    def set_expanded(self, row: int, expanded: bool) -> bool:
        """Show or hide the messages of the conversation on `row` (its heading or one of its
        messages); False when nothing changed."""
        slot, layout = self._slot(row), self._layout
        if slot is None or layout is None or layout.size(slot.conversation) < 2:
            return False
        if expanded == layout.is_expanded(slot.conversation):
            return False
        heading = layout.row_of(slot.conversation)
        first, last = heading + 1, heading + layout.size(slot.conversation)
        if expanded:
            self.beginInsertRows(QModelIndex(), first, last)
            layout.expand(slot.conversation)
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), first, last)
            layout.collapse(slot.conversation)
            self.endRemoveRows()
        self._changed(heading)
        return True

    def reveal(self, item_id: int) -> None:
        """Expand the conversation holding the message unless its heading shows it already."""
        position = self._rows.position_of(item_id)
        layout = self._layout
        if position is None or layout is None:
            return
        conversation = layout.conversation_of(position)
        if position != layout.positions(conversation)[-1]:
            self.set_expanded(layout.row_of(conversation), True)

    def refresh_item(self, item_id: int) -> None:
        """Show the item's new read, flag or tracking state without resetting the list (and
        its conversation's, whose heading sums up its messages)."""
        position = self._rows.position_of(item_id)
        if position is None:
            return
        self._rows.forget(position)
        if self._layout is not None and self._conversations is not None:
            conversation = self._layout.conversation_of(position)
            positions = self._layout.positions(conversation)
            rows = self._services.rows([self._rows.ids[p] for p in positions])
            self._conversations.unread[conversation] = sum(not r.is_read for r in rows)
            self._conversations.tracked[conversation] = any(
                r.tracking_state in TRACKED_STATES for r in rows
            )
            self._changed(self._layout.row_of(conversation))
        row = self.row_of(item_id)
        if row is not None:
            self._changed(row)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._layout) if self._layout is not None else len(self._rows)

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
        ids = dict.fromkeys(item_id for index in indexes for item_id in self.item_ids(index.row()))
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
        slot = self._slot(index.row())
        row = self._rows.row(slot.position) if slot is not None else None
        if slot is None or row is None:
            return None
        column = index.column()
        if slot.heading:
            row = self._heading(row, slot.conversation)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, slot)
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
        if role == Qt.ItemDataRole.ToolTipRole and column == COLUMN_SENDER and slot.heading:
            return self._conversation_words(slot.conversation)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ItemIdRole:
            return row.id
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COLUMN_TRACKED:
            return self._state_words(row.tracking_state)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COLUMN_FLAG:
            return self._flag_words(row.flag)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COLUMN_SENDER and slot.heading:
            # The arrow means nothing spoken: the name, then what the row is.
            return f"{row.correspondent}, {self._conversation_words(slot.conversation)}"
        return None

    def _heading(self, newest: MessageRow, conversation: int) -> MessageRow:
        """A conversation's heading: its newest message, unread while any message is and
        tracked while any is."""
        listing = self._conversations
        if listing is None:
            return newest
        tracked = bool(listing.tracked[conversation])
        return replace(
            newest,
            is_read=listing.unread[conversation] == 0,
            tracking_state="tracked"
            if tracked and newest.tracking_state not in TRACKED_STATES
            else newest.tracking_state,
        )

    def _display(self, row: MessageRow, column: int, slot: Slot) -> str | None:
        if column == COLUMN_SENDER and slot.heading and self._layout is not None:
            # The count beside the name: a subject column is often too narrow to show it.
            arrow = "▾" if self._is_expanded(slot.conversation) else "▸"
            return f"{arrow} {row.correspondent} ({self._layout.size(slot.conversation)})"
        if column == COLUMN_SENDER and slot.member:
            return f"      {row.correspondent}"
        if column == COLUMN_SENDER:
            return row.correspondent
        if column == COLUMN_SUBJECT and slot.heading:
            # The topic, as Outlook heads a conversation, without RE: and FW:.
            return display_subject(row.subject) or self.tr("(no subject)")
        if column == COLUMN_SUBJECT:
            return row.subject or self.tr("(no subject)")
        if column == COLUMN_RECEIVED:
            return short_moment(row.received_at)
        if column == COLUMN_REGARDING:
            return row.regarding_name or ""
        if column == COLUMN_FOLDER:
            return folder_name(row.folder_name, row.folder_distinguished)
        return None

    def _conversation_words(self, conversation: int) -> str:
        """The heading as a screen reader says it: how many messages, how many unread, open
        or not."""
        listing, layout = self._conversations, self._layout
        if listing is None or layout is None:
            return ""
        words = [self.tr("Conversation of %n message(s)", "", layout.size(conversation))]
        if listing.unread[conversation]:
            words.append(self.tr("%n unread", "", listing.unread[conversation]))
        words.append(
            self.tr("expanded") if self._is_expanded(conversation) else self.tr("collapsed")
        )
        return ", ".join(words)

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
        # Conversations come newest first whatever the column.
        if self._query is None or self._query.conversations or column not in _SORT_BY_COLUMN:
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
