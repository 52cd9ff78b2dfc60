"""The mail page at a laptop's 1024 px and on a full HD screen: the list, the reading pane and
the CRM pane share the width, the reading pane's Reply, Reply All and Forward give up their
words before the list gives up its columns, and a pane the user dragged stays where it was put."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from app.services.workspace import WorkspaceServices
from app.ui import i18n
from app.ui.main_window import MainWindow
from tests.ui.mailbox_builder import BuiltProfile


@pytest.fixture(params=["en", "pl"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.install_language(request.param)
    yield request.param
    i18n.install_language("en")


def shown(qtbot: QtBot, profile: BuiltProfile, width: int, height: int) -> MainWindow:
    window = MainWindow(WorkspaceServices(profile.workspace))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    window.message_list.select_item(profile.items["offer"])
    qtbot.wait(50)
    return window


def response_styles(window: MainWindow) -> set[Qt.ToolButtonStyle]:
    bar = window.reading_pane.responses
    shown_row = bar.wide if bar.wide.isVisible() else bar.narrow
    return {button.toolButtonStyle() for button in shown_row.findChildren(QToolButton)}


def test_at_1024_px_the_list_keeps_room_for_sender_and_subject(
    qtbot: QtBot, profile: BuiltProfile, language: str
) -> None:
    window = shown(qtbot, profile, 1024, 700)

    list_width, reading_width, _crm = window.mail_page.sizes()

    assert list_width >= 250 and reading_width >= 250


def test_at_1024_px_in_polish_the_responses_are_icons_that_say_their_words_on_hover(
    qtbot: QtBot, profile: BuiltProfile
) -> None:
    i18n.install_language("pl")
    try:
        window = shown(qtbot, profile, 1024, 700)
    finally:
        i18n.install_language("en")

    assert response_styles(window) == {Qt.ToolButtonStyle.ToolButtonIconOnly}
    assert window.mail.reply_action.text() == "Odpowiedz"
    assert window.mail.reply_action.toolTip().startswith("Odpowiedz")


def test_on_a_full_hd_screen_the_responses_say_their_words(
    qtbot: QtBot, profile: BuiltProfile, language: str
) -> None:
    window = shown(qtbot, profile, 1920, 1080)

    list_width, reading_width, crm_width = window.mail_page.sizes()

    assert response_styles(window) == {Qt.ToolButtonStyle.ToolButtonTextBesideIcon}
    assert reading_width > list_width > crm_width


def test_a_pane_the_user_dragged_keeps_its_width_when_the_window_grows(
    qtbot: QtBot, profile: BuiltProfile
) -> None:
    window = shown(qtbot, profile, 1280, 800)
    window.mail_page.moveSplitter(400, 1)  # the user drags the list's edge to 400 px

    window.resize(1600, 900)
    qtbot.wait(50)

    assert window.mail_page.sizes()[0] == 400
