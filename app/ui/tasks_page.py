"""The Tasks place: open tasks by due date, then the completed, with tracked state and regarding.
A task is completed by its checkbox; the list is filtered (all, open, overdue, done) and sorted
by any column."""

from __future__ import annotations

import enum
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.mailbox.views import TaskItem, is_overdue
from app.ui.formatting import PROBLEM_COLOUR, TRACKING_STATE_ICONS, due_day
from app.ui.icons import icon

TaskRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
SUBJECT, DUE, STATUS, PRIORITY, REGARDING = 1, 2, 3, 4, 5
_PRIORITY_ORDER = {"High": 0, "Normal": 1, "Low": 2}


class TaskFilter(enum.Enum):
    ALL = "all"
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


def shows(task: TaskItem, chosen: TaskFilter, today: date) -> bool:
    done = task.status == "Completed"
    if chosen is TaskFilter.OPEN:
        return not done
    if chosen is TaskFilter.OVERDUE:
        return is_overdue(task, today)
    if chosen is TaskFilter.DONE:
        return done
    return True


class _TaskRow(QTreeWidgetItem):
    """Sorted by what a column means (a date, a priority), not by its text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else SUBJECT
        mine, theirs = self.data(column, SortRole), other.data(column, SortRole)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return bool(mine < theirs)


class TasksPage(QWidget):
    task_activated = Signal(object)  # TaskItem (edit)
    task_completed = Signal(object, bool)  # TaskItem, ticked
    new_task_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tasksPage")
        self._tasks: list[TaskItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Show:")))
        self.filter = QComboBox()
        self.filter.setObjectName("taskFilter")
        for value, text in (
            (TaskFilter.ALL, self.tr("All tasks")),
            (TaskFilter.OPEN, self.tr("Open")),
            (TaskFilter.OVERDUE, self.tr("Overdue")),
            (TaskFilter.DONE, self.tr("Completed")),
        ):
            self.filter.addItem(text, value)
        controls.addWidget(self.filter)
        controls.addStretch(1)
        self.new_button = QPushButton(icon("new"), self.tr("New task"))
        controls.addWidget(self.new_button)
        layout.addLayout(controls)
        self.list = QTreeWidget()
        self.list.setObjectName("taskList")
        self.list.setAccessibleName(self.tr("Tasks"))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [
                "",
                self.tr("Task"),
                self.tr("Due"),
                self.tr("Status"),
                self.tr("Priority"),
                self.tr("Regarding"),
            ]
        )
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 30)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DUE, 100), (STATUS, 150), (PRIORITY, 70), (REGARDING, 200)):
            header.resizeSection(column, width)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.list, 1)
        self.new_button.clicked.connect(self.new_task_requested)
        self.filter.currentIndexChanged.connect(lambda _index: self._fill())
        self.list.itemActivated.connect(
            lambda item, _column: self.task_activated.emit(item.data(SUBJECT, TaskRole))
        )
        self.list.itemChanged.connect(self._ticked)

    def show_tasks(self, tasks: list[TaskItem]) -> None:
        self._tasks = tasks
        self._fill()

    def set_filter(self, chosen: TaskFilter) -> None:
        self.filter.setCurrentIndex(self.filter.findData(chosen))

    def shown_tasks(self) -> list[TaskItem]:
        """The tasks in the list, in the order shown."""
        return [
            self.list.topLevelItem(row).data(SUBJECT, TaskRole)
            for row in range(self.list.topLevelItemCount())
        ]

    def _fill(self) -> None:
        self.list.blockSignals(True)
        self.list.setSortingEnabled(False)
        self.list.clear()
        statuses = self.status_names()
        priorities = self.priority_names()
        chosen = self.filter.currentData() or TaskFilter.ALL
        today = date.today()
        for position, task in enumerate(self._tasks):
            if not shows(task, chosen, today):
                continue
            status = statuses.get(task.status, task.status)
            if task.status == "InProgress" and task.percent_complete:
                status = f"{status} ({task.percent_complete}%)"
            item = _TaskRow(
                [
                    "",
                    task.subject,
                    due_day(task.due, today),
                    status,
                    priorities.get(task.priority, task.priority),
                    task.regarding_name or "",
                ]
            )
            state_icon = TRACKING_STATE_ICONS.get(task.tracking_state)
            if state_icon:
                item.setIcon(0, icon(state_icon))
            item.setData(SUBJECT, TaskRole, task)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            done = task.status == "Completed"
            item.setCheckState(SUBJECT, Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
            item.setToolTip(SUBJECT, self.tr("Tick to mark it completed"))
            self._sort_keys(item, task, position)
            if done:
                self._show_done(item)
            elif is_overdue(task, today):
                self._show_overdue(item)
            self.list.addTopLevelItem(item)
        self.list.setSortingEnabled(True)
        self.list.blockSignals(False)

    def _show_done(self, item: QTreeWidgetItem) -> None:
        """Struck through and greyed, so done reads apart from open at a glance."""
        font = item.font(SUBJECT)
        font.setStrikeOut(True)
        item.setFont(SUBJECT, font)
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for column in range(self.list.columnCount()):
            item.setForeground(column, grey)
        item.setToolTip(SUBJECT, self.tr("Completed: untick to open it again"))

    def _show_overdue(self, item: QTreeWidgetItem) -> None:
        """The due day in bold red with a warning sign: the task is late."""
        font = item.font(DUE)
        font.setBold(True)
        item.setFont(DUE, font)
        item.setForeground(DUE, QColor(PROBLEM_COLOUR))
        item.setIcon(DUE, icon("attention"))
        item.setToolTip(DUE, self.tr("Overdue"))

    @staticmethod
    def _sort_keys(item: QTreeWidgetItem, task: TaskItem, position: int) -> None:
        """Each column's order; ties keep the order the tasks came in (open first, by due)."""
        due = task.due.timestamp() if task.due is not None else float("inf")
        item.setData(SUBJECT, SortRole, (task.subject.casefold(), position))
        item.setData(DUE, SortRole, (task.status == "Completed", due, position))
        item.setData(STATUS, SortRole, (task.status, task.percent_complete, position))
        item.setData(PRIORITY, SortRole, (_PRIORITY_ORDER.get(task.priority, 1), position))
        item.setData(REGARDING, SortRole, ((task.regarding_name or "").casefold(), position))

    def _ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != SUBJECT:
            return
        task: TaskItem = item.data(SUBJECT, TaskRole)
        done = item.checkState(SUBJECT) == Qt.CheckState.Checked
        if done != (task.status == "Completed"):
            self.task_completed.emit(task, done)

    def status_names(self) -> dict[str, str]:
        return {
            "NotStarted": self.tr("Not started"),
            "InProgress": self.tr("In progress"),
            "WaitingOnOthers": self.tr("Waiting on others"),
            "Deferred": self.tr("Deferred"),
            "Completed": self.tr("Completed"),
        }

    def priority_names(self) -> dict[str, str]:
        return {"Low": self.tr("Low"), "Normal": self.tr("Normal"), "High": self.tr("High")}
