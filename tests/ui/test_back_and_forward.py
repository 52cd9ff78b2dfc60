"""Back and Forward between mail and records (Alt+Left/Right, the mouse's side buttons), with the
folder tree showing where the user is."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from app.crm.search import RecordKey
from app.tracking.model import RecordType
from app.ui.main_window import MainWindow
from app.ui.navigation import TASKS, Place
from app.ui.place_history import PlaceHistory
from tests.ui.mailbox_builder import BuiltProfile


def inbox(profile: BuiltProfile) -> Place:
    return Place("folder", profile.folders["inbox"])


def test_a_history_forgets_what_was_forward_of_a_new_visit() -> None:
    history: PlaceHistory[str] = PlaceHistory()
    for place in ("Inbox", "Tasks", "Acme"):
        history.visit(place)
    assert history.back() == "Tasks"
    history.visit("Calendar")
    assert not history.can_go_forward()
    assert history.back() == "Tasks" and history.back() == "Inbox"
    assert history.back() is None


def test_opening_a_record_shows_its_list_in_the_tree_and_back_returns_to_the_mail(
    window: MainWindow, profile: BuiltProfile
) -> None:
    window.navigation.select_place(inbox(profile))
    window.message_list.select_item(profile.items["delivery"])
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    window.open_record(acme)
    assert window.pages.currentWidget() is window.records_page
    assert window.navigation.current_place() == Place("records", record_type=RecordType.ACCOUNT)

    window.back_forward.back_action.trigger()
    assert window.pages.currentWidget() is window.mail_page
    assert window.navigation.current_place() == inbox(profile)
    assert window.message_list.model.rowCount() > 0

    window.back_forward.forward_action.trigger()
    assert window.pages.currentWidget() is window.records_page
    assert window.records_page.view.details is not None
    assert window.records_page.view.details.summary.key == acme


def test_back_and_forward_are_alt_left_and_alt_right(window: MainWindow) -> None:
    assert window.back_forward.back_action.shortcut() == QKeySequence("Alt+Left")
    assert window.back_forward.forward_action.shortcut() == QKeySequence("Alt+Right")


def test_the_mouse_back_button_goes_back_wherever_it_is_pressed(
    qtbot: QtBot, window: MainWindow, profile: BuiltProfile
) -> None:
    window.navigation.select_place(inbox(profile))
    window.navigation.select_place(TASKS)
    assert window.pages.currentWidget() is window.tasks_page
    qtbot.mouseClick(window.tasks_page.list.viewport(), Qt.MouseButton.BackButton, pos=QPoint(5, 5))
    assert window.pages.currentWidget() is window.mail_page
    qtbot.mouseClick(window.message_list.view.viewport(), Qt.MouseButton.ForwardButton)
    assert window.pages.currentWidget() is window.tasks_page
