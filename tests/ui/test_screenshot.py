"""The main window renders offscreen to a PNG, in light and dark, as the README's screenshot is
made."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.appearance import DARK, LIGHT, apply_appearance, is_dark
from app.ui.main_window import MainWindow
from app.ui.screenshot import render, show_a_tracked_message
from app.ui.services import WorkspaceServices
from tests.ui.mailbox_builder import BuiltProfile


@pytest.mark.parametrize("appearance", [LIGHT, DARK])
def test_the_main_window_renders_to_a_png_in_both_palettes(
    qtbot: QtBot,
    profile: BuiltProfile,
    services: WorkspaceServices,
    tmp_path: Path,
    appearance: str,
) -> None:
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    apply_appearance(application, appearance)
    try:
        services.set_regarding(profile.items["delivery"], services.search_records("muller")[0].key)
        window = MainWindow(services)
        qtbot.addWidget(window)
        show_a_tracked_message(window)
        assert window.reading_pane.subject.text() == "AW: Lieferung KW 47"

        path = render(window, tmp_path / f"main-{appearance}.png")

        image = QImage(str(path))
        assert (image.width(), image.height()) == (window.width(), window.height())
        corner = image.pixelColor(image.width() // 2, image.height() - 60)
        assert (corner.lightness() < 128) is (appearance == DARK)
        assert is_dark(application.palette()) is (appearance == DARK)
    finally:
        apply_appearance(application, LIGHT)
