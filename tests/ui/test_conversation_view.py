"""View > Show as conversations: the list grouped by Exchange's conversation, the newest
conversation first, a conversation one row (bold while a message of it is unread, tracked while
one is) until expanded; the choice is kept in the profile's settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.config import load_settings
from app.mailbox.models import MailItem
from app.mailbox.views import ListingQuery, conversation_listing
from app.services.workspace import WorkspaceServices
from app.ui.compose_dialog import ComposeDialog
from app.ui.main_window import MainWindow
from app.ui.message_model import COLUMN_SENDER, COLUMN_SUBJECT, COLUMN_TRACKED
from app.ui.navigation import Place
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile, thread_the_offer


@pytest.fixture
def threaded(profile: BuiltProfile) -> BuiltProfile:
    thread_the_offer(profile)
    return profile


@pytest.fixture
def grouped(qtbot: QtBot, threaded: BuiltProfile) -> MainWindow:
    window = MainWindow(WorkspaceServices(threaded.workspace))
    window.mail.mark_read_seconds = None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.navigation.select_place(Place("folder", threaded.folders["inbox"]))
    window.conversations_action.trigger()
    return window


def shown(window: MainWindow, column: int = COLUMN_SUBJECT) -> list[str]:
    model = window.message_list.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def key(window: MainWindow, qtbot: QtBot, pressed: Qt.Key) -> None:
    window.message_list.view.setFocus()
    qtbot.keyClick(window.message_list.view, pressed)


# The cache


def test_the_newest_conversation_comes_first_with_its_messages_oldest_first(
    threaded: BuiltProfile,
) -> None:
    with threaded.workspace.local.sessions() as session:
        listing = conversation_listing(
            session, ListingQuery(threaded.folders["inbox"], conversations=True)
        )

    items = threaded.items
    assert list(listing.ids) == [
        items["offer"],
        items["offer answer"],
        items["delivery"],
        items["newsletter"],
        items["question"],
    ]
    assert list(listing.sizes) == [2, 1, 1, 1]


def test_a_conversation_counts_its_unread_messages_and_is_tracked_when_one_is(
    threaded: BuiltProfile,
) -> None:
    with threaded.workspace.local.sessions.begin() as session:
        offer = session.get(MailItem, threaded.items["offer"])
        assert offer is not None
        offer.tracking_state = "tracked"
    with threaded.workspace.local.sessions() as session:
        listing = conversation_listing(session, ListingQuery(None, conversations=True))

    assert list(listing.sizes[:2]) == [3, 1]  # the reply in Sent Items joins across folders
    assert list(listing.unread[:2]) == [2, 0]
    assert list(listing.tracked[:2]) == [1, 0]


# The window


def test_show_as_conversations_makes_the_offer_thread_one_row_newest_first(
    grouped: MainWindow,
) -> None:
    assert shown(grouped) == [
        "Oferta na licencje 2027",
        "AW: Lieferung KW 47",
        "Newsletter: listopad 2026",
        "Pytanie o wycenę strony",
    ]
    assert shown(grouped, COLUMN_SENDER)[0] == "▸ Jan Kowalski (2)"


def test_the_choice_is_kept_for_the_next_window(
    grouped: MainWindow, threaded: BuiltProfile, qtbot: QtBot
) -> None:
    assert load_settings(threaded.workspace.paths)["mail_conversations"] == "on"
    again = MainWindow(WorkspaceServices(threaded.workspace))
    qtbot.addWidget(again)
    assert again.navigation.select_place(Place("folder", threaded.folders["inbox"]))

    assert again.conversations_action.isChecked()
    assert len(shown(again)) == 4


def test_turning_it_off_lists_every_message_again(grouped: MainWindow) -> None:
    grouped.conversations_action.trigger()

    assert len(shown(grouped)) == 5
    assert not grouped.services.shows_conversations()


def test_a_conversation_row_is_bold_while_one_of_its_messages_is_unread(
    grouped: MainWindow, threaded: BuiltProfile
) -> None:
    model = grouped.message_list.model

    grouped.mail.mark_read_seconds = 0
    assert grouped.message_list.select_item(threaded.items["offer answer"])
    grouped.mail.read_timer.timeout.emit()

    assert model.index(0, COLUMN_SUBJECT).data(Qt.ItemDataRole.FontRole).bold()


def test_a_conversation_row_shows_tracked_when_an_older_message_is(
    qtbot: QtBot, threaded: BuiltProfile
) -> None:
    with threaded.workspace.local.sessions.begin() as session:
        offer = session.get(MailItem, threaded.items["offer"])
        assert offer is not None
        offer.tracking_state = "tracked"
    window = MainWindow(WorkspaceServices(threaded.workspace))
    qtbot.addWidget(window)
    window.conversations_action.trigger()
    assert window.navigation.select_place(Place("folder", threaded.folders["inbox"]))

    tracked = window.message_list.model.index(0, COLUMN_TRACKED)
    assert tracked.data(Qt.ItemDataRole.AccessibleTextRole) == "Tracked"
    assert window.message_list.model.index(1, COLUMN_TRACKED).data(
        Qt.ItemDataRole.AccessibleTextRole
    ) == ("Not tracked")


def test_right_opens_a_conversation_and_left_closes_it(grouped: MainWindow, qtbot: QtBot) -> None:
    key(grouped, qtbot, Qt.Key.Key_Right)

    assert shown(grouped)[:3] == [
        "Oferta na licencje 2027",
        "Oferta na licencje 2027",
        "RE: Oferta na licencje 2027",
    ]
    assert shown(grouped, COLUMN_SENDER)[0].startswith("▾")

    key(grouped, qtbot, Qt.Key.Key_Down)
    key(grouped, qtbot, Qt.Key.Key_Left)

    assert len(shown(grouped)) == 4


def test_clicking_a_conversations_arrow_opens_it(grouped: MainWindow, qtbot: QtBot) -> None:
    view = grouped.message_list.view
    cell = view.visualRect(grouped.message_list.model.index(0, COLUMN_SENDER))

    arrow = QPoint(cell.left() + 6, cell.center().y())

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=arrow)

    assert len(shown(grouped)) == 6


def test_the_conversation_row_shows_its_newest_message_in_the_reading_pane(
    grouped: MainWindow,
) -> None:
    assert grouped.reading_pane.subject.text() == "RE: Oferta na licencje 2027"


def test_an_older_message_of_a_conversation_opens_it_to_be_selected(
    grouped: MainWindow, threaded: BuiltProfile
) -> None:
    assert grouped.message_list.select_item(threaded.items["offer"])

    assert grouped.message_list.selected_items() == [threaded.items["offer"]]
    assert grouped.reading_pane.subject.text() == "Oferta na licencje 2027"


def test_marking_a_conversation_row_read_marks_each_of_its_messages(
    grouped: MainWindow, threaded: BuiltProfile
) -> None:
    grouped.mail.read_action.trigger()

    with threaded.workspace.local.sessions() as session:
        for key_ in ("offer", "offer answer"):
            item = session.get(MailItem, threaded.items[key_])
            assert item is not None and item.is_read
    model = grouped.message_list.model
    assert not model.index(0, COLUMN_SUBJECT).data(Qt.ItemDataRole.FontRole)


def test_reply_on_a_conversation_row_answers_its_newest_message(
    grouped: MainWindow,
) -> None:
    """As in Outlook: the row shows its newest message, and Reply answers that one."""
    assert grouped.mail.reply_action.isEnabled()
    seen: list[str] = []

    def look(dialog: ComposeDialog) -> None:
        seen.append(dialog.subject.text())
        dialog.reject()

    failures = when_dialog_opens(look, ComposeDialog)
    grouped.mail.reply_action.trigger()

    assert not failures
    assert seen == ["RE: Oferta na licencje 2027"]


def test_the_view_menu_speaks_polish(in_polish: None, qtbot: QtBot, threaded: BuiltProfile) -> None:
    window = MainWindow(WorkspaceServices(threaded.workspace))
    qtbot.addWidget(window)

    assert window.conversations_action.text() == "Pokaż jako konwersacje"


def test_a_screen_reader_hears_who_and_how_many_and_whether_it_is_open(
    grouped: MainWindow,
) -> None:
    heading = grouped.message_list.model.index(0, COLUMN_SENDER)

    assert heading.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Jan Kowalski, Conversation of 2 messages, 2 unread, collapsed"
    )
