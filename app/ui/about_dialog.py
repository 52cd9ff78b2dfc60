"""Help > About Liaison: the version, the licence, and the folders this profile uses, each with a
button that opens it in the file manager (where a user looks for the log or a backup)."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.config import ProfilePaths
from app.ui.dialog_parts import keep_content_whole
from app.ui.icons import app_icon

LICENCE_ID = "GPL-3.0-or-later"


class AboutDialog(QDialog):
    def __init__(self, paths: ProfilePaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Liaison"))
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(f"<b>Liaison</b> {__version__}")
        title.setObjectName("aboutTitle")
        summary = QLabel(self.tr("Your Exchange mailbox beside your CRM records."))
        self.licence = QLabel(
            self.tr(
                "Free software under the GNU General Public License, version 3 or any later "
                "version (%1). It comes with no warranty."
            ).replace("%1", LICENCE_ID)
        )
        self.licence.setWordWrap(True)
        versions = QLabel(
            self.tr("Python %1, Qt %2, profile “%3”")
            .replace("%1", platform.python_version())
            .replace("%2", qVersion())
            .replace("%3", paths.profile)
        )

        self.folders = QGridLayout()
        self.open_buttons: dict[str, QPushButton] = {}
        self.path_labels: dict[str, QLabel] = {}
        for row, (key, name, folder) in enumerate(
            (
                ("data", self.tr("Data"), paths.data_dir),
                ("config", self.tr("Settings"), paths.config_dir),
                ("logs", self.tr("Logs"), paths.log_dir),
            )
        ):
            label = QLabel(str(folder))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Open"))
            button.setToolTip(self.tr("Show this folder in the file manager"))
            button.clicked.connect(lambda _checked=False, where=folder: open_folder(where))
            self.folders.addWidget(QLabel(name), row, 0)
            self.folders.addWidget(label, row, 1)
            self.folders.addWidget(button, row, 2)
            self.path_labels[key] = label
            self.open_buttons[key] = button
        self.folders.setColumnStretch(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        heading = QGridLayout()
        heading.addWidget(logo, 0, 0, 2, 1)
        heading.addWidget(title, 0, 1)
        heading.addWidget(summary, 1, 1)
        heading.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.licence)
        layout.addWidget(versions)
        layout.addLayout(self.folders)
        layout.addWidget(buttons)
        keep_content_whole(self)


def open_folder(folder: Path) -> bool:
    """Open `folder` in the desktop's file manager, making it first if nothing was written yet."""
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
