"""The main window: navigation, message list, reading pane and CRM pane; calendar, tasks and the
CRM lists in the same place; the toolbar, the shortcuts and the status bar; sync on its thread."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordKey, RecordSummary, TimelineEntry
from app.mailbox.views import (
    OUTGOING_FOLDERS,
    FolderSummary,
    ListingQuery,
    MessageDetails,
    ScheduledItem,
    TaskItem,
)
from app.services.compose import EmailDraft
from app.services.mail import CrmPaneFacts
from app.services.record_forms import RecordForm
from app.services.schedule import AppointmentDraft, TaskDraft
from app.sync.activity_deletion import Deletion, ExchangeCopy
from app.sync.progress import Phase, SyncProgress
from app.sync.status import Attention, SyncReport, SyncState
from app.tracking.model import Address, RecordType
from app.ui.about_dialog import AboutDialog
from app.ui.account_dialog import AccountDialog
from app.ui.activity_dialogs import (
    DELETED,
    OCCURRENCE_DELETED,
    AppointmentDialog,
    TaskDialog,
    ask_occurrence_or_series,
    local_time_zone,
)
from app.ui.back_forward import BackForward
from app.ui.background import NEXT_TURN_MS, Background
from app.ui.calendar_page import CalendarPage
from app.ui.crm_pane import CrmPane, PaneActions
from app.ui.errors import report, run_or_report
from app.ui.first_start import FirstStartPage
from app.ui.folder_tracking import FolderTrackingMenu
from app.ui.help_dialog import HelpDialog
from app.ui.i18n import shown_language
from app.ui.icons import app_icon, icon
from app.ui.mail_commands import MailCommands
from app.ui.mailto import MailtoDraft
from app.ui.message_list import MessageList
from app.ui.navigation import CALENDAR, TASKS, NavigationTree, Place
from app.ui.options_dialog import OptionsDialog
from app.ui.ports import WindowServices
from app.ui.proportional_splitter import ProportionalSplitter
from app.ui.reading_pane import ReadingPane
from app.ui.records_page import RecordsPage
from app.ui.regarding_dialog import RegardingDialog
from app.ui.status_bar import SyncStatusBar
from app.ui.sync_history_dialog import SyncHistoryDialog
from app.ui.sync_worker import SyncWorker
from app.ui.tasks_page import TasksPage
from app.ui.untrack_question import UntrackChoice, UntrackQuestion

STATUS_READ_INTERVAL_S = 1.0

NEW_APPOINTMENT_MINUTES = 60


class AttentionBar(QFrame):
    """A line above the pages when sync needs the user: what is wrong and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.icon = QLabel()
        self.icon.setPixmap(icon("attention").pixmap(18, 18))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.action = QPushButton(self.tr("Account…"))
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        self.hide()


