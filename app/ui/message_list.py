"""The message list with its search box: a virtual table over the cache.

The search looks in the open folder or, as Outlook's scope beside the box offers, in every mail
folder; the scope stays as chosen while the window is open, and a search across folders shows
each message's folder. In the conversation view a conversation is one row until expanded (Right,
or a click on its arrow; Left or the arrow again closes it), and a command on that row acts on
all of its messages, as in Outlook."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.mailbox.views import ListingQuery, SortKey
from app.ui.icons import icon
from app.ui.message_model import (
    COLUMN_FLAG,
    COLUMN_FOLDER,
    COLUMN_RECEIVED,
    COLUMN_REGARDING,
    COLUMN_SENDER,
    COLUMN_SUBJECT,
    COLUMN_TRACKED,
    COLUMNS,
    MessageListModel,
    sort_column,
)
from app.ui.ports import MailService

SEARCH_DELAY_MS = 250
CURRENT_FOLDER, ALL_FOLDERS = "folder", "all"
ARROW_MARGIN = 8  # the cell's own padding before a conversation's arrow
SUBJECT_MIN_WIDTH = 120
FOLDER_PAGE = 500  # messages whose folder one query reads


class MessageList(QWidget):
    item_selected = Signal(object)  # int item id, or None
    item_activated = Signal(int)  # double-clicked or Enter: a draft opens in compose
    menu_requested = Signal(object)  # QPoint on the screen

    def __init__(self, services: MailService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setObjectName("messageSearch")
        self.search.setAccessibleName(self.tr("Search messages"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        # A button, not a combo: a narrow list (1024 pixels, Polish) keeps its room for the
        # box, whose placeholder says where it looks.
        self.scope = QToolButton()
        self.scope.setObjectName("searchScope")
        self.scope.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        scopes = QActionGroup(self)
        self.scope_actions: dict[str, QAction] = {}
        for scope, text, icon_name in (
            (CURRENT_FOLDER, self.tr("Current folder"), "folder"),
            (ALL_FOLDERS, self.tr("All folders"), "inbox"),
        ):
            action = QAction(icon(icon_name), text, scopes)
            action.setCheckable(True)
            self.scope_actions[scope] = action
        self.scope_actions[CURRENT_FOLDER].setChecked(True)
        self.scope.addActions(scopes.actions())
        self._show_scope()
        search_row = QHBoxLayout()
        search_row.setSpacing(4)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.scope)
        layout.addLayout(search_row)
        self.model = MessageListModel(services, self)
        self.view = QTableView()
        self.view.setObjectName("messageList")
        self.view.setAccessibleName(self.tr("Messages"))
        self.view.setModel(self.model)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Messages are dragged onto a folder of the navigation to move them (Ctrl: copy).
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.activated.connect(self._activated)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.view.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100 000 rows to lay them out.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMN_TRACKED, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMN_TRACKED, 28)
        header.setSectionResizeMode(COLUMN_SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COLUMN_SENDER, 140)
        header.resizeSection(COLUMN_RECEIVED, 80)
        header.resizeSection(COLUMN_REGARDING, 110)
        header.setSectionResizeMode(COLUMN_FLAG, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMN_FLAG, 28)
        # Beside the subject, so a narrow list scrolled to its start still shows where a
        # result is.
        header.moveSection(
            header.visualIndex(COLUMN_FOLDER), header.visualIndex(COLUMN_SUBJECT) + 1
        )
        header.resizeSection(COLUMN_FOLDER, 90)
        self.view.setColumnHidden(COLUMN_FOLDER, True)
        header.setSortIndicator(COLUMN_RECEIVED, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.view, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        scopes.triggered.connect(self._scope_chosen)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._kept_item: int | None = None
        self._folder_id: int | None = None
        self._outgoing = False
        self._conversations = False
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)

    def show_folder(self, folder_id: int | None, outgoing: bool = False) -> None:
        """`outgoing`: the folder holds mail the user wrote (Sent Items, Drafts, Outbox), so the
        list says whom it went to."""
        self._folder_id, self._outgoing = folder_id, outgoing
        if folder_id is None:
            self.model.outgoing = outgoing
            self.model.set_query(None)
            self._selection_changed()
            return
        current = self.model.query
        sort, descending = SortKey.RECEIVED, True
        if current is not None:
            sort, descending = current.sort, current.descending
        self._set_query(
            self._searched(
                ListingQuery(folder_id, sort, descending, conversations=self._conversations)
            )
        )
        self.view.horizontalHeader().setSortIndicator(
            sort_column(sort),
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
        )
        self._select_first_if_none()

    def reload(self) -> None:
        """Read the listing again; the selected message stays selected if it is still there
        (an empty list that gains mail selects the newest, as opening the folder would)."""
        self.model.reload()
        self._select_first_if_none()

    def refresh_item(self, item_id: int) -> None:
        self.model.refresh_item(item_id)

    def selected_item(self) -> int | None:
        """The message the reading pane shows: the current row if selected, else the first."""
        selection = self.view.selectionModel()
        rows = selection.selectedRows()
        if not rows:
            return None
        current = self.view.currentIndex()
        row = (
            current.row() if current.isValid() and selection.isRowSelected(current.row()) else None
        )
        return self.model.item_id(row if row is not None else rows[0].row())

    def selected_folders(self) -> set[int]:
        """The folders the selected messages are in: the open folder's, unless a search looks
        in every folder (then read for each message, a page at a time)."""
        selected = self.selected_items()
        query = self.model.query
        if not selected or query is None:
            return set()
        if query.folder_id is not None:
            return {query.folder_id}
        return {
            row.folder_id
            for start in range(0, len(selected), FOLDER_PAGE)
            for row in self._services.rows(selected[start : start + FOLDER_PAGE])
        }

    def answered_item(self) -> int | None:
        """The message a reply or forward answers: the one selected row's (a conversation's
        row: its newest message); None unless exactly one row is selected."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.item_id(rows[0].row()) if len(rows) == 1 else None

    def selected_items(self) -> list[int]:
        """Every selected message, in the list's order (a conversation's row: its messages)."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return list(dict.fromkeys(item_id for row in rows for item_id in self.model.item_ids(row)))

    def show_conversations(self, on: bool) -> None:
        """Group the list by conversation, newest first (sorting by a column is for the flat
        list alone), or list messages one by one again."""
        self._conversations = on
        self.view.setSortingEnabled(not on)
        query = self.model.query
        if query is not None and query.conversations != on:
            self._set_query(replace(query, conversations=on))
            self._select_first_if_none()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent):
            return self._conversation_key(event)
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_subject()
        if (
            watched is self.view.viewport()
            and isinstance(event, QMouseEvent)
            and event.type() == QEvent.Type.MouseButtonPress
        ):
            return self._arrow_clicked(event)
        return super().eventFilter(watched, event)

    def _fit_subject(self) -> None:
        """The subject takes the room the other columns leave, but never less than enough to
        read it: a narrow list (1024 pixels, or a Folder column beside) scrolls sideways
        instead of cutting every subject to a few letters."""
        header = self.view.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(COLUMNS)
            if column != COLUMN_SUBJECT and not header.isSectionHidden(column)
        )
        roomy = self.view.viewport().width() - others >= SUBJECT_MIN_WIDTH
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(COLUMN_SUBJECT) != mode:
            header.setSectionResizeMode(COLUMN_SUBJECT, mode)
            if not roomy:
                header.resizeSection(COLUMN_SUBJECT, SUBJECT_MIN_WIDTH)

    def _conversation_key(self, event: QKeyEvent) -> bool:
        """Right opens the current conversation, Left closes it (from any of its rows)."""
        if event.type() != QEvent.Type.KeyPress or not self.model.grouped:
            return False
        expand = {Qt.Key.Key_Right: True, Qt.Key.Key_Left: False}.get(Qt.Key(event.key()))
        row = self.view.currentIndex().row()
        if expand is None or row < 0:
            return False
        item_id = self.model.item_id(row)
        if self.model.set_expanded(row, expand) and not expand and item_id is not None:
            heading = self.model.row_of(item_id)  # closed: the conversation's own row
            if heading is not None:
                self._select_row(heading)
        return True

    def _arrow_clicked(self, event: QMouseEvent) -> bool:
        index = self.view.indexAt(event.position().toPoint())
        if not index.isValid() or index.column() != COLUMN_SENDER:
            return False
        if not self.model.is_heading(index.row()):
            return False
        inside = event.position().x() - self.view.columnViewportPosition(COLUMN_SENDER)
        if inside > self.fontMetrics().horizontalAdvance("▸ ") + ARROW_MARGIN:
            return False
        self.model.set_expanded(index.row(), not self.model.is_expanded(index.row()))
        return False  # the click also selects the conversation

    def _menu(self, position: QPoint) -> None:
        if self.selected_items():
            self.menu_requested.emit(self.view.viewport().mapToGlobal(position))

    def _activated(self, index: QModelIndex) -> None:
        item_id = self.model.item_id(index.row())
        if item_id is not None:
            self.item_activated.emit(item_id)

    def select_item(self, item_id: int) -> bool:
        self.model.reveal(item_id)
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        """Select one row alone, whatever modifier keys are held (selectRow would extend or
        toggle the selection with Ctrl or Shift down), scrolled into view. Only up or down: a
        list narrower than its columns stays at the columns the user looks at (the From column
        and a conversation's arrow, at first)."""
        index = self.model.index(row, COLUMN_TRACKED)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        sideways = self.view.horizontalScrollBar().value()
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)
        self.view.horizontalScrollBar().setValue(sideways)

    def searches_all_folders(self) -> bool:
        return self.scope_actions[ALL_FOLDERS].isChecked()

    def _scope_chosen(self) -> None:
        self._show_scope()
        self._apply_search()

    def _show_scope(self) -> None:
        across = self.searches_all_folders()
        chosen = self.scope_actions[ALL_FOLDERS if across else CURRENT_FOLDER]
        self.scope.setIcon(chosen.icon())
        words = self.tr("Search in: %1").replace("%1", chosen.text())
        self.scope.setToolTip(words)
        self.scope.setAccessibleName(words)
        self.search.setPlaceholderText(
            self.tr("Search all folders (Ctrl+E)")
            if across
            else self.tr("Search this folder (Ctrl+E)")
        )

    def _searched(self, query: ListingQuery) -> ListingQuery:
        """The query with the box's text, over every mail folder when the scope says so and
        there is something to search for (an empty box lists the open folder)."""
        text = self.search.text()
        across = bool(text.strip()) and self.searches_all_folders()
        return replace(query, folder_id=None if across else self._folder_id, search=text)

    def _set_query(self, query: ListingQuery) -> None:
        across = query.folder_id is None
        # Across folders each row says its own way (sender, or recipients of sent mail).
        self.model.outgoing = self._outgoing and not across
        self.model.set_query(query)
        self.view.setColumnHidden(COLUMN_FOLDER, not across)
        self._fit_subject()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        query = self.model.query
        if query is None:
            return
        searched = self._searched(query)
        if searched == query:
            return
        self._set_query(searched)
        self._select_first_if_none()

    def _select_first_if_none(self) -> None:
        if self.selected_item() is None and self.model.rowCount():
            self._select_row(0)

    def _remember_selection(self) -> None:
        self._kept_item = self.selected_item()

    def _restore_selection(self) -> None:
        row = self.model.row_of(self._kept_item) if self._kept_item is not None else None
        if row is None:
            self._selection_changed()
            return
        # Selecting the row emits the selection itself: the window reads the message once.
        self._select_row(row)

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        self.item_selected.emit(self.selected_item())

    def current_index(self) -> QModelIndex:
        return self.view.currentIndex()
