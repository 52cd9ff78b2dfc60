"""A damaged or lost database, as the window says it: which file, what SQLite found, and the way
out: a backup to put back (chosen from the list, with its date), starting the file afresh when
no backup will do, or quitting. The dialog only asks; app.ui.launch does what was chosen."""

from __future__ import annotations

import enum

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.database_care import Backup, DamagedDatabase, DatabaseProblem
from app.ui.dialog_parts import keep_content_whole
from app.ui.formatting import file_size, long_moment


class Choice(enum.Enum):
    RESTORE = "restore"
    START_AFRESH = "start-afresh"
    QUIT = "quit"


class DatabaseProblemDialog(QDialog):
    def __init__(
        self, problem: DatabaseProblem, backups: list[Backup], parent: QWidget | None = None
    ) -> None:
        """`backups`: those of the database in trouble, newest first."""
        super().__init__(parent)
        self.setObjectName("databaseProblemDialog")
        self.setWindowTitle(self.tr("Liaison: a database needs mending"))
        self.choice = Choice.QUIT
        self.backups = backups
        self.message = QLabel(self._describe(problem))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel(
            self.tr(
                "Choose a backup to put back. What changed after it was made is lost; the "
                "file it replaces is kept in the backups folder."
            )
            if backups
            else self.tr(
                "There is no backup of it. You can start it afresh, empty: what it held is "
                "lost. The file itself is kept in the backups folder."
            )
        )
        self.advice.setWordWrap(True)
        self.backup_list = QListWidget(self)
        self.backup_list.setObjectName("backupList")
        for backup in backups:
            item = QListWidgetItem(self._label(backup))
            item.setData(Qt.ItemDataRole.UserRole, backup.name)
            self.backup_list.addItem(item)
        self.backup_list.setVisible(bool(backups))
        if backups:
            self.backup_list.setCurrentRow(0)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("Restore from backup"))
        self.afresh_button = QPushButton(self.tr("Start afresh…"))
        self.quit_button = QPushButton(self.tr("Quit"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.afresh_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setVisible(bool(backups))
        self.restore_button.setDefault(bool(backups))
        self.restore_button.clicked.connect(self._restore)
        self.afresh_button.clicked.connect(self._start_afresh)
        self.quit_button.clicked.connect(self.reject)
        self.backup_list.itemSelectionChanged.connect(self._selection_changed)
        self.backup_list.itemDoubleClicked.connect(lambda _item: self._restore())

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.advice)
        if backups:
            layout.addWidget(self.backup_list, 1)
        else:
            layout.addStretch(1)  # the texts stay together at the top
        layout.addWidget(buttons)
        keep_content_whole(self, 560)

    def chosen_backup(self) -> Backup | None:
        row = self.backup_list.currentRow()
        return self.backups[row] if self.choice is Choice.RESTORE and row >= 0 else None

    def _describe(self, problem: DatabaseProblem) -> str:
        if isinstance(problem, DamagedDatabase):
            return (
                self.tr(
                    "The database %1 is damaged (SQLite says: %2). Liaison cannot open your "
                    "profile until it is mended."
                )
                .replace("%1", str(problem.path))
                .replace("%2", problem.reason)
            )
        return (
            self.tr(
                "The database %1 is missing or empty, though this profile made it on %2. "
                "Liaison does not start it afresh on its own, or what it held would be lost "
                "without a word."
            )
            .replace("%1", str(problem.path))
            .replace("%2", _day(problem.made_on))
        )

    def _label(self, backup: Backup) -> str:
        size = _size(backup)
        label = self.tr("%1 (schema %2, %3)") if size is not None else self.tr("%1 (schema %2)")
        return (
            label.replace("%1", long_moment(backup.taken_at))
            .replace("%2", backup.revision)
            .replace("%3", file_size(size))
        )

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.backup_list.currentRow() >= 0)

    def _restore(self) -> None:
        if self.backup_list.currentRow() < 0:
            return
        self.choice = Choice.RESTORE
        self.accept()

    def _start_afresh(self) -> None:
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            self.tr(
                "Start the database afresh, empty? What it held is lost (the file is kept in "
                "the backups folder)."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.choice = Choice.START_AFRESH
            self.accept()


def _day(iso_date: str) -> str:
    """YYYY-MM-DD as the user's locale writes a date."""
    day = QDate.fromString(iso_date, Qt.DateFormat.ISODate)
    return QLocale().toString(day, QLocale.FormatType.ShortFormat) if day.isValid() else iso_date


def _size(backup: Backup) -> int | None:
    try:
        return backup.path.stat().st_size
    except OSError:
        return None
