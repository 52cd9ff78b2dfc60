"""The status bar: online or offline, last sync, changes waiting, and progress while syncing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from app.sync.progress import SyncProgress
from app.sync.status import SyncState, SyncStatus
from app.ui.formatting import short_moment
from app.ui.icons import icon

_STATE_ICONS = {
    SyncState.ONLINE: "online",
    SyncState.SYNCING: "sync",
    SyncState.OFFLINE: "offline",
    SyncState.NEEDS_ATTENTION: "attention",
    SyncState.NOT_CONFIGURED: "offline",
    SyncState.CONNECTING: "sync",
}


class SyncStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.state_icon = QLabel()
        self.state = QLabel()
        self.state.setObjectName("connectionState")
        self.last_sync = QLabel()
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.addWidget(self.state_icon)
        self.addWidget(self.state)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.last_sync)
        self.status: SyncStatus | None = None

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self.state_icon.setPixmap(icon(_STATE_ICONS[status.state]).pixmap(14, 14))
        pending = self._pending_words(status)
        words = self.state_words(status)
        # "Offline, 3 changes waiting": one phrase says both what is wrong and what is safe.
        self.state.setText(f"{words}, {pending}" if pending else words)
        self.state.setToolTip(status.message or "")
        self.last_sync.setText(
            self.tr("Last sync %1").replace("%1", short_moment(status.last_sync))
            if status.last_sync
            else self.tr("Never synced")
        )
        if status.state is not SyncState.SYNCING:
            self.progress.hide()

    def show_progress(self, progress: SyncProgress) -> None:
        self.progress.show()
        current = progress.current
        total = current.total if current is not None else 0
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(current.done if current else 0, total))
        else:
            self.progress.setRange(0, 0)  # busy: the total is not known yet
        self.progress.setFormat(f"{progress.folder}  %v/%m" if total else progress.folder or "")

    def state_words(self, status: SyncStatus) -> str:
        words = {
            SyncState.ONLINE: self.tr("Online"),
            SyncState.SYNCING: self.tr("Syncing…"),
            SyncState.OFFLINE: self.tr("Offline"),
            SyncState.NEEDS_ATTENTION: self.tr("Needs your attention"),
            SyncState.NOT_CONFIGURED: self.tr("No mail account"),
            SyncState.CONNECTING: self.tr("Connecting…"),
        }
        return words[status.state]

    def _pending_words(self, status: SyncStatus) -> str:
        if not status.pending_changes:
            return ""
        if status.state is SyncState.OFFLINE:
            return self.tr("%n change(s) waiting", "", status.pending_changes)
        return self.tr("%n change(s) to send", "", status.pending_changes)
