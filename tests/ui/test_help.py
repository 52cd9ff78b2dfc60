"""Help: F1 opens the built-in guide in the window's language, and a sheet of every key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.services.workspace import WorkspaceServices
from app.ui import i18n
from app.ui.help_dialog import GUIDE_SECTIONS, HelpDialog, guide_path
from app.ui.main_window import MainWindow
from tests.ui.dialogs import when_dialog_opens


@pytest.fixture
def back_to_english() -> Iterator[None]:
    yield
    i18n.install_language("en")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_guide_explains_each_subject_in_each_language(language: str) -> None:
    text = guide_path(language).read_text(encoding="utf-8")
    for section in GUIDE_SECTIONS:
        assert f'id="{section}"' in text
    assert "http" not in text  # offline: nothing to fetch


def test_f1_opens_the_guide_with_the_four_options_and_the_shortcut_sheet(
    window: MainWindow,
) -> None:
    assert window.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    seen: list[str] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, HelpDialog)
        seen.append(dialog.guide.toPlainText())
        seen.append(dialog.shortcuts.toPlainText())
        dialog.reject()

    failures = when_dialog_opens(read, HelpDialog)
    window.guide_action.trigger()
    assert not failures
    guide, sheet = seen
    assert "Only responses to CRM email" in guide and "CRM:0001007" in guide
    for what, keys in (("Sync now", "F9"), ("Back", "Alt+Left"), ("User guide", "F1")):
        assert what in sheet and keys in sheet


def test_a_polish_window_opens_the_polish_guide(
    qtbot: QtBot, services: WorkspaceServices, back_to_english: None
) -> None:
    i18n.install_language("pl")
    window = MainWindow(services)
    qtbot.addWidget(window)
    dialog = HelpDialog(i18n.shown_language(), window.actions())
    assert "Cztery opcje śledzenia" in dialog.guide.toPlainText()
    assert "Synchronizuj" in dialog.shortcuts.toPlainText()
    dialog.deleteLater()
