"""Every window and dialog a user can meet, built on the test profile as the window opens them,
so whole-window checks (fit, accessibility, language) can walk them all alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.crm.duplicate_rules import Candidate, DuplicateMatch, DuplicateRule
from app.crm.search import RecordKey
from app.db.sqlite_files import DamagedDatabase
from app.mailbox.replies import ResponseKind
from app.services.account import AccountForm
from app.services.compose import EmailDraft
from app.services.schedule import AppointmentDraft, TaskDraft
from app.services.workspace import WorkspaceServices
from app.tracking.model import RecordType
from app.ui.about_dialog import AboutDialog
from app.ui.account_dialog import AccountDialog
from app.ui.activity_dialogs import AppointmentDialog, TaskDialog
from app.ui.compose_dialog import ComposeDialog
from app.ui.crash_dialog import CrashDialog
from app.ui.database_dialog import DatabaseProblemDialog
from app.ui.duplicate_dialog import DuplicateDialog
from app.ui.folder_chooser import FolderChooser
from app.ui.help_dialog import HelpDialog
from app.ui.i18n import shown_language
from app.ui.lead_dialogs import DisqualifyDialog, QualifyDialog
from app.ui.main_window import MainWindow
from app.ui.message_list import ALL_FOLDERS
from app.ui.navigation import CALENDAR, TASKS, Place
from app.ui.options_dialog import OptionsDialog
from app.ui.record_form import RecordFormDialog
from app.ui.regarding_dialog import RegardingDialog
from app.ui.sync_history_dialog import SyncHistoryDialog
from app.ui.untrack_question import UntrackQuestion
from tests.ui.mailbox_builder import BuiltProfile, thread_the_offer

Build = Callable[[BuiltProfile, WorkspaceServices], QWidget]

MAIN_WINDOW_SIZE = (1024, 700)  # the smallest screen the window promises to hold at


def _main(place: Callable[[BuiltProfile], Place | None]) -> Build:
    def build(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
        window = MainWindow(services)
        chosen = place(profile)
        if chosen is not None:
            window.navigation.select_place(chosen)
        else:  # the first message of the Inbox, read, with its CRM pane
            window.navigation.select_place(Place("folder", profile.folders["inbox"]))
            window.message_list.select_item(profile.items["delivery"])
        return window

    return build


def _search_all_folders(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    window = MainWindow(services)
    window.navigation.select_place(Place("folder", profile.folders["inbox"]))
    listing = window.message_list
    listing.scope_actions[ALL_FOLDERS].trigger()
    listing.search.setText("oferta")
    listing.search.returnPressed.emit()
    listing.select_item(profile.items["reply"])
    return window


def _conversations(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    thread_the_offer(profile)
    window = MainWindow(services)
    window.conversations_action.setChecked(True)
    window.navigation.select_place(Place("folder", profile.folders["inbox"]))
    window.message_list.select_item(profile.items["offer"])  # its conversation opens
    return window


def _options_mail(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    signed = replace(services.options(), signature="Anna Nowak\nBrightwave · +48 22 123 45 67")
    dialog = OptionsDialog(signed)
    dialog.tabs.setCurrentIndex(1)
    return dialog


def _signed_reply(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    services.save_options(
        replace(services.options(), signature="Anna Nowak\nBrightwave · +48 22 123 45 67")
    )
    draft = services.respond(
        profile.items["offer"], ResponseKind.REPLY, "", shown_language(), sign=True
    )
    return ComposeDialog(services, draft)


def _welcome(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    window = MainWindow(services)
    window.pages.setCurrentWidget(window.first_start)  # as a profile without an account opens
    return window


def _record_page(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    window = MainWindow(services)
    window.open_record(RecordKey(RecordType.LEAD, profile.records["ewa"]))
    return window


def _task_draft() -> TaskDraft:
    return TaskDraft(subject="Send the offer to Acme", due=datetime.now(UTC) + timedelta(days=2))


def _appointment(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    draft = AppointmentDraft(subject="Acme: kick-off", start=start, end=start + timedelta(hours=1))
    return AppointmentDialog(services.search_records, draft)


def _database_problem(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    damaged = DamagedDatabase(profile.workspace.paths.crm_database, "file is not a database")
    return DatabaseProblemDialog(damaged, [])


def _duplicate(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    jan = Candidate(
        RecordType.CONTACT, profile.records["jan"], "Jan Kowalski", ("jan.kowalski@acme.pl",),
        "Acme Sp. z o.o.",
    )  # fmt: skip
    return DuplicateDialog([DuplicateMatch(DuplicateRule.SAME_EMAIL, jan, jan.emails[0])])


def _qualify(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    matches = services.qualify_matches(RecordKey(RecordType.LEAD, profile.records["ewa"]))
    return QualifyDialog("Ewa Wiśniewska", "Wiśniewska Design", matches)


def _move_to_folder(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    def words(text: str) -> str:
        return QCoreApplication.translate("MailCommands", text)

    return FolderChooser(
        services.folders(), words("Move to folder"), words("Move the message(s) to:")
    )


def _moving_to_microsoft_365(profile: BuiltProfile, services: WorkspaceServices) -> QWidget:
    """The account dialog editing an Exchange Server account, Microsoft 365 chosen: signing in
    moves the profile."""
    address = "anna.nowak@brightwave.example"
    dialog = AccountDialog(services, AccountForm(address, None, address, "basic", ""))
    dialog.microsoft_365.setChecked(True)
    return dialog


WINDOWS: dict[str, Build] = {
    "main window: a message read": _main(lambda profile: None),
    "main window: a search across all folders": _search_all_folders,
    "main window: conversations": _conversations,
    "main window: calendar": _main(lambda profile: CALENDAR),
    "main window: tasks": _main(lambda profile: TASKS),
    "main window: contacts": _main(
        lambda profile: Place("records", record_type=RecordType.CONTACT)
    ),
    "main window: a lead opened": _record_page,
    "main window: welcome": _welcome,
    "about": lambda profile, services: AboutDialog(services.profile_paths()),
    "account": lambda profile, services: AccountDialog(services, services.account_form()),
    "account: moving to Microsoft 365": _moving_to_microsoft_365,
    "appointment": _appointment,
    "task": lambda profile, services: TaskDialog(services.search_records, _task_draft()),
    "compose": lambda profile, services: ComposeDialog(
        services, EmailDraft(to=("jan.kowalski@acme.pl",), cc=(), subject="Q1 offer", body="")
    ),
    "compose: a reply with a signature": _signed_reply,
    "move to folder": _move_to_folder,
    "crash": lambda profile, services: CrashDialog("Traceback (most recent call last): …"),
    "database problem": _database_problem,
    "duplicate": _duplicate,
    "qualify lead": _qualify,
    "disqualify lead": lambda profile, services: DisqualifyDialog("Ewa Wiśniewska"),
    "options": lambda profile, services: OptionsDialog(services.options()),
    "options: mail": _options_mail,
    "new contact": lambda profile, services: RecordFormDialog(
        services, services.new_record_form(RecordType.CONTACT)
    ),
    "regarding": lambda profile, services: RegardingDialog(services.search_records),
    "sync history": lambda profile, services: SyncHistoryDialog(services),
    "help": lambda profile, services: HelpDialog(shown_language(), MainWindow(services).actions()),
    "untrack": lambda profile, services: UntrackQuestion("AW: Lieferung KW 47"),
}
