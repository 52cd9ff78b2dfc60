"""What the user does to messages in the window: reply, reply all, forward; delete (to Deleted
Items, or for good after a question), move or copy to a folder, flag, read or unread, junk or
not junk; open and save attachments; and reading a message marks it read after a delay, as
Outlook does.

Every change is made through the services, which make it in the cache at once and queue it for
Exchange; the window shows it at once (`listing_changed`, `items_changed`) and syncs soon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.mailbox.attachments import safe_file_name
from app.mailbox.remote import FlagStatus
from app.mailbox.replies import ResponseKind
from app.mailbox.views import FolderSummary
from app.services.compose import EmailDraft
from app.services.settings import DEFAULT_MARK_READ_SECONDS
from app.ui.background import Background
from app.ui.compose_dialog import ComposeDialog
from app.ui.errors import report, run_or_report
from app.ui.folder_chooser import FolderChooser
from app.ui.i18n import shown_language
from app.ui.navigation import folder_name
from app.ui.ports import WindowServices

ActionFactory = Callable[..., QAction]


class MailCommands(QObject):
    listing_changed = Signal(str)  # messages left or joined the list; words for the status bar
    items_changed = Signal(object)  # list of ids whose row changed in place (read, flag)
    said = Signal(str)  # words for the status bar (a message queued, an attachment saved)

    def __init__(
        self,
        window: QWidget,
        services: WindowServices,
        background: Background,
        make_action: ActionFactory,
        selection: Callable[[], list[int]],
        folders: Callable[[], list[FolderSummary]],
        answered: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.background = background
        self._selection = selection
        # The folders the selected messages are in (the open one, unless a search looks in all).
        self._folders = folders
        # The message a reply or forward answers: the one selected row's (a conversation's
        # row, which acts on all its messages otherwise, answers its newest, as Outlook does).
        self._answered = answered
        self.mark_read_seconds: int | None = DEFAULT_MARK_READ_SECONDS
        self._reading: int | None = None
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.timeout.connect(self._mark_shown_read)
        self.open_file: Callable[[Path], None] = _open_with_system_viewer
        self._make_actions(make_action)

    def _make_actions(self, make: ActionFactory) -> None:
        self.reply_action = make(
            self.tr("Reply"),
            "reply",
            lambda: self.respond(ResponseKind.REPLY),
            "Ctrl+R",
            self.tr("Reply to the sender"),
        )
        self.reply_all_action = make(
            self.tr("Reply All"),
            "reply-all",
            lambda: self.respond(ResponseKind.REPLY_ALL),
            "Ctrl+Shift+R",
            self.tr("Reply to the sender and everyone else who received it"),
        )
        self.forward_action = make(
            self.tr("Forward"),
            "forward",
            lambda: self.respond(ResponseKind.FORWARD),
            "Ctrl+F",
            self.tr("Forward the message, with its attachments"),
        )
        self.delete_action = make(
            self.tr("Delete"),
            "trash",
            self.delete,
            QKeySequence.StandardKey.Delete,
            self.tr("Move to Deleted Items"),
        )
        self.delete_for_good_action = make(
            self.tr("Delete for good…"),
            "trash",
            lambda: self.delete(permanently=True),
            "Shift+Del",
            self.tr("Delete without keeping a copy in Deleted Items"),
        )
        self.move_action = make(
            self.tr("Move to folder…"),
            "move",
            self.move,
            "Ctrl+Shift+V",
            self.tr("Move to another folder (or drag the message onto a folder)"),
        )
        self.copy_action = make(
            self.tr("Copy to folder…"),
            "copy",
            self.copy,
            "Ctrl+Shift+Y",
            self.tr("Copy to another folder (or drag with Ctrl held)"),
        )
        self.flag_action = make(
            self.tr("Flag"),
            "flag",
            lambda: self.flag(FlagStatus.FLAGGED),
            "Insert",
            self.tr("Flag for follow-up"),
        )
        self.complete_action = make(
            self.tr("Mark complete"),
            "complete",
            lambda: self.flag(FlagStatus.COMPLETE),
            tip=self.tr("Mark the follow-up flag complete"),
        )
        self.clear_flag_action = make(
            self.tr("Clear flag"), "cancel", lambda: self.flag(FlagStatus.NONE)
        )
        self.read_action = make(
            self.tr("Mark as read"), "read", lambda: self.mark_read(True), "Ctrl+Q"
        )
        self.unread_action = make(
            self.tr("Mark as unread"), "unread", lambda: self.mark_read(False), "Ctrl+U"
        )
        self.junk_action = make(
            self.tr("Junk"),
            "junk",
            self.junk,
            "Ctrl+Alt+J",
            self.tr("Move to Junk Email; the sender's next mail goes there too"),
        )
        self.not_junk_action = make(
            self.tr("Not junk"),
            "inbox",
            self.not_junk,
            tip=self.tr("Move back to the Inbox and trust the sender"),
        )
        self.responses = (self.reply_action, self.reply_all_action, self.forward_action)
        self.changes = (
            self.delete_action,
            self.delete_for_good_action,
            self.move_action,
            self.copy_action,
            self.flag_action,
            self.complete_action,
            self.clear_flag_action,
            self.read_action,
            self.unread_action,
            self.junk_action,
            self.not_junk_action,
        )

    # What can be done now

    def update_enabled(self, on_mail: bool) -> None:
        selected = self._selection() if on_mail else []
        # Where the messages are, not the folder open: a search may look in every folder.
        folders = self._folders() if selected else []
        in_junk = bool(folders) and all(f.distinguished == "junkemail" for f in folders)
        answered = self._answered() if on_mail else None
        for action in self.responses:
            action.setEnabled(answered is not None)
        for action in self.changes:
            action.setEnabled(bool(selected))
        self.junk_action.setEnabled(bool(selected) and not in_junk)
        self.not_junk_action.setEnabled(bool(selected) and in_junk)

    def fill_menu(self, menu: QMenu) -> None:
        """The message menu (menu bar and the list's context menu)."""
        for group in (
            self.responses,
            (self.read_action, self.unread_action),
            (self.flag_action, self.complete_action, self.clear_flag_action),
            (self.move_action, self.copy_action),
            (
                self.delete_action,
                self.delete_for_good_action,
                self.junk_action,
                self.not_junk_action,
            ),
        ):
            if menu.actions():
                menu.addSeparator()
            for action in group:
                menu.addAction(action)

    # Replying and writing

    def respond(self, kind: ResponseKind) -> None:
        item_id = self._answered()
        if item_id is None:
            return
        drafts: list[EmailDraft] = []
        if run_or_report(
            self.window,
            lambda: drafts.append(
                self.services.respond(item_id, kind, "", shown_language(), sign=True)
            ),
        ):
            self.compose(drafts[0])

    def open_draft(self, item_id: int) -> None:
        drafts: list[EmailDraft] = []
        if run_or_report(self.window, lambda: drafts.append(self.services.open_draft(item_id))):
            self.compose(drafts[0])

    def compose(self, draft: EmailDraft) -> ComposeDialog:
        """The compose window on `draft`; what came of it is said when it closes."""
        dialog = ComposeDialog(self.services, draft, self.window)
        outcome = dialog.exec()
        if outcome == ComposeDialog.DialogCode.Accepted and dialog.sent_subject:
            self.listing_changed.emit(
                self.tr("“%1” goes out with the next sync.").replace("%1", dialog.sent_subject)
            )
        elif dialog.saved_draft is not None and dialog.saved_draft != draft.draft_id:
            self.listing_changed.emit(self.tr("Saved in Drafts."))
        return dialog

    # Changing messages

    def delete(self, permanently: bool = False) -> None:
        selected = self._selection()
        if not selected:
            return
        if permanently and not self._sure_for_good(len(selected)):
            return
        self._change(
            lambda: self.services.delete(selected, permanently),
            self.tr("%n message(s) deleted.", "", len(selected)),
        )

    def _sure_for_good(self, count: int) -> bool:
        answer = QMessageBox.question(
            self.window,
            self.tr("Delete for good"),
            self.tr(
                "Delete %n message(s) for good? They do not go to Deleted Items and cannot be "
                "brought back.",
                "",
                count,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def move(self) -> None:
        self._transfer(copy=False)

    def copy(self) -> None:
        self._transfer(copy=True)

    def _transfer(self, copy: bool) -> None:
        selected = self._selection()
        if not selected:
            return
        chooser = FolderChooser(
            self.services.folders(),
            self.tr("Copy to folder") if copy else self.tr("Move to folder"),
            self.tr("Copy the message(s) to:") if copy else self.tr("Move the message(s) to:"),
            self._their_folder(),
            self.window,
        )
        if chooser.exec() == FolderChooser.DialogCode.Accepted and chooser.chosen is not None:
            self.transfer(selected, chooser.chosen, copy)

    def transfer(self, item_ids: Sequence[int], folder_id: int, copy: bool) -> None:
        """Move or copy to a folder (the chooser, or messages dropped on the folder tree)."""
        ids = list(item_ids)
        if not copy and self._their_folder() == folder_id:
            return  # dropped back where they are (a move skips those of several folders that are)
        folder = next((f for f in self.services.folders() if f.id == folder_id), None)
        name = folder_name(folder) if folder is not None else ""
        if copy:
            words = self.tr("%n message(s) copied to %1.", "", len(ids))
            self._change(lambda: self.services.copy(ids, folder_id), words.replace("%1", name))
        else:
            words = self.tr("%n message(s) moved to %1.", "", len(ids))
            self._change(lambda: self.services.move(ids, folder_id), words.replace("%1", name))

    def _their_folder(self) -> int | None:
        """The folder the selected messages are in when it is one (not necessarily the open
        folder: a search may look in all of them)."""
        folders = self._folders()
        return folders[0].id if len(folders) == 1 else None

    def junk(self) -> None:
        selected = self._selection()
        if selected:
            self._change(
                lambda: self.services.junk(selected),
                self.tr("%n message(s) moved to Junk Email.", "", len(selected)),
            )

    def not_junk(self) -> None:
        selected = self._selection()
        if selected:
            self._change(
                lambda: self.services.not_junk(selected),
                self.tr("%n message(s) moved back to the Inbox.", "", len(selected)),
            )

    def _change(self, what: Callable[[], object], words: str) -> None:
        if run_or_report(self.window, what):
            self.listing_changed.emit(words)

    def flag(self, status: FlagStatus) -> None:
        selected = self._selection()
        if selected and run_or_report(self.window, lambda: self.services.flag(selected, status)):
            self.items_changed.emit(selected)

    def mark_read(self, read: bool) -> None:
        self.read_timer.stop()
        selected = self._selection()
        if selected and run_or_report(self.window, lambda: self.services.mark_read(selected, read)):
            self.items_changed.emit(selected)

    # Reading marks read

    def reading(self, item_id: int | None, is_read: bool) -> None:
        """A message is shown in the reading pane: unread, it is marked read once it has been
        shown for the delay the options set (none: never by itself)."""
        self.read_timer.stop()
        self._reading = item_id
        if item_id is None or is_read or self.mark_read_seconds is None:
            return
        self.read_timer.start(self.mark_read_seconds * 1000)

    def _mark_shown_read(self) -> None:
        item_id = self._reading
        if item_id is None or item_id not in self._selection():
            return
        # Off the window's thread: a sync writing the cache meanwhile must not hold it up.
        self.background.quietly(
            lambda: self.services.mark_read([item_id], True),
            lambda _count: self.items_changed.emit([item_id]),
            self._failed,
        )

    # Attachments

    def open_attachment(self, item_id: int, index: int) -> None:
        """A private copy, fetched off the window's thread, handed to the system's viewer."""
        self.background.run(
            lambda: self.services.open_copy(item_id, index),
            self.open_file,
            self._failed,
        )

    def save_attachment(self, item_id: int, index: int, name: str) -> None:
        dialog = QFileDialog(self.window, self.tr("Save attachment"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.selectFile(safe_file_name(name))
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        target = Path(dialog.selectedFiles()[0])
        self.background.run(
            lambda: self.services.save_attachment(item_id, index, target.parent, target.name),
            lambda saved: self.said.emit(self.tr("Saved %1").replace("%1", str(saved))),
            self._failed,
        )

    def save_all_attachments(self, item_id: int) -> None:
        dialog = QFileDialog(self.window, self.tr("Save all attachments in"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        folder = Path(dialog.selectedFiles()[0])
        self.background.run(
            lambda: self.services.save_attachments(item_id, folder),
            lambda saved: self.said.emit(
                self.tr("%n attachment(s) saved in %1", "", len(saved)).replace("%1", str(folder))
            ),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        report(self.window, error)


def _open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
