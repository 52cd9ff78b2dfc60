"""The compose window: a new email, a reply or a forward. To, Cc and Bcc with address
completion, the subject, plain or rich text (bold, italic, lists, links), attachments with their
sizes against the server's limit, Track / Set Regarding, Save draft and Send.

Sent by the next sync (queued in the profile at once, offline too). Tracking follows Dynamics
(app.tracking.outgoing): the Track control shows the service's decision, off for a new email
unless a setting tracks every email written, on and regarding the same record for a reply to
tracked mail; left untouched, that decision stands; changed, the user's choice does.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QTextCharFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordKey
from app.mailbox.attachments import encoded_size
from app.services.compose import EmailDraft, QueuedEmail
from app.tracking.outgoing import OutgoingDecision, OutgoingRule
from app.ui.address_field import AddressField
from app.ui.compose_attachments import ComposeAttachments, dropped_files
from app.ui.dialog_parts import error_line, keep_content_whole
from app.ui.errors import user_message
from app.ui.formatting import file_size
from app.ui.icons import icon
from app.ui.ports import ComposePort
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


EMPTY_DRAFT = EmailDraft(to=(), cc=(), subject="", body="")


class ComposeDialog(QDialog):
    def __init__(
        self,
        services: ComposePort,
        draft: EmailDraft = EMPTY_DRAFT,
        parent: QWidget | None = None,
        regarding_name: str = "",
    ) -> None:
        """`draft`: what the form opens with (a reply's, a mailto link's, a saved draft's);
        `regarding_name`: the name of the record the draft is regarding, if it is."""
        super().__init__(parent)
        self.services = services
        self._draft = draft
        self.queued: QueuedEmail | None = None
        self.sent_subject: str | None = None
        self.saved_draft: int | None = draft.draft_id
        self._rich = draft.html is not None
        self.setWindowTitle(draft.subject or self.tr("New email"))
        self.setWindowIcon(icon("compose"))
        self.resize(760, 640)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        keep_content_whole(self)
        form = QFormLayout()
        layout.addLayout(form)
        complete = services.complete_addresses
        self.to = AddressField(complete, "; ".join(draft.to))
        self.to.setObjectName("composeTo")
        self.cc = AddressField(complete, "; ".join(draft.cc))
        self.cc.setObjectName("composeCc")
        self.bcc = AddressField(complete, "; ".join(draft.bcc))
        self.bcc.setObjectName("composeBcc")
        self.subject = QLineEdit(draft.subject)
        self.subject.setObjectName("composeSubject")
        form.addRow(self.tr("To:"), self.to)
        form.addRow(self.tr("Cc:"), self.cc)
        form.addRow(self.tr("Bcc:"), self.bcc)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("CRM:"), self._tracking_row())
        self.track_note = QLabel()
        self.track_note.setObjectName("trackNote")
        self.track_note.setWordWrap(True)
        self.track_note.setEnabled(False)
        form.addRow("", self.track_note)
        layout.addWidget(self._format_bar())
        self.body = QTextEdit()
        self.body.setObjectName("composeBody")
        self.body.setAccessibleName(self.tr("Message text"))
        self.body.setAcceptRichText(True)
        if draft.html is not None:
            self.body.setHtml(draft.html)
        else:
            self.body.setPlainText(draft.body)
        layout.addWidget(self.body, 1)
        self.attachments = ComposeAttachments()
        self.attachments.set_attached(draft.files, draft.carried)
        layout.addWidget(self.attachments)
        self.error = error_line("composeError")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            self.tr("Save draft"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setIcon(icon("drafts"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.send_button = self.buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setIcon(icon("sent"))
        self.send_button.setShortcut("Ctrl+Return")
        # Enter in a field never sends, saves or closes: Send is Ctrl+Return.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_draft)
        layout.addWidget(self.buttons)
        self._show_tracking(regarding_name)
        self.attachments.changed.connect(self._check_size)
        self._saved_state = self._state()
        (self.body if draft.to else self.to).setFocus()

    # Building

    def _tracking_row(self) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.track = QCheckBox(self.tr("Track"))
        self.track.setObjectName("composeTrack")
        self.track.setToolTip(
            self.tr(
                "Track this email in the CRM: it gets a tracking token in its subject, so "
                "replies are tracked too"
            )
        )
        self.regarding = RegardingField(self.services.search_records)
        line.addWidget(self.track)
        line.addWidget(QLabel(self.tr("Regarding:")))
        line.addWidget(self.regarding, 1)
        return row

    def _format_bar(self) -> QToolBar:
        bar = QToolBar(self.tr("Format"))
        bar.setObjectName("formatBar")
        self.bold_action = self._format_action(bar, self.tr("Bold"), "bold", "Ctrl+B")
        self.bold_action.toggled.connect(
            lambda on: self._merge(weight=QFont.Weight.Bold if on else QFont.Weight.Normal)
        )
        self.italic_action = self._format_action(bar, self.tr("Italic"), "italic", "Ctrl+I")
        self.italic_action.toggled.connect(lambda on: self._merge(italic=on))
        self.list_action = bar.addAction(icon("list"), self.tr("Bulleted list"))
        self.list_action.triggered.connect(self._bulleted_list)
        self.link_action = bar.addAction(icon("link"), self.tr("Link…"))
        self.link_action.setShortcut("Ctrl+K")
        self.link_action.triggered.connect(self._ask_link)
        return bar

    def _format_action(self, bar: QToolBar, text: str, name: str, shortcut: str) -> QAction:
        action = bar.addAction(icon(name), text)
        action.setCheckable(True)
        action.setShortcut(shortcut)
        action.setToolTip(f"{text} ({shortcut})")
        return action

    # Tracking

    def _show_tracking(self, regarding_name: str) -> None:
        decision = self.services.tracking_for(self._draft)
        regarding = decision.regarding
        if regarding is not None:
            self.regarding.set_record(
                RecordKey(regarding.type, regarding.id), regarding.name or regarding_name
            )
        self.track.setChecked(decision.track)
        self.regarding.setEnabled(decision.track)
        self.track_note.setText(self._decision_words(decision))
        self._default_tracking = (self.track.isChecked(), self.regarding.key)
        self.regarding.changed.connect(self._regarding_changed)
        self.track.toggled.connect(self._track_toggled)

    def _decision_words(self, decision: OutgoingDecision) -> str:
        return {
            OutgoingRule.RESPONSE_TO_TRACKED: self.tr(
                "A reply to tracked mail: tracked like it, with its tracking token."
            ),
            OutgoingRule.TRACK_NEW_EMAIL: self.tr("Your settings track every email you write."),
            OutgoingRule.REGARDING_CHOSEN: self.tr("Tracked regarding the record chosen."),
        }.get(
            decision.rule,
            self.tr("Not tracked unless you tick Track or choose the record it is regarding."),
        )

    def _regarding_changed(self) -> None:
        if self.regarding.key is not None:
            self.track.setChecked(True)

    def _track_toggled(self, on: bool) -> None:
        self.regarding.setEnabled(on)

    def _tracking_choice(self) -> tuple[bool | None, RecordKey | None]:
        """(track, regarding) for the draft: the decision shown stands while the controls
        are as they opened; otherwise what the user set."""
        chosen = (self.track.isChecked(), self.regarding.key)
        if chosen == self._default_tracking:
            return self._draft.track, self._draft.regarding
        track, key = chosen
        return track, key if track else None

    # Rich text

    def _merge(self, weight: QFont.Weight | None = None, italic: bool | None = None) -> None:
        text_format = QTextCharFormat()
        if weight is not None:
            text_format.setFontWeight(weight)
        if italic is not None:
            text_format.setFontItalic(italic)
        self._rich = True
        self.body.mergeCurrentCharFormat(text_format)
        self.body.setFocus()

    def _bulleted_list(self) -> None:
        self._rich = True
        self.body.textCursor().createList(QTextListFormat.Style.ListDisc)
        self.body.setFocus()

    def _ask_link(self) -> None:
        url, ok = QInputDialog.getText(self, self.tr("Link"), self.tr("Address of the link:"))
        if ok and url.strip():
            self.insert_link(url.strip())

    def insert_link(self, url: str) -> None:
        cursor = self.body.textCursor()
        text = cursor.selectedText() or url
        text_format = QTextCharFormat()
        text_format.setAnchor(True)
        text_format.setAnchorHref(url)
        text_format.setForeground(self.palette().link())
        text_format.setFontUnderline(True)
        cursor.insertText(text, text_format)
        cursor.insertText(" ", QTextCharFormat())
        self._rich = True

    # The message

    def draft(self) -> EmailDraft:
        """The message as the form holds it now."""
        track, regarding = self._tracking_choice()
        return replace(
            self._draft,
            to=split_addresses(self.to.text()),
            cc=split_addresses(self.cc.text()),
            bcc=split_addresses(self.bcc.text()),
            subject=self.subject.text().strip(),
            body=self.body.toPlainText(),
            html=self.body.toHtml() if self._rich else None,
            files=self.attachments.files,
            carried=self.attachments.carried,
            track=track,
            regarding=regarding,
            draft_id=self.saved_draft,
        )

    def _estimated_size(self, draft: EmailDraft) -> int:
        return encoded_size(draft.subject, draft.body, draft.html, [self.attachments.total_size()])

    def _too_large(self, draft: EmailDraft) -> str | None:
        """Words for a message over the server's limit (the size estimated without reading
        the files: they are read once, when the message is queued)."""
        limit, size = self.services.size_limit(), self._estimated_size(draft)
        if size <= limit:
            return None
        return (
            self.tr(
                "The message is %1 as sent; the server accepts at most %2. Attach fewer or "
                "smaller files, or share a link instead."
            )
            .replace("%1", file_size(size))
            .replace("%2", file_size(limit))
        )

    def _check_size(self) -> None:
        problem = self._too_large(self.draft())
        if problem is not None:
            self.complain(problem)
        else:
            self.error.hide()

    def accept(self) -> None:
        draft = self.draft()
        if not (draft.to or draft.cc or draft.bcc):
            self.complain(self.tr("Add at least one recipient."))
            return
        if not draft.subject:
            self.complain(self.tr("Give the message a subject."))
            return
        problem = self._too_large(draft)
        if problem is not None:
            self.complain(problem)
            return
        try:
            self.queued = self.services.queue_email(draft)
        except Exception as exc:
            log.warning("the message was not queued: %s", exc)
            self.complain(user_message(exc))
            return
        self.sent_subject = self.queued.subject
        self._saved_state = self._state()
        super().accept()

    def save_draft(self) -> bool:
        """Save to Drafts (here at once, on the server at the next sync); keeps the form open."""
        try:
            self.saved_draft = self.services.save_draft(self.draft())
        except Exception as exc:
            log.warning("the draft was not saved: %s", exc)
            self.complain(user_message(exc))
            return False
        self._saved_state = self._state()
        self.error.setText(self.tr("Saved in Drafts."))
        self.error.show()
        return True

    def _state(self) -> tuple[object, ...]:
        return (
            self.to.text(),
            self.cc.text(),
            self.bcc.text(),
            self.subject.text(),
            self.body.toHtml(),
            self.attachments.files,
            self.attachments.carried,
            self.track.isChecked(),
            self.regarding.key,
        )

    def has_unsaved_changes(self) -> bool:
        return self._state() != self._saved_state

    def reject(self) -> None:
        """Close; with changes not saved, ask first: save them as a draft, drop them, or stay."""
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved changes"),
                self.tr("Save this message in Drafts before closing?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save_draft():
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reject()
        if self.isVisible():
            event.ignore()

    def complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # Dropping files

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if files:
            self.attachments.add_files(files)
            event.acceptProposedAction()

    def attach(self, paths: list[Path]) -> None:
        self.attachments.add_files(paths)
