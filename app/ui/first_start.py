"""What a profile without a mail account shows: the demo mailbox, or setting up an account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.icons import app_icon, icon

TEXT_WIDTH = 520


class FirstStartPage(QWidget):
    demo_requested = Signal()
    setup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStart")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(logo)
        title = QLabel(self.tr("Welcome to Liaison"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            self.tr(
                "Your Exchange mailbox beside your CRM. Connect your mailbox, or look around in "
                "a demo mailbox with its own CRM first: nothing leaves this computer."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A fixed width: centred by the layout alone, a wrapped label is given the width of a
        # short line and cuts the sentence off.
        text.setFixedWidth(TEXT_WIDTH)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.setup = QPushButton(icon("mail"), self.tr("Set up an account…"))
        self.setup.setObjectName("setupAccount")
        self.setup.setDefault(True)
        self.demo = QPushButton(icon("inbox"), self.tr("Open the demo mailbox"))
        self.demo.setObjectName("openDemo")
        for button in (self.setup, self.demo):
            button.setMinimumWidth(260)
            button.setMinimumHeight(36)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setEnabled(False)
        self.note.setFixedWidth(TEXT_WIDTH)
        layout.addWidget(self.note, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.setup.clicked.connect(self.setup_requested)
        self.demo.clicked.connect(self.demo_requested)

    def show_note(self, text: str) -> None:
        self.note.setText(text)
