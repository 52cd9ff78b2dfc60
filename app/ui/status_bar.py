"""The status bar: one of five states in words (offline, connecting, syncing "Inbox 120/450",
up to date, needs attention), the last sync, changes waiting, and progress while syncing.

The state sits among the permanent widgets, so a passing message ("Saved…") never hides it.
Its tool tip explains the state in words; what the engine said (often an exception's text)
goes to the log, where a bug report finds it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from app.sync.progress import Phase, SyncProgress
from app.sync.status import SyncState, SyncStatus
from app.ui.formatting import INTERNAL_FOLDER_NAMES, folder_name, short_moment
from app.ui.icons import icon

log = logging.getLogger(__name__)

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
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.addPermanentWidget(self.state_icon)
        self.addPermanentWidget(self.state)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.last_sync)
        self.status: SyncStatus | None = None
        self._syncing: SyncProgress | None = None  # while a sync reports progress
        self._logged: str | None = None

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        if status.state is not SyncState.SYNCING:
            self._syncing = None
            self.progress.hide()
        if status.message and status.message != self._logged and status.state in _TROUBLE:
            log.warning("sync %s: %s", status.state.value, status.message)
        self._logged = status.message
        self._show_state()
        self.last_sync.setText(
            self.tr("Last sync %1").replace("%1", short_moment(status.last_sync))
            if status.last_sync
            else self.tr("Never synced")
        )

    def show_progress(self, progress: SyncProgress) -> None:
        if progress.phase is Phase.DONE:
            self._syncing = None
            self.progress.hide()
            self._show_state()
            return
        self._syncing = progress
        self.progress.show()
        current = progress.current
        total = current.total if current is not None else 0
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(current.done if current else 0, total))
        else:
            self.progress.setRange(0, 0)  # busy: the total is not known yet
        shown = self._progress_folder(progress)
        self.progress.setFormat(f"{shown}  %v/%m" if total and shown else shown)
        self._show_state()

    def shown_state(self) -> SyncState | None:
        """The state the bar shows: syncing whenever a sync is reporting progress."""
        if self._syncing is not None:
            return SyncState.SYNCING
        return self.status.state if self.status is not None else None

    def _show_state(self) -> None:
        state = self.shown_state()
        if state is None:
            return
        self.state_icon.setPixmap(icon(_STATE_ICONS[state]).pixmap(14, 14))
        words = self._state_words(state)
        pending = self._pending_words(state)
        # "Offline, 3 changes waiting": one phrase says both what is wrong and what is safe.
        self.state.setText(f"{words}, {pending}" if pending else words)
        self.state.setToolTip(self._explanation(state))

    def _progress_folder(self, progress: SyncProgress) -> str:
        """The folder being read, in the window's language; Exchange's own bookkeeping
        folders are not named."""
        name = progress.folder or ""
        return "" if name in INTERNAL_FOLDER_NAMES else folder_name(name)

    def _state_words(self, state: SyncState) -> str:
        if state is SyncState.SYNCING and self._syncing is not None:
            current = self._syncing.current
            shown = self._progress_folder(self._syncing)
            if current is not None and current.total and shown:
                return (
                    self.tr("Syncing %1 %2/%3")
                    .replace("%1", shown)
                    .replace("%2", QLocale().toString(min(current.done, current.total)))
                    .replace("%3", QLocale().toString(current.total))
                )
            if shown:
                return self.tr("Syncing %1").replace("%1", shown)
        words = {
            SyncState.ONLINE: self.tr("Up to date"),
            SyncState.SYNCING: self.tr("Syncing…"),
            SyncState.OFFLINE: self.tr("Offline"),
            SyncState.NEEDS_ATTENTION: self.tr("Needs your attention"),
            SyncState.NOT_CONFIGURED: self.tr("No mail account"),
            SyncState.CONNECTING: self.tr("Connecting…"),
        }
        return words[state]

    def _explanation(self, state: SyncState) -> str:
        words = {
            SyncState.ONLINE: self.tr("Mail, calendar and tasks match the server."),
            SyncState.SYNCING: self.tr("Changes are coming in from the server and going out."),
            SyncState.OFFLINE: self.tr(
                "The mail server cannot be reached. You can go on working: your changes wait "
                "here and go out when it can be reached again."
            ),
            SyncState.NEEDS_ATTENTION: self.tr(
                "The server refused the sign-in or access to the mailbox: check the account "
                "(File ▸ Account…). The details are in the log."
            ),
            SyncState.NOT_CONFIGURED: self.tr("Set up a mail account to sync (File ▸ Account…)."),
            SyncState.CONNECTING: self.tr("Reaching the mail server for the first time."),
        }
        return words[state]

    def _pending_words(self, state: SyncState) -> str:
        count = self.status.pending_changes if self.status is not None else 0
        if not count:
            return ""
        if state is SyncState.OFFLINE:
            return self.tr("%n change(s) waiting", "", count)
        return self.tr("%n change(s) to send", "", count)


_TROUBLE = (SyncState.OFFLINE, SyncState.NEEDS_ATTENTION)
