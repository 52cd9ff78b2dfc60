"""`python -m app.ui.screenshot [OUT.png] [--dark] [--language pl]`: the main window on the demo
mailbox after its first sync, with a tracked message selected, as a PNG.

For the README (resources/screenshots/demo.png, the default) and for looking at the window
without a display (offscreen by default).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.services.workspace import WorkspaceServices
from app.shipped import resources_dir
from app.ui.appearance import DARK, LIGHT, apply_appearance
from app.ui.i18n import install_language
from app.ui.launch import open_demo
from app.ui.main_window import MainWindow

SETTLE_MS = 300
SYNC_WAIT_MS = 300_000


def default_path() -> Path:
    return resources_dir() / "screenshots" / "demo.png"


@dataclass(frozen=True, slots=True)
class DemoShot:
    """The PNG and what the window showed in it."""

    path: Path
    messages: int  # rows in the message list
    subject: str  # of the selected message
    crm_state: str  # what the CRM pane says of it


def first_sync(window: MainWindow) -> None:
    """Run one sync (the demo's mailbox is empty until then) and wait for it."""
    loop = QEventLoop()
    window.sync_finished.connect(lambda _outcome: loop.quit())
    QTimer.singleShot(SYNC_WAIT_MS, loop.quit)
    window.start_sync()
    loop.exec()
    window.stop_sync()


def settle(milliseconds: int = SETTLE_MS) -> None:
    """Let the window lay out and paint (and background work report back)."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def show_a_tracked_message(window: MainWindow) -> None:
    """Select the newest tracked message, so the CRM pane has something to say."""
    model = window.message_list.model
    for row in range(min(model.rowCount(), 200)):
        item_id = model.item_id(row)
        message = window.services.message(item_id) if item_id is not None else None
        facts = window.services.crm_facts(message) if message is not None else None
        if facts is not None and facts.regarding is not None:
            window.message_list.select_item(facts.item_id)
            return


def render(window: MainWindow, out: Path) -> Path:
    window.show()
    settle()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"cannot write {out}")
    return out


def shoot_demo(out: Path, dark: bool = False, language: str = "en") -> DemoShot:
    application = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(application, QApplication)
    profile = open_demo()
    try:
        install_language(language)
        apply_appearance(application, DARK if dark else LIGHT)
        window = MainWindow(WorkspaceServices(profile.workspace))
        window.show()
        first_sync(window)
        show_a_tracked_message(window)
        shot = DemoShot(
            render(window, out),
            window.message_list.model.rowCount(),
            window.reading_pane.subject.text(),
            window.crm_pane.state.text(),
        )
        window.close()
    finally:
        profile.close()
    return shot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.screenshot")
    parser.add_argument(
        "out", type=Path, nargs="?", default=default_path(), help="the PNG file to write"
    )
    parser.add_argument("--dark", action="store_true", help="the dark palette")
    parser.add_argument("--language", default="en", help="en or pl")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A fresh demo profile, so the picture never shows what someone did in their own demo.
    with tempfile.TemporaryDirectory(prefix="liaison-screenshot-") as home:
        os.environ["LIAISON_HOME"] = home
        print(shoot_demo(args.out.resolve(), args.dark, args.language).path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
