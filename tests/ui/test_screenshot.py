"""The main window renders offscreen to a PNG, in light and dark, as the README's screenshot
(resources/screenshots/demo.png, `python -m app.ui.screenshot`) is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.workspace import WorkspaceServices
from app.ui.appearance import DARK, LIGHT, apply_appearance, is_dark
from app.ui.main_window import MainWindow
from app.ui.screenshot import render, shoot_demo, show_a_tracked_message
from tests.ui.mailbox_builder import BuiltProfile


def distinct_colours(image: QImage, step: int = 8) -> int:
    """Colours on a grid over the image: a blank or single-colour picture has one or two."""
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


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
        assert not image.isNull()
        assert (image.width(), image.height()) == (window.width(), window.height())
        assert distinct_colours(image) > 50
        corner = image.pixelColor(image.width() // 2, image.height() - 60)
        assert (corner.lightness() < 128) is (appearance == DARK)
        assert is_dark(application.palette()) is (appearance == DARK)
    finally:
        apply_appearance(application, LIGHT)


@pytest.mark.end_to_end  # it starts a sandbox server of its own
def test_the_demo_screenshot_shows_the_synced_mailbox_with_a_tracked_message(
    tmp_path: Path,
) -> None:
    shot = shoot_demo(tmp_path / "demo.png")

    assert shot.messages > 100
    assert shot.crm_state == "Tracked"
    assert shot.subject
    image = QImage(str(shot.path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1440, 880)
    assert distinct_colours(image) > 50
