"""The folder tree's context menu: Track this folder regarding…, Stop tracking this folder.

A folder inside the Inbox tracks the mail filed in it regarding a record (app.services.folders);
a folder that cannot (outside the Inbox, or 25 folders track already) says why in words before
the user picks a record in vain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from app.crm.search import RecordHit, RecordKey
from app.mailbox.views import FolderSummary
from app.services.folders import MAX_MAPPED_FOLDERS, Refusal
from app.ui.formatting import record_type_name
from app.ui.icons import icon
from app.ui.regarding_dialog import RegardingDialog


class FolderTrackingPort(Protocol):
    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]: ...
    def folder_refusal(self, folder_id: int) -> Refusal | None: ...
    def track_folder(self, folder_id: int, regarding: RecordKey) -> None: ...
    def stop_tracking_folder(self, folder_id: int) -> None: ...


class FolderTrackingMenu(QObject):
    changed = Signal(str)  # what changed, in words for the status bar

    def __init__(
        self,
        window: QWidget,
        services: FolderTrackingPort,
        report: Callable[[BaseException], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._report = report

    def menu_for(self, folder: FolderSummary) -> QMenu:
        menu = QMenu(self._window)
        menu.setObjectName("folderMenu")
        if folder.mapped_record_type is not None:
            tracks = menu.addAction(icon("tracked"), self.tracks_words(folder))
            tracks.setEnabled(False)
            menu.addSeparator()
        track = menu.addAction(icon("regarding"), self.tr("Track this folder regarding…"))
        track.triggered.connect(lambda: self.track_folder(folder))
        stop = menu.addAction(icon("untrack"), self.tr("Stop tracking this folder"))
        stop.setEnabled(folder.mapped_record_type is not None)
        stop.triggered.connect(lambda: self.stop_tracking(folder))
        return menu

    def show_menu(self, folder: FolderSummary, at: QPoint) -> None:
        self.menu_for(folder).exec(at)

    def tracks_words(self, folder: FolderSummary) -> str:
        record_type = folder.mapped_record_type or ""
        name = folder.mapped_record_name or ""
        return (
            self.tr("Tracks its mail regarding %1 %2")
            .replace("%1", record_type_name(record_type))
            .replace("%2", name)
        )

    def track_folder(self, folder: FolderSummary) -> None:
        why = self._services.folder_refusal(folder.id)
        if why is not None:
            QMessageBox.information(
                self._window, self.tr("Track this folder"), self.refusal_words(why, folder.name)
            )
            return
        dialog = RegardingDialog(self._services.search_records, self._window)
        dialog.setWindowTitle(self.tr("Track “%1” regarding").replace("%1", folder.name))
        if dialog.exec() != RegardingDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        chosen = dialog.chosen
        try:
            self._services.track_folder(folder.id, chosen.key)
        except Exception as exc:
            self._report(exc)
            return
        self.changed.emit(
            self.tr("“%1” tracks its mail regarding %2 from the next sync.")
            .replace("%1", folder.name)
            .replace("%2", chosen.name)
        )

    def stop_tracking(self, folder: FolderSummary) -> None:
        try:
            self._services.stop_tracking_folder(folder.id)
        except Exception as exc:
            self._report(exc)
            return
        self.changed.emit(
            self.tr("“%1” no longer tracks its mail; what it tracked stays tracked.").replace(
                "%1", folder.name
            )
        )

    def refusal_words(self, why: Refusal, folder: str) -> str:
        if why is Refusal.NOT_UNDER_INBOX:
            return self.tr(
                "Only folders inside the Inbox can track their mail, as in Dynamics 365, and "
                "“%1” is not inside the Inbox. Move it into the Inbox first, then track it."
            ).replace("%1", folder)
        return self.tr(
            "At most %1 folders can track their mail, as in Dynamics 365, and that many do "
            "already. Stop tracking one of them first: right-click it, Stop tracking this "
            "folder."
        ).replace("%1", str(MAX_MAPPED_FOLDERS))
