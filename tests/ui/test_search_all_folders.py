"""The search box's scope, as Outlook offers it: the open folder, or every mail folder with a
Folder column; the scope stays while the window is open and an empty box lists the folder."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services.workspace import WorkspaceServices
from app.ui.folder_chooser import FolderChooser
from app.ui.main_window import MainWindow
from app.ui.message_list import ALL_FOLDERS, CURRENT_FOLDER, SUBJECT_MIN_WIDTH
from app.ui.message_model import COLUMN_FOLDER, COLUMN_SUBJECT
from app.ui.navigation import Place
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def search(window: MainWindow, scope: str, text: str) -> None:
    listing = window.message_list
    listing.scope_actions[scope].trigger()
    listing.search.setText(text)
    listing.search.returnPressed.emit()


def listed(window: MainWindow, column: int = COLUMN_SUBJECT) -> list[str]:
    model = window.message_list.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def open_inbox(window: MainWindow, profile: BuiltProfile) -> None:
    assert window.navigation.select_place(Place("folder", profile.folders["inbox"]))


def test_all_folders_finds_the_sent_reply_beside_the_offer_with_their_folders(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)

    search(window, ALL_FOLDERS, "oferta")

    assert listed(window) == ["Re: Oferta na licencje 2027", "Oferta na licencje 2027"]
    assert listed(window, COLUMN_FOLDER) == ["Sent Items", "Inbox"]
    assert not window.message_list.view.isColumnHidden(COLUMN_FOLDER)


def test_the_current_folder_scope_searches_the_open_folder_alone(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)

    search(window, CURRENT_FOLDER, "oferta")

    assert listed(window) == ["Oferta na licencje 2027"]
    assert window.message_list.view.isColumnHidden(COLUMN_FOLDER)


def test_a_search_matches_a_recipient_of_sent_mail(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)

    search(window, ALL_FOLDERS, "jan.kowalski")

    assert "Re: Oferta na licencje 2027" in listed(window)


def test_emptying_the_box_lists_the_open_folder_again(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)
    search(window, ALL_FOLDERS, "oferta")

    search(window, ALL_FOLDERS, "")

    assert len(listed(window)) == 4
    assert window.message_list.view.isColumnHidden(COLUMN_FOLDER)


def test_the_scope_stays_chosen_when_another_folder_opens(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)
    search(window, ALL_FOLDERS, "oferta")

    assert window.navigation.select_place(Place("folder", profile.folders["sent"]))

    assert window.message_list.searches_all_folders()
    assert set(listed(window)) == {"Oferta na licencje 2027", "Re: Oferta na licencje 2027"}


def test_a_result_from_another_folder_opens_in_the_reading_pane_with_its_crm_pane(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)
    search(window, ALL_FOLDERS, "oferta")

    assert window.message_list.select_item(profile.items["reply"])

    assert window.reading_pane.subject.text() == "Re: Oferta na licencje 2027"
    facts = window.crm_pane.facts
    assert facts is not None and facts.item_id == profile.items["reply"]


def test_the_scope_and_the_folder_column_speak_polish(
    in_polish: None, qtbot: QtBot, profile: BuiltProfile
) -> None:
    window = MainWindow(WorkspaceServices(profile.workspace))
    qtbot.addWidget(window)
    open_inbox(window, profile)
    listing = window.message_list

    search(window, ALL_FOLDERS, "oferta")

    assert listing.scope.toolTip() == "Szukaj w: Wszystkie foldery"
    assert [action.text() for action in listing.scope.actions()] == [
        "Bieżący folder",
        "Wszystkie foldery",
    ]
    assert listed(window, COLUMN_FOLDER) == ["Wysłane", "Odebrane"]


def test_the_box_says_where_it_looks(window: MainWindow, profile: BuiltProfile) -> None:
    open_inbox(window, profile)
    box = window.message_list.search

    search(window, ALL_FOLDERS, "")

    assert box.placeholderText() == "Search all folders (Ctrl+E)"
    search(window, CURRENT_FOLDER, "")
    assert box.placeholderText() == "Search this folder (Ctrl+E)"


def test_the_folder_column_never_squeezes_the_subject_unreadable(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)
    header = window.message_list.view.horizontalHeader()

    search(window, ALL_FOLDERS, "oferta")

    assert header.sectionSize(COLUMN_SUBJECT) >= SUBJECT_MIN_WIDTH


def test_a_sent_reply_found_from_the_inbox_moves_to_the_inbox_when_dropped_on_it(
    window: MainWindow, profile: BuiltProfile
) -> None:
    """The open folder is not where a result across folders is: moving it there moves it."""
    open_inbox(window, profile)
    search(window, ALL_FOLDERS, "oferta")
    assert window.message_list.select_item(profile.items["reply"])  # as dragging it does

    window.mail.transfer([profile.items["reply"]], profile.folders["inbox"], copy=False)

    search(window, CURRENT_FOLDER, "oferta")
    assert set(listed(window)) == {"Oferta na licencje 2027", "Re: Oferta na licencje 2027"}


def test_move_to_folder_offers_the_open_folder_for_a_result_from_another(
    window: MainWindow, profile: BuiltProfile
) -> None:
    open_inbox(window, profile)
    search(window, ALL_FOLDERS, "oferta")
    assert window.message_list.select_item(profile.items["reply"])
    offered: list[tuple[bool, bool]] = []

    def look(chooser: FolderChooser) -> None:
        offered.append(
            (chooser.choose(profile.folders["inbox"]), chooser.choose(profile.folders["sent"]))
        )
        chooser.reject()

    failures = when_dialog_opens(look, FolderChooser)
    window.mail.move_action.trigger()

    assert not failures
    assert offered == [(True, False)]  # Inbox can be chosen, Sent Items (where it is) not
