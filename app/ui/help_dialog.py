"""Help: the user guide (F1) and the keyboard shortcut sheet, built in and offline.

The guide is a page per language in resources/help (guide.<language>.html), English when the
window's language has none. The shortcut sheet is read from the window's own actions, so it
names every key the window answers to, in the window's language, and is never out of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.shipped import resources_dir
from app.ui.dialog_parts import keep_content_whole
from app.ui.icons import app_icon

GUIDE_SECTIONS = (
    "tracking",
    "options",
    "tokens",
    "smart-matching",
    "offline",
    "navigation",
    "mail",
)


def guide_path(language: str) -> Path:
    folder = resources_dir() / "help"
    path = folder / f"guide.{language}.html"
    return path if path.exists() else folder / "guide.en.html"


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what it does, its keys) for every action with a shortcut, in the order given."""
    rows = []
    for action in actions:
        keys = action.shortcut()
        if keys.isEmpty():
            continue
        what = action.text().replace("&", "").replace("…", "")
        rows.append((what, keys.toString(QKeySequence.SequenceFormat.NativeText)))
    return rows


class HelpDialog(QDialog):
    GUIDE, SHORTCUTS = 0, 1

    def __init__(
        self, language: str, actions: Iterable[QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("Liaison help"))
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        keep_content_whole(self, 480)
        self.resize(720, 600)
        self.tabs = QTabWidget()
        self.guide = QTextBrowser()
        self.guide.setObjectName("userGuide")
        self.guide.setAccessibleName(self.tr("User guide"))
        self.guide.setOpenExternalLinks(False)  # offline: nothing leaves the guide
        self.guide.setHtml(guide_path(language).read_text(encoding="utf-8"))
        self.shortcuts = QTextBrowser()
        self.shortcuts.setObjectName("shortcutSheet")
        self.shortcuts.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.shortcuts.setHtml(self._sheet(shortcut_rows(actions)))
        self.tabs.addTab(self.guide, self.tr("User guide"))
        self.tabs.addTab(self.shortcuts, self.tr("Keyboard shortcuts"))
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _sheet(self, rows: list[tuple[str, str]]) -> str:
        lines = "".join(
            f"<tr><td style='padding-right:24px'>{escape(what)}</td>"
            f"<td><b>{escape(keys)}</b></td></tr>"
            for what, keys in rows
        )
        title = escape(self.tr("Keyboard shortcuts"))
        return f"<h2>{title}</h2><table>{lines}</table>"
