"""Tools > Sync history…: each sync (when, how long, how it ended, what it did) and, for the
one selected, its conflicts (both values, which one the rule kept, and "Use the other value"),
its failures (the item and the reason) and its notes. The history is read off the window's
thread: it can hold many syncs and their log lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sync.conflicts import Side
from app.sync.history import Conflict, LoggedEvent, SyncRunRecord
from app.ui.background import Background
from app.ui.errors import user_message
from app.ui.formatting import long_moment, to_local
from app.ui.icons import icon
from app.ui.ports import SyncHistoryService

HISTORY_LIMIT = 200
DataRole = Qt.ItemDataRole.UserRole + 1
_OUTCOME_ICONS = {
    "ok": "online",
    "cancelled": "cancel",
    "offline": "offline",
    "needs-attention": "attention",
}
_TIMES = ("start", "end", "due", "completed_at")


class SyncHistoryDialog(QDialog):
    value_used = Signal()  # a conflict was reversed: a sync carries the value to Exchange
    shown = Signal()  # the history as last read is on screen

    def __init__(self, services: SyncHistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncHistoryDialog")
        self.setWindowTitle(self.tr("Sync history"))
        self._services = services
        self._background = Background(self)
        self._runs: list[SyncRunRecord] = []

        self.problems_only = QCheckBox(self.tr("Only syncs with conflicts or failures"))
        self.refresh_button = QPushButton(icon("sync"), self.tr("Refresh"))
        self.state = QLabel()
        self.state.setObjectName("historyState")
        self.runs = _tree(
            "syncRuns",
            self.tr("Sync runs"),
            [
                self.tr("When"),
                self.tr("Took"),
                self.tr("Outcome"),
                self.tr("Pulled"),
                self.tr("Tracked"),
                self.tr("Marks"),
                self.tr("Sent"),
                self.tr("Calendar"),
                self.tr("Conflicts"),
                self.tr("Given up"),
            ],
        )
        tips = (
            self.tr("When the sync started"),
            self.tr("How long it took"),
            self.tr("How it ended"),
            self.tr("Changes pulled from and pushed to Exchange"),
            self.tr("Messages tracked"),
            self.tr("Tracking marks written on Exchange"),
            self.tr("Messages sent"),
            self.tr("Appointments and tasks changed"),
            self.tr("Fields both sides changed"),
            self.tr("Changes given up after repeated failures"),
        )
        for column, tip in enumerate(tips):
            self.runs.headerItem().setToolTip(column, tip)
        header = self.runs.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

        self.summary = QLabel()
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)
        self.conflicts = _tree(
            "runConflicts",
            self.tr("Conflicts"),
            [
                self.tr("Item"),
                self.tr("Field"),
                self.tr("CRM value"),
                self.tr("Exchange value"),
                self.tr("Kept"),
            ],
        )
        self.failures = _tree(
            "runFailures",
            self.tr("Failures"),
            [self.tr("Time"), self.tr("Item"), self.tr("Reason")],
        )
        self.notes = _tree(
            "runNotes",
            self.tr("Notes"),
            [self.tr("Time"), self.tr("Item"), self.tr("What happened")],
        )
        for tree in (self.conflicts, self.failures, self.notes):
            tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            tree.header().setStretchLastSection(True)
        for column, width in ((0, 220), (1, 110), (2, 170), (3, 170)):
            self.conflicts.setColumnWidth(column, width)
        for tree in (self.failures, self.notes):
            tree.setColumnWidth(0, 80)
            tree.setColumnWidth(1, 230)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.conflicts, icon("attention"), "")
        self.tabs.addTab(self.failures, icon("failed"), "")
        self.tabs.addTab(self.notes, icon("sync"), "")

        self.use_other = QPushButton(self.tr("Use the other value"))
        self.use_other.setObjectName("useOtherValue")
        self.use_other.setToolTip(
            self.tr(
                "Use the value the conflict rule did not keep; the next sync carries it to Exchange"
            )
        )
        self.use_other.setEnabled(False)
        self.outcome = QLabel()
        self.outcome.setObjectName("historyOutcome")
        self.outcome.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.problems_only)
        top.addStretch(1)
        top.addWidget(self.state)
        top.addWidget(self.refresh_button)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.summary)
        details_layout.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.runs)
        split.addWidget(details)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.use_other)
        bottom.addWidget(self.outcome, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(980, 640)

        self.problems_only.toggled.connect(lambda _on: self._show_runs())
        self.refresh_button.clicked.connect(self.reload)
        self.runs.currentItemChanged.connect(lambda current, _previous: self._show_run(current))
        self.conflicts.currentItemChanged.connect(lambda _c, _p: self._update_use_other())
        self.use_other.clicked.connect(self._use_other_value)
        self._show_run(None)

    # Reading

    def reload(self) -> None:
        """Read the history again, off the window's thread."""
        self.state.setText(self.tr("Reading the sync history…"))
        self.refresh_button.setEnabled(False)
        self._background.run(
            lambda: self._services.sync_history(HISTORY_LIMIT), self._loaded, self._failed
        )

    def _loaded(self, runs: list[SyncRunRecord]) -> None:
        self._runs = runs
        self.refresh_button.setEnabled(True)
        self.state.setText(
            self.tr("No sync has run yet.")
            if not runs
            else self.tr("The newest %n sync(s)", "", len(runs))
        )
        self._show_runs()
        self.shown.emit()

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.state.setText(
            self.tr("The sync history cannot be read: %1").replace("%1", user_message(error))
        )

    # Showing

    def _show_runs(self) -> None:
        selected = self._selected_run()
        chosen = selected.id if selected is not None else None
        self.runs.clear()
        locale = QLocale()
        outcomes = self._outcomes()
        for run in self._runs:
            if self.problems_only.isChecked() and not (run.conflicts or run.failures):
                continue
            counts = run.counts
            item = QTreeWidgetItem(
                [
                    locale.toString(to_local(run.started_at), QLocale.FormatType.ShortFormat),
                    self._duration(run.seconds),
                    outcomes.get(run.outcome, run.outcome),
                    *(
                        str(number)
                        for number in (
                            counts.pulled,
                            counts.tracked,
                            counts.marks_written,
                            counts.sent,
                            counts.appointments_and_tasks,
                            counts.conflicts,
                            counts.given_up,
                        )
                    ),
                ]
            )
            item.setIcon(2, icon(_OUTCOME_ICONS.get(run.outcome, "attention")))
            for column in range(3, 10):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setData(0, DataRole, run)
            self.runs.addTopLevelItem(item)
            if run.id == chosen or (chosen is None and self.runs.topLevelItemCount() == 1):
                self.runs.setCurrentItem(item)
        if self.runs.currentItem() is None and self.runs.topLevelItemCount():
            self.runs.setCurrentItem(self.runs.topLevelItem(0))
        self._show_run(self.runs.currentItem())

    def _duration(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("%1 s").replace("%1", QLocale().toString(seconds, "f", 1))
        minutes, rest = divmod(round(seconds), 60)
        return self.tr("%1 min %2 s").replace("%1", str(minutes)).replace("%2", str(rest))

    def _selected_run(self) -> SyncRunRecord | None:
        current = self.runs.currentItem()
        return current.data(0, DataRole) if current is not None else None

    def _show_run(self, item: QTreeWidgetItem | None) -> None:
        run: SyncRunRecord | None = item.data(0, DataRole) if item is not None else None
        for tree in (self.conflicts, self.failures, self.notes):
            tree.clear()
        self.summary.setText(self._summary(run))
        conflicts = run.conflicts if run is not None else ()
        failures = run.failures if run is not None else ()
        notes = run.notes if run is not None else ()
        for conflict in conflicts:
            self.conflicts.addTopLevelItem(self._conflict_row(conflict))
        for event in failures:
            self.failures.addTopLevelItem(self._event_row(event))
        for event in notes:
            self.notes.addTopLevelItem(self._event_row(event))
        self.tabs.setTabText(0, self.tr("Conflicts (%1)").replace("%1", str(len(conflicts))))
        self.tabs.setTabText(1, self.tr("Failures (%1)").replace("%1", str(len(failures))))
        self.tabs.setTabText(2, self.tr("Notes (%1)").replace("%1", str(len(notes))))
        if not conflicts:
            self.tabs.setCurrentIndex(1 if failures else 2 if notes else 0)
        else:
            self.tabs.setCurrentIndex(0)
            self.conflicts.setCurrentItem(self.conflicts.topLevelItem(0))
        self._update_use_other()

    def _summary(self, run: SyncRunRecord | None) -> str:
        if run is None:
            return self.tr("Choose a sync to see what it did.")
        text = f"{long_moment(run.started_at)} · {self._outcomes().get(run.outcome, run.outcome)}"
        # Why it stopped, in the server's or the system's words; a finished sync needs none.
        return text if run.outcome in ("ok", "cancelled") else f"{text}: {run.message}"

    def _outcomes(self) -> dict[str, str]:
        return {
            "ok": self.tr("Done"),
            "cancelled": self.tr("Cancelled"),
            "offline": self.tr("Offline"),
            "needs-attention": self.tr("Needs attention"),
        }

    def _conflict_row(self, conflict: Conflict) -> QTreeWidgetItem:
        sides = {Side.CRM: self.tr("CRM"), Side.EXCHANGE: self.tr("Exchange")}
        other = Side.EXCHANGE if conflict.kept is Side.CRM else Side.CRM
        kept = (
            self.tr("%1 (by hand)").replace("%1", sides[other])
            if conflict.reversed_at is not None
            else sides[conflict.kept]
        )
        row = QTreeWidgetItem(
            [
                conflict.subject,
                self._field_name(conflict.field),
                self._value(conflict.field, conflict.crm_value),
                self._value(conflict.field, conflict.exchange_value),
                kept,
            ]
        )
        row.setIcon(0, icon("tasks" if conflict.kind == "task" else "calendar"))
        winner = 2 if conflict.kept is Side.CRM else 3
        if conflict.reversed_at is not None:
            winner = 5 - winner
        font = row.font(winner)
        font.setBold(True)
        row.setFont(winner, font)
        row.setToolTip(
            4,
            self.tr("The other value was used by hand on %1").replace(
                "%1", long_moment(conflict.reversed_at)
            )
            if conflict.reversed_at is not None
            else self.tr("The conflict rule kept this side's value"),
        )
        row.setData(0, DataRole, conflict)
        return row

    def _event_row(self, event: LoggedEvent) -> QTreeWidgetItem:
        time = QLocale().toString(to_local(event.at).time(), QLocale.FormatType.ShortFormat)
        row = QTreeWidgetItem([time, event.item, self._event_text(event)])
        row.setToolTip(2, event.message)
        row.setData(0, DataRole, event)
        return row

    def _event_text(self, event: LoggedEvent) -> str:
        """The event in the window's language where Liaison knows its kind; otherwise the
        first line of what sync logged (a server's reason, in the server's words; the whole
        of it is the row's tooltip)."""
        details = event.details
        if event.kind == "unlinked":
            reason, exchange = details.get("reason"), details.get("exchange")
            texts = {
                ("deleted-in-exchange", None): self.tr(
                    "Deleted on Exchange; the CRM activity stays, no longer linked, and is not "
                    "put back on Exchange."
                ),
                ("category-removed", None): self.tr(
                    "The tracking category was taken off on Exchange; the CRM activity stays, "
                    "no longer linked."
                ),
                ("deleted-in-crm", "deleted"): self.tr("Deleted in the CRM, and on Exchange too."),
                ("deleted-in-crm", "kept"): self.tr(
                    "Deleted in the CRM; the Exchange item stays, no longer tracked."
                ),
                ("deleted-in-crm", None): self.tr("Deleted in the CRM before it reached Exchange."),
            }
            return texts.get((reason, exchange), event.message)
        if event.kind == "conflict-reversed":
            field = str(details.get("field") or "")
            return (
                self.tr("The other value of %1 is used by hand: %2")
                .replace("%1", self._field_name(field))
                .replace("%2", self._value(field, details.get("value")))
            )
        if event.kind == "resync":
            return self.tr(
                "Exchange no longer knew where sync had got to in this folder; it was read again "
                "from the start, and nothing cached was deleted."
            )
        if event.kind == "mark-skipped":
            return self.tr(
                "The message left the mailbox before its mark was written; its activity stays "
                "in the CRM."
            )
        return event.message.splitlines()[0] if event.message else ""

    def _field_name(self, field: str) -> str:
        names = {
            "subject": self.tr("Subject"),
            "start": self.tr("Start"),
            "end": self.tr("End"),
            "is_all_day": self.tr("All day"),
            "location": self.tr("Location"),
            "body": self.tr("Notes"),
            "recurrence": self.tr("Recurrence"),
            "due": self.tr("Due"),
            "completed_at": self.tr("Completed on"),
            "status": self.tr("Status"),
            "percent_complete": self.tr("% complete"),
            "priority": self.tr("Priority"),
        }
        return names.get(field, field)

    def _value(self, field: str, value: Any) -> str:
        if value is None or value == "":
            return self.tr("(empty)")
        if field in _TIMES and isinstance(value, str):
            return long_moment(datetime.fromisoformat(value))
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if field == "recurrence":
            return self.tr("a recurring series")
        if field == "percent_complete":
            return f"{value}%"
        words = {
            "NotStarted": self.tr("Not started"),
            "InProgress": self.tr("In progress"),
            "WaitingOnOthers": self.tr("Waiting on others"),
            "Deferred": self.tr("Deferred"),
            "Completed": self.tr("Completed"),
            "Low": self.tr("Low"),
            "Normal": self.tr("Normal"),
            "High": self.tr("High"),
        }
        return words.get(str(value), str(value)) if field in ("status", "priority") else str(value)

    # Reversing a conflict

    def selected_conflict(self) -> Conflict | None:
        current = self.conflicts.currentItem()
        return current.data(0, DataRole) if current is not None else None

    def _update_use_other(self) -> None:
        conflict = self.selected_conflict()
        self.use_other.setEnabled(
            conflict is not None and conflict.reversed_at is None and not self._background.is_busy()
        )

    def _use_other_value(self) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        self.use_other.setEnabled(False)
        self._background.run(
            lambda: self._services.use_other_value(conflict.id, conflict.field),
            self._value_used,
            self._not_used,
        )

    def _value_used(self, conflict: Conflict) -> None:
        self.outcome.setText(
            self.tr("“%1” takes the other value of %2; the next sync carries it to Exchange.")
            .replace("%1", conflict.subject)
            .replace("%2", self._field_name(conflict.field))
        )
        self.value_used.emit()
        self.reload()

    def _not_used(self, error: BaseException) -> None:
        self.outcome.setText(user_message(error))
        self._update_use_other()


def _tree(name: str, spoken: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setAccessibleName(spoken)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setHeaderLabels(headers)
    return tree
