"""Personal options, on three tabs: what is tracked, automatic creation and exclusions; mail
(marking read, the signature); sync interval, language and appearance. Saved locally and applied
by the next sync; changing them never untracks anything."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.keyed_settings import SettingError
from app.mailbox.personal_options import PERSONAL_SCHEMA
from app.services.settings import DEFAULT_MARK_READ_SECONDS, MAX_MARK_READ_SECONDS, OptionsForm
from app.tracking.model import AutoCreate, TrackOption
from app.ui.appearance import APPEARANCES
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line, keep_content_whole
from app.ui.i18n import LANGUAGES, SYSTEM

MIN_INTERVAL, MAX_INTERVAL = 1, 1440


class OptionsDialog(QDialog):
    def __init__(self, form: OptionsForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Options"))
        self._initial = form
        self.result_form: OptionsForm | None = None
        layout = QVBoxLayout(self)
        keep_content_whole(self, 560)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("optionsTabs")
        layout.addWidget(self.tabs)
        tracking_page = QWidget()
        tracking_page_layout = QVBoxLayout(tracking_page)

        tracking = QGroupBox(self.tr("Track these email messages automatically"))
        tracking_layout = QVBoxLayout(tracking)
        self.track_choice = QButtonGroup(self)
        labels = {
            TrackOption.ALL: self.tr("All messages"),
            TrackOption.CRM_RESPONSES: self.tr("Only responses to CRM email"),
            TrackOption.CRM_CONTACTS: self.tr(
                "Messages whose sender is a CRM lead, contact or account"
            ),
            TrackOption.EMAIL_ENABLED: self.tr(
                "Messages whose sender is any email-enabled CRM record (users, queues, etc.)"
            ),
        }
        self.track_buttons: dict[TrackOption, QRadioButton] = {}
        for option, label in labels.items():
            button = QRadioButton(label)
            button.setObjectName(f"track-{option.value}")
            self.track_choice.addButton(button)
            self.track_buttons[option] = button
            tracking_layout.addWidget(button)
        self.track_buttons[form.tracking.track].setChecked(True)
        self.track_sent = QCheckBox(self.tr("Also evaluate the messages I send"))
        self.track_sent.setChecked(form.tracking.track_sent)
        tracking_layout.addWidget(self.track_sent)
        tracking_page_layout.addWidget(tracking)

        rules = QGroupBox(self.tr("Rules"))
        rules_layout = QFormLayout(rules)
        self.autocreate = QComboBox()
        self.autocreate.setObjectName("autocreate")
        for value, label in (
            (AutoCreate.OFF, self.tr("Off")),
            (AutoCreate.CONTACT, self.tr("Contacts")),
            (AutoCreate.LEAD, self.tr("Leads")),
        ):
            self.autocreate.addItem(label, value)
        self.autocreate.setCurrentIndex(self.autocreate.findData(form.tracking.autocreate))
        rules_layout.addRow(self.tr("Create records for unknown senders:"), self.autocreate)
        self.skip_private = QCheckBox(self.tr("Never track private or confidential messages"))
        self.skip_private.setChecked(form.tracking.skip_private)
        rules_layout.addRow(self.skip_private)
        self.never_track = QPlainTextEdit()
        self.never_track.setObjectName("neverTrack")
        self.never_track.setPlaceholderText(
            self.tr("one per line: someone@example.com or @example.com")
        )
        self.never_track.setPlainText("\n".join(sorted(form.tracking.never_track)))
        self.never_track.setFixedHeight(self.fontMetrics().height() * 5)
        rules_layout.addRow(self.tr("Never track these addresses and domains:"), self.never_track)
        tracking_page_layout.addWidget(rules)
        tracking_page_layout.addStretch(1)
        self.tabs.addTab(tracking_page, self.tr("Tracking"))
        self.tabs.addTab(self._mail_page(form), self.tr("Mail"))

        general_page = QWidget()
        general_page_layout = QVBoxLayout(general_page)
        general = QGroupBox(self.tr("General"))
        general_layout = QFormLayout(general)
        self.interval = QSpinBox()
        self.interval.setObjectName("syncInterval")
        self.interval.setRange(MIN_INTERVAL, MAX_INTERVAL)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setValue(form.sync_interval_minutes)
        general_layout.addRow(self.tr("Sync every:"), self.interval)
        self.language = QComboBox()
        self.language.setObjectName("language")
        language_names = {SYSTEM: self.tr("System language"), "en": "English", "pl": "Polski"}
        for value in (SYSTEM, *LANGUAGES):
            self.language.addItem(language_names[value], value)
        self.language.setCurrentIndex(max(0, self.language.findData(form.language)))
        general_layout.addRow(self.tr("Language:"), self.language)
        self.appearance = QComboBox()
        self.appearance.setObjectName("appearance")
        appearance_names = {
            SYSTEM: self.tr("Like the system"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for value in APPEARANCES:
            self.appearance.addItem(appearance_names[value], value)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(form.appearance)))
        general_layout.addRow(self.tr("Appearance:"), self.appearance)
        general_page_layout.addWidget(general)
        general_page_layout.addStretch(1)
        self.tabs.addTab(general_page, self.tr("General"))

        note = QLabel(
            self.tr("Changes apply from the next sync. Messages tracked before stay tracked.")
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        self.error = error_line("optionsError")
        layout.addWidget(self.error)
        self.button_box = accept_buttons(self, StandardButton.Ok)
        layout.addWidget(self.button_box)

    def _mail_page(self, form: OptionsForm) -> QWidget:
        page = QWidget()
        page_layout = QVBoxLayout(page)
        reading = QGroupBox(self.tr("Reading"))
        reading_layout = QFormLayout(reading)
        self.mark_read = QCheckBox(self.tr("Mark messages read after showing them for"))
        self.mark_read.setObjectName("markRead")
        self.mark_read_seconds = QSpinBox()
        self.mark_read_seconds.setObjectName("markReadSeconds")
        self.mark_read_seconds.setRange(0, MAX_MARK_READ_SECONDS)
        self.mark_read_seconds.setSuffix(self.tr(" s"))
        seconds = form.mark_read_seconds
        self.mark_read.setChecked(seconds is not None)
        self.mark_read_seconds.setValue(DEFAULT_MARK_READ_SECONDS if seconds is None else seconds)
        self.mark_read_seconds.setEnabled(seconds is not None)
        self.mark_read.toggled.connect(self.mark_read_seconds.setEnabled)
        reading_layout.addRow(self.mark_read, self.mark_read_seconds)
        page_layout.addWidget(reading)
        signature = QGroupBox(self.tr("Signature"))
        signature_layout = QVBoxLayout(signature)
        explained = QLabel(
            self.tr(
                "Added to new messages, replies and forwards, above the quoted text, as "
                "Outlook adds it."
            )
        )
        explained.setWordWrap(True)
        signature_layout.addWidget(explained)
        self.signature = QPlainTextEdit()
        self.signature.setObjectName("signature")
        self.signature.setAccessibleName(self.tr("Signature"))
        self.signature.setTabChangesFocus(True)
        self.signature.setPlaceholderText(self.tr("Your name, company and phone number"))
        self.signature.setPlainText(form.signature)
        self.signature.setFixedHeight(self.fontMetrics().height() * 7)
        signature_layout.addWidget(self.signature)
        page_layout.addWidget(signature)
        page_layout.addStretch(1)
        return page

    def accept(self) -> None:
        try:
            form = self.form()
        except SettingError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.result_form = form
        super().accept()

    def form(self) -> OptionsForm:
        """The options as entered; a malformed never-track entry raises SettingError."""
        entries = ",".join(self.never_track.toPlainText().split())
        _, never_track = PERSONAL_SCHEMA.parse("never-track", entries)
        track = next(option for option, button in self.track_buttons.items() if button.isChecked())
        tracking = replace(
            self._initial.tracking,
            track=track,
            autocreate=AutoCreate(self.autocreate.currentData()),
            skip_private=self.skip_private.isChecked(),
            track_sent=self.track_sent.isChecked(),
            never_track=frozenset(never_track),
        )
        return OptionsForm(
            tracking=tracking,
            sync_interval_minutes=self.interval.value(),
            language=str(self.language.currentData()),
            appearance=str(self.appearance.currentData()),
            mark_read_seconds=self.mark_read_seconds.value()
            if self.mark_read.isChecked()
            else None,
            signature=self.signature.toPlainText().strip("\n"),
        )
