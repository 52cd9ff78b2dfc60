"""Help > About Liaison: version, licence, and the profile's folders with a button to open each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app import __version__
from app.ui.about_dialog import AboutDialog
from app.ui.main_window import MainWindow
from tests.ui.mailbox_builder import BuiltProfile


class FileManager(QObject):
    """Stands where the desktop's file manager would: Qt hands it every file: URL opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


@pytest.fixture
def file_manager() -> Iterator[FileManager]:
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "open")
    yield manager
    QDesktopServices.unsetUrlHandler("file")


def open_about(window: MainWindow, qtbot: QtBot) -> AboutDialog:
    help_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Help"
    )
    about = next(action for action in help_menu.actions() if action.text() == "About Liaison")
    about.trigger()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None)
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_about_shows_the_version_and_the_licence(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_about(window, qtbot)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"<b>Liaison</b> {__version__}" in texts
    assert "GPL-3.0-or-later" in dialog.licence.text()
    assert "GNU General Public License, version 3 or any later version" in dialog.licence.text()


def test_about_lists_the_data_settings_and_log_folders_of_the_open_profile(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    dialog = open_about(window, qtbot)
    paths = profile.workspace.paths
    assert dialog.path_labels["data"].text() == str(paths.data_dir)
    assert dialog.path_labels["config"].text() == str(paths.config_dir)
    assert dialog.path_labels["logs"].text() == str(paths.log_dir)


def test_each_open_button_hands_its_folder_to_the_file_manager(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot, file_manager: FileManager
) -> None:
    dialog = open_about(window, qtbot)
    for key in ("data", "config", "logs"):
        dialog.open_buttons[key].click()
    paths = profile.workspace.paths
    assert file_manager.opened == [str(paths.data_dir), str(paths.config_dir), str(paths.log_dir)]
    assert paths.log_dir.is_dir()  # made on demand: a profile that never logged has none yet
