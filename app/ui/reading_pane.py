"""The reading pane: the message's headers, a safe body, and its attachments."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.mailbox.views import MessageDetails
from app.tracking.model import Address
from app.ui.formatting import file_size, long_moment
from app.ui.icons import icon
from app.ui.response_bar import ResponseBar
from app.ui.safe_browser import SafeBrowser


def _address_text(address: Address) -> str:
    if address.name and address.name != address.email:
        return f"{address.name} <{address.email}>"
    return address.email


AttachmentIndexRole = Qt.ItemDataRole.UserRole + 1


class ReadingPane(QWidget):
    attachment_opened = Signal(int, int)  # item id, attachment index
    attachment_save_requested = Signal(int, int, str)  # item id, attachment index, its name
    attachments_save_requested = Signal(int)  # item id: save them all

    def __init__(self, responses: Sequence[QAction] = (), parent: QWidget | None = None) -> None:
        """`responses`: Reply, Reply All, Forward, shown as buttons above the message."""
        super().__init__(parent)
        self._responses = responses
        self.setObjectName("readingPane")
        self._stack = QStackedLayout(self)
        self._empty = QLabel(self.tr("Select a message to read it."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._message_view())
        self._stack.setCurrentWidget(self._empty)
        self.message: MessageDetails | None = None

    def _message_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(4)
        if self._responses:
            self.responses = ResponseBar(self._responses)
            layout.addWidget(self.responses)
        self.subject = QLabel()
        self.subject.setObjectName("subject")
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        subject_font = QFont(self.subject.font())
        subject_font.setPointSizeF(subject_font.pointSizeF() * 1.35)
        subject_font.setBold(True)
        self.subject.setFont(subject_font)
        self.sender = QLabel()
        self.sender.setWordWrap(True)  # a long address must not push the message list aside
        self.sender.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recipients = QLabel()
        self.recipients.setWordWrap(True)
        self.recipients.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.received = QLabel()
        self.received.setEnabled(False)
        layout.addWidget(self.subject)
        layout.addWidget(self.sender)
        layout.addWidget(self.recipients)
        layout.addWidget(self.received)

        self.images_bar = QFrame()
        self.images_bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.images_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        self.images_note = QLabel()
        self.images_note.setWordWrap(True)
        self.load_images = QPushButton(icon("image"), self.tr("Load images"))
        self.load_images.setToolTip(
            self.tr(
                "Fetch this message's pictures from the internet; the sender may learn you read it"
            )
        )
        bar.addWidget(self.images_note, 1)
        bar.addWidget(self.load_images)
        self.images_bar.hide()
        layout.addWidget(self.images_bar)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        self.body = SafeBrowser()
        self.body.setAccessibleName(self.tr("Message text"))
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.body, 1)
        self.attachments = QListWidget()
        self.attachments.setObjectName("readingAttachments")
        self.attachments.setAccessibleName(self.tr("Attachments"))
        self.attachments.setToolTip(self.tr("Double-click to open; right-click to save"))
        self.attachments.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.attachments.customContextMenuRequested.connect(self._attachment_menu)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.attachments.setFlow(QListWidget.Flow.LeftToRight)
        self.attachments.setWrapping(True)
        self.attachments.setMaximumHeight(self.fontMetrics().height() * 2 + 12)
        self.attachments.hide()
        layout.addWidget(self.attachments)
        self.load_images.clicked.connect(self._load_images)
        return view

    def clear(self) -> None:
        self.message = None
        self._stack.setCurrentWidget(self._empty)

    def show_message(self, message: MessageDetails) -> None:
        self.message = message
        self.subject.setText(message.subject or self.tr("(no subject)"))
        self.sender.setText(
            self.tr("From: %1").replace("%1", _address_text(message.sender))
            if message.sender
            else self.tr("From: (unknown sender)")
        )
        lines = []
        if message.to:
            lines.append(self.tr("To: %1").replace("%1", "; ".join(map(_address_text, message.to))))
        if message.cc:
            lines.append(self.tr("Cc: %1").replace("%1", "; ".join(map(_address_text, message.cc))))
        self.recipients.setText("\n".join(lines))
        self.recipients.setVisible(bool(lines))
        self.received.setText(long_moment(message.received_at or message.sent_at))
        self._show_body(message)
        self._show_attachments(message)
        self._stack.setCurrentIndex(1)

    def _show_body(self, message: MessageDetails) -> None:
        self.images_bar.hide()
        if message.body_html:
            self.body.show_html(message.body_html)
            blocked = self.body.blocked_count()
            if blocked:
                self.images_note.setText(
                    self.tr(
                        "%n picture(s) from the internet not shown, to protect your privacy.",
                        "",
                        blocked,
                    )
                )
                self.images_bar.show()
        elif message.body_text is not None:
            self.body.show_text(message.body_text)
        elif not message.body_fetched:
            self.body.show_html(
                "<p><i>"
                + escape(self.tr("The body of this message is downloaded at the next sync."))
                + "</i></p>"
            )
        else:
            self.body.show_text("")

    def _show_attachments(self, message: MessageDetails) -> None:
        self.attachments.clear()
        visible = [attachment for attachment in message.attachments if not attachment.inline]
        for attachment in visible:
            text = attachment.name or self.tr("(unnamed attachment)")
            size = file_size(attachment.size)
            item = QListWidgetItem(icon("attachment"), f"{text}  {size}".strip())
            item.setToolTip(attachment.content_type or "")
            item.setData(AttachmentIndexRole, attachment.index)
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(visible))

    def _attachment_at(self, item: QListWidgetItem | None) -> tuple[int, int, str] | None:
        if item is None or self.message is None:
            return None
        index = int(item.data(AttachmentIndexRole))
        info = next((a for a in self.message.attachments if a.index == index), None)
        return (self.message.id, index, info.name if info is not None else "")

    def _open_attachment(self, item: QListWidgetItem) -> None:
        chosen = self._attachment_at(item)
        if chosen is not None:
            self.attachment_opened.emit(chosen[0], chosen[1])

    def _attachment_menu(self, position: QPoint) -> None:
        chosen = self._attachment_at(self.attachments.itemAt(position))
        if chosen is None:
            return
        item_id, index, name = chosen
        menu = self.attachment_menu(item_id, index, name)
        menu.exec(self.attachments.viewport().mapToGlobal(position))

    def attachment_menu(self, item_id: int, index: int, name: str) -> QMenu:
        """Open, Save as…, Save all attachments… for one attachment."""
        menu = QMenu(self)
        menu.addAction(
            icon("open-record"),
            self.tr("Open"),
            lambda: self.attachment_opened.emit(item_id, index),
        )
        menu.addAction(
            icon("save"),
            self.tr("Save as…"),
            lambda: self.attachment_save_requested.emit(item_id, index, name),
        )
        menu.addAction(
            icon("save"),
            self.tr("Save all attachments…"),
            lambda: self.attachments_save_requested.emit(item_id),
        )
        return menu

    def _load_images(self) -> None:
        self.images_bar.hide()
        self.body.load_remote_content()
