"""The navigation tree: mail folders with unread counts, Calendar, Tasks, and the CRM lists."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.mailbox.views import FolderKind, FolderSummary
from app.tracking.model import RecordType
from app.ui.background import NEXT_TURN_MS
from app.ui.formatting import RECORD_ICONS
from app.ui.formatting import folder_name as worded_folder_name
from app.ui.icons import icon
from app.ui.message_model import MESSAGE_IDS_MIME

_FOLDER_ICONS = {
    "inbox": "inbox",
    "sentitems": "sent",
    "drafts": "drafts",
    "deleteditems": "trash",
    "junkemail": "junk",
}
PlaceRole = Qt.ItemDataRole.UserRole + 1
# Folders Exchange keeps for Outlook's own bookkeeping; nobody files mail there. The cache
# names only the folders sync needs, so the English display names count too.
HIDDEN_FOLDERS = frozenset({"syncissues", "conversationhistory"})
HIDDEN_FOLDER_NAMES = frozenset({"Sync Issues", "Conversation History"})


@dataclass(frozen=True, slots=True)
class Place:
    """Where the user is: a mail folder, the calendar, the tasks, or a CRM list."""

    kind: str  # folder | calendar | tasks | records
    folder_id: int | None = None
    record_type: RecordType | None = None


CALENDAR = Place("calendar")
TASKS = Place("tasks")


class NavigationTree(QTreeView):
    place_chosen = Signal(object)  # Place
    folder_menu_requested = Signal(object, object)  # FolderSummary, QPoint on the screen
    messages_dropped = Signal(object, int, bool)  # message ids, folder id, copy (not move)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setAccessibleName(self.tr("Folders and lists"))
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._folder_menu)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self._folders: list[FolderSummary] = []
        self._rebuilding = False

    def show_folders(self, folders: list[FolderSummary], open_later: bool = False) -> None:
        """Rebuild the tree, keeping the current place selected; `place_chosen` is emitted only if
        that changes the place (the first folders to arrive open the Inbox). `open_later`: on the
        next turn of the event loop, as after a sync: the tree and the page it opens each take
        tens of milliseconds, together they would hold the window up."""
        current = self.current_place()
        # Clearing and refilling moves the current index through other places (Tasks, a CRM
        # list…); each would be opened and read from the store for nothing.
        self._rebuilding = True
        try:
            self._fill(folders, current)
        finally:
            self._rebuilding = False
        chosen = self.current_place()
        if chosen is not None and chosen != current:
            if open_later:
                QTimer.singleShot(NEXT_TURN_MS, self, lambda: self._open(chosen))
            else:
                self.place_chosen.emit(chosen)

    def _open(self, place: Place) -> None:
        if self.current_place() == place:  # unless the user has gone elsewhere meanwhile
            self.place_chosen.emit(place)

    def _fill(self, folders: list[FolderSummary], current: Place | None) -> None:
        self._folders = folders
        self._model.clear()
        root = self._model.invisibleRootItem()
        mail = self._group(self.tr("Mail"), "mail")
        root.appendRow(mail)
        items: dict[int, QStandardItem] = {}
        mail_folders = visible_mail_folders(folders)
        for folder in mail_folders:
            items[folder.id] = self._folder_item(folder)
        for folder in mail_folders:
            parent = items.get(folder.parent_id or -1, mail)
            parent.appendRow(items[folder.id])
        root.appendRow(self._place_item(self.tr("Calendar"), "calendar", CALENDAR))
        root.appendRow(self._place_item(self.tr("Tasks"), "tasks", TASKS))
        crm = self._group(self.tr("CRM"), "crm")
        root.appendRow(crm)
        labels = {
            RecordType.ACCOUNT: self.tr("Accounts"),
            RecordType.CONTACT: self.tr("Contacts"),
            RecordType.LEAD: self.tr("Leads"),
            RecordType.OPPORTUNITY: self.tr("Opportunities"),
        }
        for record_type, label in labels.items():
            crm.appendRow(
                self._place_item(
                    label, RECORD_ICONS[record_type], Place("records", record_type=record_type)
                )
            )
        self.expandAll()
        if current is not None and self.select_place(current):
            return
        inbox = next((folder for folder in folders if folder.distinguished == "inbox"), None)
        if inbox is not None:
            self.select_place(Place("folder", folder_id=inbox.id))

    def update_counts(self, folders: list[FolderSummary]) -> None:
        """New unread counts without rebuilding the tree (after a sync)."""
        by_id = {folder.id: folder for folder in folders}
        if set(by_id) != {folder.id for folder in self._folders}:
            self.show_folders(folders, open_later=True)
            return
        self._folders = folders
        for item in self._items():
            place = item.data(PlaceRole)
            if isinstance(place, Place) and place.folder_id in by_id:
                self._label(item, by_id[place.folder_id])

    def current_place(self) -> Place | None:
        place = self.currentIndex().data(PlaceRole)
        return place if isinstance(place, Place) else None

    def select_place(self, place: Place) -> bool:
        for item in self._items():
            if item.data(PlaceRole) == place:
                self.setCurrentIndex(item.index())
                return True
        return False

    def folder(self, folder_id: int) -> FolderSummary | None:
        return next((folder for folder in self._folders if folder.id == folder_id), None)

    def _items(self) -> list[QStandardItem]:
        found: list[QStandardItem] = []
        pending = [self._model.invisibleRootItem()]
        while pending:
            parent = pending.pop()
            for row in range(parent.rowCount()):
                child = parent.child(row)
                found.append(child)
                pending.append(child)
        return found

    def _group(self, label: str, icon_name: str) -> QStandardItem:
        item = QStandardItem(icon(icon_name), label)
        item.setSelectable(False)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        return item

    def _place_item(self, label: str, icon_name: str, place: Place) -> QStandardItem:
        item = QStandardItem(icon(icon_name), label)
        item.setData(place, PlaceRole)
        return item

    def _folder_item(self, folder: FolderSummary) -> QStandardItem:
        item = QStandardItem(icon(_FOLDER_ICONS.get(folder.distinguished or "", "folder")), "")
        item.setData(Place("folder", folder_id=folder.id), PlaceRole)
        self._label(item, folder)
        return item

    def _label(self, item: QStandardItem, folder: FolderSummary) -> None:
        name = folder_name(folder)
        item.setText(f"{name}  ({folder.unread})" if folder.unread else name)
        font = QFont(item.font())
        font.setBold(folder.unread > 0)
        item.setFont(font)
        tip = self.tr("%n unread", "", folder.unread) if folder.unread else name
        if folder.mapped_record_type is not None:
            # A folder that tracks its mail shows the tracked mark and says regarding what.
            item.setIcon(icon("tracked"))
            tracks = self.tr("Tracks its mail regarding %1").replace(
                "%1", folder.mapped_record_name or ""
            )
            tip = f"{tip}\n{tracks}"
        else:
            item.setIcon(icon(_FOLDER_ICONS.get(folder.distinguished or "", "folder")))
        item.setToolTip(tip)

    def _folder_menu(self, position: QPoint) -> None:
        place = self.indexAt(position).data(PlaceRole)
        folder = (
            self.folder(place.folder_id) if isinstance(place, Place) and place.folder_id else None
        )
        if folder is not None:
            self.folder_menu_requested.emit(folder, self.viewport().mapToGlobal(position))

    # Messages dropped on a folder: moved there (copied with Ctrl held, as in Outlook).

    def _drop_folder(self, event: QDropEvent) -> int | None:
        if not event.mimeData().hasFormat(MESSAGE_IDS_MIME):
            return None
        place = self.indexAt(event.position().toPoint()).data(PlaceRole)
        if isinstance(place, Place) and place.kind == "folder":
            return place.folder_id
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MESSAGE_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._drop_folder(event) is not None:
            event.setDropAction(_drop_action(event))
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        folder_id = self._drop_folder(event)
        if folder_id is None:
            event.ignore()
            return
        data = bytes(event.mimeData().data(MESSAGE_IDS_MIME).data()).decode()
        ids = [int(part) for part in data.split() if part.isdigit()]
        action = _drop_action(event)
        event.setDropAction(action)
        event.accept()
        if ids:
            self.messages_dropped.emit(ids, folder_id, action == Qt.DropAction.CopyAction)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        place = current.data(PlaceRole)
        if isinstance(place, Place) and not self._rebuilding:
            self.place_chosen.emit(place)


def folder_name(folder: FolderSummary) -> str:
    """A folder as the window names it: well-known ones in the window's language."""
    return worded_folder_name(folder.name, folder.distinguished)


def folder_icon(folder: FolderSummary) -> str:
    return _FOLDER_ICONS.get(folder.distinguished or "", "folder")


def _drop_action(event: QDropEvent) -> Qt.DropAction:
    copy = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    return Qt.DropAction.CopyAction if copy else Qt.DropAction.MoveAction


def visible_mail_folders(folders: list[FolderSummary]) -> list[FolderSummary]:
    """Mail folders, without the hidden ones and anything below them."""
    hidden = {
        folder.id
        for folder in folders
        if folder.distinguished in HIDDEN_FOLDERS
        or (folder.distinguished is None and folder.name in HIDDEN_FOLDER_NAMES)
    }
    by_id = {folder.id: folder for folder in folders}

    def under_hidden(folder: FolderSummary) -> bool:
        seen: set[int] = set()
        current: FolderSummary | None = folder
        while current is not None and current.id not in seen:
            if current.id in hidden:
                return True
            seen.add(current.id)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        return False

    return [f for f in folders if f.kind is FolderKind.MAIL and not under_hidden(f)]
