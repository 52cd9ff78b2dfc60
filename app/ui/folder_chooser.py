"""Move to folder / Copy to folder: the mail folders as a tree, one chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.mailbox.views import FolderSummary
from app.ui.dialog_parts import StandardButton, accept_buttons, keep_content_whole
from app.ui.icons import icon
from app.ui.navigation import folder_icon, folder_name, visible_mail_folders

FolderRole = Qt.ItemDataRole.UserRole + 1


class FolderChooser(QDialog):
    def __init__(
        self,
        folders: list[FolderSummary],
        title: str,
        question: str,
        current: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`current`: the folder the messages are in, not offered."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(360, 420)
        keep_content_whole(self)
        self.chosen: int | None = None
        layout = QVBoxLayout(self)
        label = QLabel(question)
        layout.addWidget(label)
        self.tree = QTreeWidget()
        self.tree.setObjectName("folderChooser")
        self.tree.setAccessibleName(question)
        label.setBuddy(self.tree)
        self.tree.setHeaderHidden(True)
        layout.addWidget(self.tree, 1)
        self.buttons = accept_buttons(self, StandardButton.Ok)
        layout.addWidget(self.buttons)
        mail = visible_mail_folders(folders)
        items: dict[int, QTreeWidgetItem] = {}
        for folder in mail:
            item = QTreeWidgetItem([folder_name(folder)])
            item.setIcon(0, icon(folder_icon(folder)))
            item.setData(0, FolderRole, folder.id)
            if folder.id == current:
                # Not disabled: that would disable the folders inside it too.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                item.setForeground(0, self.palette().placeholderText())
            items[folder.id] = item
        for folder in mail:
            parent_item = items.get(folder.parent_id or -1)
            if parent_item is not None:
                parent_item.addChild(items[folder.id])
            else:
                self.tree.addTopLevelItem(items[folder.id])
        self.tree.expandAll()
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.accept())
        self.tree.itemSelectionChanged.connect(self._enable)
        self._enable()

    def choose(self, folder_id: int) -> bool:
        for item in self._items():
            selectable = bool(item.flags() & Qt.ItemFlag.ItemIsSelectable)
            if item.data(0, FolderRole) == folder_id and selectable:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        pending = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while pending:
            item = pending.pop()
            if item is not None:
                found.append(item)
                pending.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _selected(self) -> int | None:
        selected = self.tree.selectedItems()
        if not selected:
            return None
        value = selected[0].data(0, FolderRole)
        return int(value) if value is not None else None

    def _enable(self) -> None:
        ok = self.buttons.button(StandardButton.Ok)
        ok.setEnabled(self._selected() is not None)

    def accept(self) -> None:
        self.chosen = self._selected()
        if self.chosen is not None:
            super().accept()
