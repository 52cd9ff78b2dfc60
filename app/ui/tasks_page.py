"""The Tasks place: open tasks by due date, then the completed, with tracked state and regarding."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.mailbox.views import TaskItem
from app.ui.formatting import TRACKING_STATE_ICONS, short_moment
from app.ui.icons import icon

TaskRole = Qt.ItemDataRole.UserRole + 1


class TasksPage(QWidget):
    task_activated = Signal(object)  # TaskItem (edit)
    new_task_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tasksPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        controls = QHBoxLayout()
        controls.addStretch(1)
        self.new_button = QPushButton(icon("new"), self.tr("New task"))
        controls.addWidget(self.new_button)
        layout.addLayout(controls)
        self.list = QTreeWidget()
        self.list.setObjectName("taskList")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            ["", self.tr("Task"), self.tr("Due"), self.tr("Status"), self.tr("Regarding")]
        )
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 30)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 110), (3, 170), (4, 240)):
            header.resizeSection(column, width)
        layout.addWidget(self.list, 1)
        self.new_button.clicked.connect(self.new_task_requested)
        self.list.itemActivated.connect(
            lambda item, _column: self.task_activated.emit(item.data(1, TaskRole))
        )

    def show_tasks(self, tasks: list[TaskItem]) -> None:
        self.list.clear()
        statuses = self.status_names()
        for task in tasks:
            status = statuses.get(task.status, task.status)
            if task.status == "InProgress" and task.percent_complete:
                status = f"{status} ({task.percent_complete}%)"
            item = QTreeWidgetItem(
                ["", task.subject, short_moment(task.due), status, task.regarding_name or ""]
            )
            state_icon = TRACKING_STATE_ICONS.get(task.tracking_state)
            if state_icon:
                item.setIcon(0, icon(state_icon))
            item.setIcon(1, icon("tasks"))
            item.setData(1, TaskRole, task)
            if task.status == "Completed":
                font = item.font(1)
                font.setStrikeOut(True)
                item.setFont(1, font)
            self.list.addTopLevelItem(item)

    def status_names(self) -> dict[str, str]:
        return {
            "NotStarted": self.tr("Not started"),
            "InProgress": self.tr("In progress"),
            "WaitingOnOthers": self.tr("Waiting on others"),
            "Deferred": self.tr("Deferred"),
            "Completed": self.tr("Completed"),
        }
