"""Every window and dialog, in English and Polish, at its smallest (the main window at
1024x700): no label or button text cut off, every control named for a screen reader and
reached by Tab, no English in the Polish window, and nothing left untranslated in the Polish
catalogue."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from app.services.workspace import WorkspaceServices
from app.ui import i18n
from tests.ui.every_window import MAIN_WINDOW_SIZE, WINDOWS
from tests.ui.language_checks import CATALOGUE, catalogue_path, english_texts
from tests.ui.layout_checks import clipped_texts, unnamed_controls, unreachable_controls
from tests.ui.mailbox_builder import BuiltProfile

LANGUAGES = ["en", "pl"]


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    assert i18n.install_language(request.param) == request.param
    yield request.param
    i18n.install_language("en")


def shown_at_smallest(
    qtbot: QtBot, name: str, profile: BuiltProfile, services: WorkspaceServices
) -> QWidget:
    window = WINDOWS[name](profile, services)
    qtbot.addWidget(window)
    window.show()
    if isinstance(window, QMainWindow):
        window.resize(*MAIN_WINDOW_SIZE)
    else:
        window.resize(1, 1)  # the layout holds it at its minimum size
    qtbot.waitExposed(window)
    qtbot.wait(20)  # layouts settle, background reads report
    return window


@pytest.mark.parametrize("name", WINDOWS)
def test_no_text_is_cut_off_at_the_smallest_size(
    qtbot: QtBot, profile: BuiltProfile, services: WorkspaceServices, language: str, name: str
) -> None:
    window = shown_at_smallest(qtbot, name, profile, services)
    assert clipped_texts(window) == []


@pytest.mark.parametrize("name", WINDOWS)
def test_every_control_has_a_name_a_screen_reader_can_say(
    qtbot: QtBot, profile: BuiltProfile, services: WorkspaceServices, language: str, name: str
) -> None:
    window = shown_at_smallest(qtbot, name, profile, services)
    assert unnamed_controls(window) == []


@pytest.mark.parametrize("name", WINDOWS)
def test_tab_reaches_every_control(
    qtbot: QtBot, profile: BuiltProfile, services: WorkspaceServices, name: str
) -> None:
    window = shown_at_smallest(qtbot, name, profile, services)
    assert unreachable_controls(window) == []


@pytest.mark.parametrize("name", WINDOWS)
def test_a_polish_window_shows_no_english(
    qtbot: QtBot, profile: BuiltProfile, services: WorkspaceServices, name: str
) -> None:
    i18n.install_language("pl")
    try:
        window = shown_at_smallest(qtbot, name, profile, services)
        assert english_texts(window) == []
    finally:
        i18n.install_language("en")


def test_the_polish_catalogue_has_every_text_of_the_window_translated(tmp_path: Path) -> None:
    fresh = tmp_path / CATALOGUE
    shutil.copy(catalogue_path(), fresh)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = [str(path) for path in sorted(Path("app").glob("*.py"))]
    sources += [str(path) for path in sorted(Path("app/ui").glob("*.py"))]
    subprocess.run(
        [str(lupdate), *sources, "-locations", "none", "-no-obsolete", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    root = ElementTree.parse(fresh).getroot()
    untranslated = [
        message.findtext("source")
        for message in root.iter("message")
        if (translation := message.find("translation")) is None
        or translation.get("type") in ("unfinished", "obsolete", "vanished")
        or not "".join(translation.itertext()).strip()
    ]
    assert untranslated == []