class MainWindow(QMainWindow):
    demo_requested = Signal()
    options_changed = Signal()
    action_finished = Signal()  # a background action (track, untrack…) has been shown
    sync_finished = Signal(object)  # SyncReport, once the window shows it

    def __init__(self, services: WindowServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle("Liaison")
        self.setWindowIcon(app_icon())
        self.resize(1440, 880)
        self._facts: CrmPaneFacts | None = None
        self._worker: SyncWorker | None = None
        self.history: SyncHistoryDialog | None = None
        self._status_read_at = 0.0
        self.background = Background(self)
        self.back_forward = BackForward(self, self._go_to)
        self._make_actions()
        self._make_toolbar()
        self._make_menus()

        self.navigation = NavigationTree()
        self.message_list = MessageList(services)
        conversations = services.shows_conversations()
        self.conversations_action.setChecked(conversations)
        self.message_list.show_conversations(conversations)
        self.conversations_action.toggled.connect(self._show_conversations)
        self.reading_pane = ReadingPane(self.mail.responses)
        self.crm_pane = CrmPane(
            PaneActions(
                self.track_action,
                self.regarding_action,
                self.untrack_action,
                self.create_contact_action,
                self.create_lead_action,
                self.open_record_action,
                self.convert_lead_action,
                self.convert_opportunity_action,
            )
        )
        # The list, the reading pane and the CRM pane share the width as Outlook's do.
        self.mail_page = ProportionalSplitter((0.34, 0.44, 0.22))
        self.mail_page.setObjectName("mailPage")
        self.mail_page.addWidget(self.message_list)
        self.mail_page.addWidget(self.reading_pane)
        self.mail_page.addWidget(self.crm_pane)
        self.mail_page.setStretchFactor(1, 1)
        self.records_page = RecordsPage(services)
        self.calendar_page = CalendarPage()
        self.tasks_page = TasksPage()
        self.first_start = FirstStartPage()
        self.pages = QStackedWidget()
        for page in (
            self.mail_page,
            self.records_page,
            self.calendar_page,
            self.tasks_page,
            self.first_start,
        ):
            self.pages.addWidget(page)
        self.attention = AttentionBar()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.attention)
        right_layout.addWidget(self.pages, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 1250])
        self.setCentralWidget(splitter)
        self.status_bar = SyncStatusBar()
        self.setStatusBar(self.status_bar)

        self.navigation.place_chosen.connect(self._place_chosen)
        self.folder_tracking = FolderTrackingMenu(self, services, self._report)
        self.navigation.folder_menu_requested.connect(self.folder_tracking.show_menu)
        self.folder_tracking.changed.connect(self._folder_tracking_changed)
        self.message_list.item_selected.connect(self._item_selected)
        self.message_list.item_activated.connect(self._message_activated)
        self.message_list.menu_requested.connect(self._message_menu)
        self.navigation.messages_dropped.connect(self.mail.transfer)
        self.mail.listing_changed.connect(self._messages_changed)
        self.mail.items_changed.connect(self._messages_changed_in_place)
        self.mail.said.connect(lambda words: self.status_bar.showMessage(words, 8000))
        self.reading_pane.attachment_opened.connect(self.mail.open_attachment)
        self.reading_pane.attachment_save_requested.connect(self.mail.save_attachment)
        self.reading_pane.attachments_save_requested.connect(self.mail.save_all_attachments)
        self.crm_pane.record_opened.connect(self.open_record)
        self.crm_pane.create_requested.connect(self._create_record)
        self.records_page.activity_opened.connect(self.open_activity)
        self.records_page.existing_opened.connect(self.open_record)
        self.records_page.records_changed.connect(self._reshow_current)
        self.first_start.demo_requested.connect(self.demo_requested)
        self.first_start.setup_requested.connect(self.setup_account)
        self.attention.action.clicked.connect(
            lambda: self.setup_account(self.attention.text.text())
        )
        self.calendar_page.range_changed.connect(self._show_calendar)
        self.calendar_page.appointment_activated.connect(self._edit_appointment)
        self.calendar_page.new_appointment_requested.connect(self._new_appointment)
        self.calendar_page.track_requested.connect(self._track_appointment)
        self.tasks_page.task_activated.connect(self._edit_task)
        self.tasks_page.task_completed.connect(self._complete_task)
        self.tasks_page.new_task_requested.connect(self._new_task)
        self.background.busy_changed.connect(self._busy_changed)
        QTimer.singleShot(0, self, self._after_first_paint)
        self._read_mail_options()
        self.refresh()

    def _after_first_paint(self) -> None:
        # What exists now (Qt, the libraries, the window) lives as long as the window does.
        # Taken out of the garbage collector's view, a full collection while sync runs takes
        # milliseconds instead of holding every thread, the window's too, for ~100 ms.
        gc.freeze()

        # Set Regarding answers every keystroke from an index that takes seconds to build on a
        # big CRM: built off the event loop, it is ready when the user first types; it is
        # long-lived too.
        def prepare_search() -> None:
            self.services.prepare_search()
            gc.freeze()

        self.background.prepare(prepare_search)

    # Building

    def _action(
        self,
        text: str,
        icon_name: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tooltip = tip or text.replace("…", "")
        if not action.shortcut().isEmpty():
            tooltip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tooltip)
        action.setStatusTip(tip or "")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.sync_action = self._action(
            self.tr("Sync now"), "sync", self.sync_now, "F9", self.tr("Send and receive now")
        )
        self.new_email_action = self._action(
            self.tr("New email"), "compose", self.new_email, QKeySequence.StandardKey.New
        )
        self.track_action = self._action(
            self.tr("Track"),
            "track",
            self.track,
            "Ctrl+T",
            self.tr("Track this message in the CRM"),
        )
        self.regarding_action = self._action(
            self.tr("Set Regarding…"),
            "regarding",
            self.set_regarding,
            "Ctrl+Alt+R",
            self.tr("Choose the CRM record this message is about"),
        )
        self.untrack_action = self._action(
            self.tr("Untrack"),
            "untrack",
            self.untrack,
            "Ctrl+Shift+T",
            self.tr("Stop tracking this message; you choose whether its CRM activity stays"),
        )
        self.create_contact_action = self._action(
            self.tr("Create Contact"),
            "add-contact",
            lambda: self._create_for_sender(RecordType.CONTACT),
        )
        self.create_lead_action = self._action(
            self.tr("Create Lead"), "lead", lambda: self._create_for_sender(RecordType.LEAD)
        )
        self.open_record_action = self._action(
            self.tr("Open record"), "open-record", self._open_current_record, "Ctrl+Shift+O"
        )
        self.convert_lead_action = self._action(
            self.tr("Convert to Lead…"),
            "lead",
            lambda: self._convert_email(RecordType.LEAD),
            tip=self.tr("Create a lead from this email's sender and set the email regarding it"),
        )
        self.convert_opportunity_action = self._action(
            self.tr("Convert to Opportunity…"),
            "opportunity",
            lambda: self._convert_email(RecordType.OPPORTUNITY),
            tip=self.tr("Create an opportunity from this email and set the email regarding it"),
        )
        self.options_action = self._action(
            self.tr("Options…"), "options", self.show_options, "Ctrl+,"
        )
        self.search_action = self._action(self.tr("Search"), "search", self._focus_search, "Ctrl+E")
        self.history_action = self._action(
            self.tr("Sync history…"),
            "sync",
            self.show_sync_history,
            tip=self.tr("Each sync: what it did, its failures and its conflicts"),
        )
        self.account_action = self._action(self.tr("Account…"), "mail", self.setup_account)
        self.guide_action = self._action(
            self.tr("User guide"), "search", self.show_help, QKeySequence.StandardKey.HelpContents
        )
        self.shortcuts_action = self._action(
            self.tr("Keyboard shortcuts"), "options", lambda: self.show_help(HelpDialog.SHORTCUTS)
        )
        # Ctrl+Q marks read, as in Outlook.
        self.quit_action = self._action(self.tr("Quit"), "cancel", self.close, "Ctrl+Shift+Q")
        self.go_mail_action = self._action(self.tr("Mail"), "mail", self._go_mail, "Ctrl+1")
        self.go_calendar_action = self._action(
            self.tr("Calendar"),
            "calendar",
            lambda: self.navigation.select_place(CALENDAR),
            "Ctrl+2",
        )
        self.go_tasks_action = self._action(
            self.tr("Tasks"), "tasks", lambda: self.navigation.select_place(TASKS), "Ctrl+3"
        )
        self.conversations_action = QAction(self.tr("Show as conversations"), self)
        self.conversations_action.setCheckable(True)
        self.conversations_action.setStatusTip(
            self.tr("Group the message list by conversation, the newest conversation first")
        )
        self.mail = MailCommands(
            self,
            self.services,
            self.background,
            self._action,
            lambda: self.message_list.selected_items() if self._on_mail_page() else [],
            self._selected_folders,
            lambda: self.message_list.answered_item() if self._on_mail_page() else None,
        )

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for group in (
            (self.sync_action, self.new_email_action),
            self.mail.responses,
            (self.mail.delete_action, self.mail.move_action, self.mail.flag_action),
            (self.track_action, self.regarding_action, self.untrack_action),
            (self.options_action,),
        ):
            if toolbar.actions():
                toolbar.addSeparator()
            for action in group:
                toolbar.addAction(action)
        # Icons alone for the rest of the mail commands: the toolbar fits 1024 pixels.
        for action in (
            self.mail.reply_all_action,
            self.mail.forward_action,
            self.mail.delete_action,
            self.mail.move_action,
            self.mail.flag_action,
        ):
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(toolbar)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        for action in (self.new_email_action, self.sync_action, self.account_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.message_menu = bar.addMenu(self.tr("&Message"))
        self.mail.fill_menu(self.message_menu)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.conversations_action)
        go_menu = bar.addMenu(self.tr("&Go"))
        go_menu.addAction(self.back_forward.back_action)
        go_menu.addAction(self.back_forward.forward_action)
        go_menu.addSeparator()
        for action in (self.go_mail_action, self.go_calendar_action, self.go_tasks_action):
            go_menu.addAction(action)
        crm_menu = bar.addMenu(self.tr("&CRM"))
        for action in (self.track_action, self.regarding_action, self.untrack_action):
            crm_menu.addAction(action)
        crm_menu.addSeparator()
        for action in (
            self.create_contact_action,
            self.create_lead_action,
            self.convert_lead_action,
            self.convert_opportunity_action,
            self.open_record_action,
        ):
            crm_menu.addAction(action)
        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.search_action)
        tools_menu.addAction(self.history_action)
        tools_menu.addAction(self.options_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        self.about_action = help_menu.addAction(self.tr("About Liaison"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    # Sync

    def start_sync(self) -> None:
        """Start the sync engine's scheduler on its thread (once; a profile without an
        account has none)."""
        if self._worker is not None or self.services.account_address() is None:
            return
        self._worker = SyncWorker(self.services.sync_runner, self)
        self._worker.progressed.connect(self._sync_progressed)
        self._worker.synced.connect(self._synced)
        self._worker.failed.connect(self._show_attention)
        self._worker.start()

    def stop_sync(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def sync_now(self) -> None:
        if self.services.account_address() is None:
            self.setup_account()
            return
        if self._worker is None:
            self.start_sync()  # its first run is a sync at once
        else:
            self._worker.sync_now()
        self.refresh_status()

    def _sync_progressed(self, progress: SyncProgress) -> None:
        self.status_bar.show_progress(progress)
        if progress.phase is Phase.DONE:
            return
        # The progress bar moves with every report; the status line reads the database, which
        # is worth doing about once a second while sync is busy writing it.
        if time.monotonic() - self._status_read_at >= STATUS_READ_INTERVAL_S:
            self.refresh_status()

    def _attention_words(self, attention: Attention | None) -> str:
        if attention is Attention.CERTIFICATE:
            return self.tr(
                "The mail server's certificate cannot be trusted, so Liaison does not send it "
                "your mail. Check the account's server address, or ask your administrator."
            )
        if attention is Attention.MAILBOX_ACCESS:
            return self.tr(
                "The server let you sign in but refused access to the mailbox. Check the "
                "account's address, or ask your administrator for access."
            )
        if attention is Attention.UNFINISHED_MOVE:
            return self.tr(
                "Moving this profile to Microsoft 365 did not finish. Open the account and sign "
                "in and move again: nothing is lost, and nothing is downloaded again."
            )
        return self.tr(
            "Liaison cannot sign in to your mailbox: the password or access was refused, "
            "or no password is saved. Check the account to sync again."
        )

    def _synced(self, outcome: SyncReport) -> None:
        if outcome.state is SyncState.NEEDS_ATTENTION:
            # The server's own words go to the log (the status bar logs them); the bar says
            # what happened and what to do, in the window's language.
            self._show_attention(self._attention_words(outcome.attention))
        else:
            self.attention.hide()
        self.refresh_status()
        if self.history is not None and self.history.isVisible():
            self.history.reload()
        listed = self.message_list.model.query
        self.navigation.update_counts(self.services.folders())
        if not (outcome.items or outcome.tracked):
            self.sync_finished.emit(outcome)
            return
        self.background.prepare(self.services.refresh_search)  # records sync created
        # The page is read again on the next turn of the event loop: the folder tree and the
        # page each take a few tens of milliseconds, together they would hold the window up.
        # When the first folders arrive, the tree opens the Inbox meanwhile, which reads it.
        QTimer.singleShot(NEXT_TURN_MS, self, lambda: self._show_synced(outcome, listed))

    def _show_synced(self, outcome: SyncReport, listed: ListingQuery | None) -> None:
        if self.message_list.model.query is listed:
            self._reload_page()
        self.sync_finished.emit(outcome)

    def _show_attention(self, message: str) -> None:
        self.attention.text.setText(message)
        self.attention.show()

    # Showing

    def refresh(self) -> None:
        """Read everything again: folders, the current list, the selected message, the status."""
        self.navigation.show_folders(self.services.folders())
        if self.navigation.current_place() is None:
            self._show_first_start_if_needed()
        self.refresh_status()

    def _reload_page(self) -> None:
        page = self.pages.currentWidget()
        if page is self.mail_page:
            self.message_list.reload()
        elif page is self.calendar_page:
            self._show_calendar()
        elif page is self.tasks_page:
            self._show_tasks()
        elif page is self.records_page:
            self.records_page.reload()

    def refresh_status(self) -> None:
        self._status_read_at = time.monotonic()
        self.status_bar.show_status(self.services.sync_status())

    def _show_first_start_if_needed(self) -> bool:
        if self.services.account_address() is not None:
            return False
        self.pages.setCurrentWidget(self.first_start)
        self._item_selected(None)
        return True

    def _place_chosen(self, place: Place) -> None:
        self.back_forward.visit(place)
        if place.kind == "folder":
            self.pages.setCurrentWidget(self.mail_page)
            folder = self.navigation.folder(place.folder_id) if place.folder_id else None
            outgoing = folder is not None and folder.distinguished in OUTGOING_FOLDERS
            self.message_list.show_folder(place.folder_id, outgoing)
            return
        self._item_selected(None)
        if place.kind == "records" and place.record_type is not None:
            self.pages.setCurrentWidget(self.records_page)
            self.records_page.show_type(place.record_type)
        elif place.kind == "calendar":
            self.pages.setCurrentWidget(self.calendar_page)
            self._show_calendar()
        elif place.kind == "tasks":
            self.pages.setCurrentWidget(self.tasks_page)
            self._show_tasks()
        self._update_actions()

    def _item_selected(self, item_id: int | None) -> None:
        message = self.services.message(item_id) if item_id is not None else None
        if message is None:
            self.mail.reading(None, True)
            self.reading_pane.clear()
            self._show_facts(None)
            return
        self.mail.reading(message.id, message.is_read)
        self.reading_pane.show_message(message)
        self._show_facts(self.services.crm_facts(message))

    def _show_facts(self, facts: CrmPaneFacts | None) -> None:
        self._facts = facts
        self.crm_pane.show_facts(facts)
        self._update_actions()

    def _update_actions(self) -> None:
        facts = self._facts
        idle = not self.background.is_busy()
        selected = facts is not None and idle
        tracked = facts is not None and facts.is_tracked
        sender = facts.sender if facts is not None else None
        own = (self.services.account_address() or "").casefold()
        unknown_sender = (
            sender is not None and not sender.records and sender.address.email.casefold() != own
        )
        self.track_action.setEnabled(selected and not tracked)
        self.regarding_action.setEnabled(selected)
        self.untrack_action.setEnabled(selected and tracked)
        self.create_contact_action.setEnabled(idle and unknown_sender)
        self.create_lead_action.setEnabled(idle and unknown_sender)
        self.convert_lead_action.setEnabled(selected and tracked)
        self.convert_opportunity_action.setEnabled(selected and tracked)
        self.open_record_action.setEnabled(self._record_to_open() is not None)
        self.mail.update_enabled(self._on_mail_page())

    def _on_mail_page(self) -> bool:
        return self.pages.currentWidget() is self.mail_page

    def _selected_folders(self) -> list[FolderSummary]:
        """The folders the selected messages are in."""
        if not self._on_mail_page():
            return []
        found = (self.navigation.folder(i) for i in sorted(self.message_list.selected_folders()))
        return [folder for folder in found if folder is not None]

    def _go_mail(self) -> None:
        place = self.navigation.current_place()
        if place is not None and place.kind == "folder":
            self.pages.setCurrentWidget(self.mail_page)
            return
        inbox = next((f for f in self.services.folders() if f.distinguished == "inbox"), None)
        if inbox is not None:
            self.navigation.select_place(Place("folder", folder_id=inbox.id))

    def _messages_changed(self, words: str) -> None:
        """Messages left or joined the list (deleted, moved, sent): shown at once, synced soon."""
        self.message_list.reload()
        self.navigation.update_counts(self.services.folders())
        if words:
            self.status_bar.showMessage(words, 8000)
        self.sync_soon()

    def _messages_changed_in_place(self, item_ids: list[int]) -> None:
        """Read or flagged: the rows and the unread counts show it at once."""
        for item_id in item_ids:
            self.message_list.refresh_item(item_id)
        self.navigation.update_counts(self.services.folders())
        self.sync_soon()

    def sync_soon(self) -> None:
        """A local change waits in the outbox: the running sync picks it up now."""
        if self._worker is not None:
            self._worker.sync_now()

    def _message_activated(self, item_id: int) -> None:
        message = self.services.message(item_id)
        if message is not None and message.is_draft:
            self.mail.open_draft(item_id)

    def _message_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self.mail.fill_menu(menu)
        menu.addSeparator()
        for action in (self.track_action, self.regarding_action, self.untrack_action):
            menu.addAction(action)
        menu.exec(position)

    def _read_mail_options(self) -> None:
        self.mail.mark_read_seconds = self.services.options().mark_read_seconds

    def _busy_changed(self, busy: bool) -> None:
        self._update_actions()
        working = self.tr("Working…")
        if busy:
            self.status_bar.showMessage(working)
        elif self.status_bar.currentMessage() == working:
            # What the work said when it ended (an attachment saved) stays.
            self.status_bar.clearMessage()

    def _reshow_current(self) -> None:
        item_id = self.message_list.selected_item()
        if item_id is not None:
            self.message_list.refresh_item(item_id)
        self._item_selected(item_id)
        self.refresh_status()

    def _show_calendar(self) -> None:
        start, end = self.calendar_page.utc_range()
        self.calendar_page.show_entries(self.services.calendar_entries(start, end))

    def _show_tasks(self) -> None:
        self.tasks_page.show_tasks(self.services.tasks())

    # Actions

    def _report(self, error: BaseException) -> None:
        report(self, error)

    def _in_background(self, work: Callable[[], object], then: Callable[[], None]) -> None:
        def done(_result: object) -> None:
            then()
            if self._worker is not None:
                self._worker.sync_now()
            self.action_finished.emit()

        def failed(error: BaseException) -> None:
            self._report(error)
            self.action_finished.emit()

        self.background.run(work, done, failed)

    def _run(self, what: Callable[[], object]) -> bool:
        return run_or_report(self, what)

    def track(self) -> None:
        if self._facts is None:
            return
        item_id = self._facts.item_id
        self._in_background(lambda: self.services.track(item_id, None), self._reshow_current)

    def set_regarding(self) -> None:
        if self._facts is None:
            return
        item_id = self._facts.item_id
        dialog = RegardingDialog(self.services.search_records, self)
        if dialog.exec() != RegardingDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        key = dialog.chosen.key
        self._in_background(lambda: self.services.set_regarding(item_id, key), self._reshow_current)

    def untrack(self) -> None:
        """Asks whether the CRM activity stays (unlinked) or goes, then untracks."""
        if self._facts is None:
            return
        item_id = self._facts.item_id
        question = UntrackQuestion(self.reading_pane.subject.text(), self)
        question.exec()
        choice = question.choice()
        if choice is None:
            return
        delete = choice is UntrackChoice.DELETE
        self._in_background(lambda: self.services.untrack(item_id, delete), self._reshow_current)

    def _folder_tracking_changed(self, words: str) -> None:
        self.navigation.update_counts(self.services.folders())
        self.status_bar.showMessage(words, 8000)
        self.sync_now()

    def _create_for_sender(self, record_type: RecordType) -> None:
        sender = self._facts.sender if self._facts is not None else None
        if sender is not None:
            self._create_record(sender.address, record_type)

    def _create_record(self, address: Address, record_type: RecordType) -> None:
        """Create Contact/Lead: the form pre-filled from the sender, to correct or just save
        (a role address gives its company's account instead)."""
        forms: list[RecordForm] = []
        if not self._run(
            lambda: forms.append(self.services.form_for_address(address, record_type))
        ):
            return
        saved = self.records_page.edit_form(forms[0])
        if saved is not None:
            self._reshow_current()
            self.status_bar.showMessage(self.tr("Saved %1").replace("%1", saved.name), 5000)

    def _convert_email(self, record_type: RecordType) -> None:
        """Convert to Lead / Opportunity: the record from the email, which is then regarding it."""
        if self._facts is None:
            return
        item_id = self._facts.item_id
        forms: list[RecordForm] = []
        if not self._run(lambda: forms.append(self.services.form_for_email(item_id, record_type))):
            return

        def convert(
            kind: RecordType, raw: Mapping[str, object], _key: RecordKey | None
        ) -> RecordSummary:
            return self.services.convert_email(item_id, kind, raw)

        note = self.tr("Once saved, the email is regarding it.")
        saved = self.records_page.edit_form(forms[0], convert, note)
        if saved is not None:
            self._reshow_current()
            self.status_bar.showMessage(
                self.tr("The email is regarding %1 now").replace("%1", saved.name), 5000
            )

    def open_activity(self, entry: TimelineEntry) -> None:
        """A row of a record's timeline: an email in the reading pane, an appointment or a task
        in its dialog."""
        if entry.kind == "email":
            message = self.services.timeline_email(entry.activity_id)
            if message is not None:
                self._show_email(message)
            return
        draft = self.services.activity_draft(entry.activity_id)
        if isinstance(draft, AppointmentDraft):
            self._edit_appointment_draft(draft)
        elif isinstance(draft, TaskDraft):
            self._edit_task_draft(draft)
        shown = self.records_page.view.details
        if shown is not None:
            self.records_page.open_record(shown.summary.key)

    def _show_email(self, message: MessageDetails) -> None:
        self.pages.setCurrentWidget(self.mail_page)
        if message.id and self.navigation.select_place(Place("folder", message.folder_id)):
            self.message_list.show_folder(message.folder_id)
            if self.message_list.select_item(message.id):
                return
        # Tracked from another mailbox (a colleague's): shown as the CRM keeps it.
        self.message_list.view.clearSelection()
        self.reading_pane.show_message(message)
        self._show_facts(self.services.crm_facts(message) if message.id else None)

    def _record_to_open(self) -> RecordKey | None:
        if self._facts is None:
            return None
        if self._facts.regarding is not None:
            return self._facts.regarding.key
        sender = self._facts.sender
        if sender is not None and sender.records:
            return sender.records[0].key
        return None

    def _open_current_record(self) -> None:
        key = self._record_to_open()
        if key is not None:
            self.open_record(key)

    def open_record(self, key: RecordKey) -> None:
        with self.back_forward.quietly():  # the record's list is a step, not a place
            # The tree shows where the user is: the record's list (and clicking the folder
            # they came from brings its mail back).
            self.navigation.select_place(Place("records", record_type=key.type))
        self.pages.setCurrentWidget(self.records_page)
        self.records_page.open_record(key)
        self.back_forward.visit(key)

    def _go_to(self, place: object) -> None:
        """A place from Back or Forward: a record, or a place of the tree."""
        if isinstance(place, RecordKey):
            self.open_record(place)
        elif isinstance(place, Place):
            if self.navigation.current_place() == place:
                self._place_chosen(place)  # the tree is there already: it would not say so
            else:
                self.navigation.select_place(place)

    def _show_conversations(self, on: bool) -> None:
        if self._run(lambda: self.services.show_conversations(on)):
            self.message_list.show_conversations(on)

    def _focus_search(self) -> None:
        search = (
            self.records_page.search
            if self.pages.currentWidget() is self.records_page
            else self.message_list.search
        )
        search.setFocus()
        search.selectAll()

    def new_email(self, link: MailtoDraft | None = None) -> None:
        """Compose a new email (untracked unless the user tracks it); a mailto link fills the
        form."""
        if link is not None and self.services.account_address() is None:
            self.setup_account()
            if self.services.account_address() is None:
                return
        link = link or MailtoDraft()
        draft = EmailDraft(
            to=tuple(link.to),
            cc=tuple(link.cc),
            bcc=tuple(link.bcc),
            subject=link.subject,
            body=link.body,
        )
        self.mail.compose(self.services.new_email(draft))

    def _new_appointment(self, moment: datetime | None) -> None:
        if moment is None:
            now = datetime.now().replace(minute=0, second=0, microsecond=0)
            moment = now + timedelta(hours=1)
        start = moment.astimezone(UTC)
        self._edit_appointment_draft(
            AppointmentDraft(
                subject="",
                start=start,
                end=start + timedelta(minutes=NEW_APPOINTMENT_MINUTES),
                time_zone=self.services.canonical_time_zone(local_time_zone()),
            )
        )

    def _edit_appointment(self, entry: ScheduledItem) -> None:
        occurrence = False
        if entry.original_start is not None:
            answer = ask_occurrence_or_series(self, entry.subject)
            if answer is None:
                return
            occurrence = answer
        self._edit_appointment_draft(self.services.appointment_draft(entry, occurrence))

    def _edit_appointment_draft(self, draft: AppointmentDraft) -> None:
        services = self.services
        dialog = AppointmentDialog(
            services.search_records,
            draft,
            self,
            suggest=lambda text: services.attendee_suggestions(
                text, services.search_records(text, 8)
            ),
            zones=services.time_zones(),
        )
        outcome = dialog.exec()
        if outcome == DELETED and draft.activity_id is not None:
            self._delete_activity(draft.activity_id, dialog.remove_from_exchange)
            return
        if outcome == OCCURRENCE_DELETED:
            if self._run(lambda: services.delete_occurrence(draft)):
                self._show_calendar()
                self.sync_now()
            return
        if outcome != AppointmentDialog.DialogCode.Accepted or dialog.result_draft is None:
            return
        result = dialog.result_draft
        if self._run(lambda: services.save_appointment(result)):
            self._show_calendar()
            self.sync_now()

    def _track_appointment(self, entry: ScheduledItem) -> None:
        """Track an Exchange appointment from the calendar, regarding the record chosen."""
        if entry.item_id is None:
            return
        dialog = RegardingDialog(self.services.search_records, self)
        if dialog.exec() != RegardingDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        item_id, key = entry.item_id, dialog.chosen.key
        if self._run(lambda: self.services.track_exchange_item(item_id, key)):
            self._show_calendar()
            self.sync_now()

    def _new_task(self) -> None:
        self._edit_task_draft(TaskDraft(subject="", due=None))

    def _edit_task(self, task: TaskItem) -> None:
        self._edit_task_draft(self.services.task_draft(task))

    def _edit_task_draft(self, draft: TaskDraft) -> None:
        dialog = TaskDialog(self.services.search_records, draft, self)
        outcome = dialog.exec()
        if outcome == DELETED and draft.activity_id is not None:
            self._delete_activity(draft.activity_id, dialog.remove_from_exchange)
            return
        if outcome != TaskDialog.DialogCode.Accepted or dialog.result_draft is None:
            return
        result = dialog.result_draft
        if self._run(lambda: self.services.save_task(result)):
            self._show_tasks()
            self.sync_now()

    def _complete_task(self, task: TaskItem, done: bool) -> None:
        if self._run(lambda: self.services.complete_task(task, done)):
            self.sync_now()
        # On the next turn: the list is still inside the signal of the box just ticked.
        QTimer.singleShot(0, self, self._show_tasks)

    def _delete_activity(self, activity_id: int, remove_from_exchange: bool) -> None:
        done: list[Deletion] = []
        if not self._run(
            lambda: done.append(self.services.delete_activity(activity_id, remove_from_exchange))
        ):
            return
        self._reload_page()
        self.status_bar.showMessage(self._deleted_text(done[0]), 10_000)
        self.sync_now()

    def _deleted_text(self, deletion: Deletion) -> str:
        """What became of a deleted appointment or task, and of its Exchange item."""
        task = deletion.kind.value == "task"
        texts = {
            (ExchangeCopy.DELETED, False): self.tr(
                "“%1” deleted from the CRM; it leaves your Exchange calendar at the next sync."
            ),
            (ExchangeCopy.DELETED, True): self.tr(
                "“%1” deleted from the CRM; it leaves your Exchange task list at the next sync."
            ),
            (ExchangeCopy.KEPT, False): self.tr(
                "“%1” deleted from the CRM; it stays in your Exchange calendar, no longer tracked."
            ),
            (ExchangeCopy.KEPT, True): self.tr(
                "“%1” deleted from the CRM; it stays in your Exchange task list, no longer tracked."
            ),
        }
        text = texts.get((deletion.exchange, task), self.tr("“%1” deleted from the CRM."))
        return text.replace("%1", deletion.subject)

    def setup_account(self, reason: str = "") -> None:
        """Set up or change the mail account; a wrong password brings the user here."""
        dialog = AccountDialog(
            self.services,
            self.services.account_form(),
            self,
            reason,
            microsoft=self.services.microsoft_form(),
        )
        dialog.moving.connect(self.stop_sync)
        accepted = dialog.exec() == AccountDialog.DialogCode.Accepted
        if dialog.move_running:
            # Closed while the move writes: sync starts again when it has ended, for the
            # account it leaves (the engine would be made for the old one now).
            dialog.move_ended.connect(lambda _moved: self._account_changed())
            return
        if not accepted and not dialog.moved:
            self.start_sync()  # stopped for a move that failed or was cut off
            return
        self._account_changed()

    def _account_changed(self) -> None:
        self.attention.hide()
        self.stop_sync()  # the engine was made for the old settings
        self.refresh()
        self.start_sync()

    def show_options(self) -> None:
        current = self.services.options()
        dialog = OptionsDialog(current, self)
        if dialog.exec() != OptionsDialog.DialogCode.Accepted or dialog.result_form is None:
            return
        chosen = dialog.result_form
        if self._run(lambda: self.services.save_options(chosen)):
            self.mail.mark_read_seconds = chosen.mark_read_seconds
            self.status_bar.showMessage(self.tr("Options saved; the next sync applies them."), 5000)
            if (chosen.language, chosen.appearance) != (current.language, current.appearance):
                self.options_changed.emit()

    def show_sync_history(self) -> None:
        """The sync history beside the window (one, kept: it reads in the background)."""
        if self.history is None:
            self.history = SyncHistoryDialog(self.services, self)
            self.history.value_used.connect(self.sync_now)
        self.history.reload()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()

    def show_help(self, tab: int = HelpDialog.GUIDE) -> None:
        dialog = HelpDialog(shown_language(), self.actions(), self)
        dialog.tabs.setCurrentIndex(tab)
        dialog.exec()

    def show_about(self) -> None:
        dialog = AboutDialog(self.services.profile_paths(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Local changes are transactions already; let running ones finish, then stop sync.
        self.mail.read_timer.stop()
        self.background.wait()
        self.stop_sync()
        super().closeEvent(event)
