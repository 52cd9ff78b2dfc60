"""New email: To, Cc, Subject, the text, and the record it is regarding. Sent by the next sync;
tracked (with the tracking token in its subject) regarding the chosen record, or when the
track-new-email setting says so, else sent untracked (app.tracking.outgoing)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.crm.search import RecordHit, RecordKey
from app.services.compose import EmailDraft
from app.ui.dialog_parts import error_line, keep_content_whole
from app.ui.errors import user_message
from app.ui.icons import icon
from app.ui.regarding_field import RegardingField

log = logging.getLogger(__name__)


def split_addresses(text: str) -> tuple[str, ...]:
    """`a@x.pl; Jan <b@y.pl>, c@z.de` -> each address as typed; commas inside quotes kept."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char in ",;" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return tuple(part.strip() for part in parts if part.strip())


class ComposeDialog(QDialog):
    def __init__(
        self,
        search: Callable[[str], list[RecordHit]],
        send: Callable[[EmailDraft], str],
        parent: QWidget | None = None,
        to: str = "",
        subject: str = "",
        regarding: tuple[RecordKey, str] | None = None,
        cc: str = "",
        body: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New email"))
        self.setWindowIcon(icon("compose"))
        self.resize(680, 560)
        self._send = send
        self.sent_subject: str | None = None
        form = QFormLayout(self)
        keep_content_whole(self)
        self.to = QLineEdit(to)
        self.to.setObjectName("composeTo")
        self.to.setPlaceholderText(self.tr("name@example.com; another@example.com"))
        self.cc = QLineEdit(cc)
        self.cc.setObjectName("composeCc")
        self.subject = QLineEdit(subject)
        self.subject.setObjectName("composeSubject")
        self.regarding = RegardingField(search)
        if regarding is not None:
            self.regarding.set_record(*regarding)
        self.body = QPlainTextEdit(body)
        self.body.setObjectName("composeBody")
        self.body.setAccessibleName(self.tr("Message text"))
        form.addRow(self.tr("To:"), self.to)
        form.addRow(self.tr("Cc:"), self.cc)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("Regarding:"), self.regarding)
        form.addRow(self.body)
        note = QLabel(
            self.tr(
                "Sent at the next sync. Choose the record it is regarding to track it in the "
                "CRM (a tracking token is added to the subject so replies are tracked too); "
                "without one it is tracked only if your settings track every new email."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        self.error = error_line("composeError")
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setIcon(icon("sent"))
        self.send_button.setShortcut("Ctrl+Return")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def accept(self) -> None:
        to = split_addresses(self.to.text())
        if not to:
            self.complain(self.tr("Add at least one recipient."))
            return
        if not self.subject.text().strip():
            self.complain(self.tr("Give the message a subject."))
            return
        draft = EmailDraft(
            to=to,
            cc=split_addresses(self.cc.text()),
            subject=self.subject.text().strip(),
            body=self.body.toPlainText(),
            regarding=self.regarding.key,
        )
        try:
            self.sent_subject = self._send(draft)
        except Exception as exc:
            log.warning("the message was not queued: %s", exc)
            self.complain(user_message(exc))
            return
        super().accept()

    def complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
