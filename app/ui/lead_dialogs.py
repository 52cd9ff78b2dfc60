"""Qualify and Disqualify a lead. Qualify offers, for the account and the contact, to create one
from the lead, to link one of the existing records that match it, or none; and an opportunity.
Disqualify asks for the reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.crm.duplicate_rules import Candidate
from app.crm.fields import DISQUALIFY_REASONS
from app.crm.qualification import NEW, Pick, QualifyChoice, QualifyMatches
from app.ui.dialog_parts import StandardButton, accept_buttons, keep_content_whole
from app.ui.record_words import choice_label


class _PickGroup(QGroupBox):
    """Create one, link an existing one (the matches), or none."""

    def __init__(self, title: str, new_text: str | None, matches: tuple[Candidate, ...]) -> None:
        super().__init__(title)
        grid = QGridLayout(self)
        self.new = QRadioButton(new_text or self.tr("Create one (the lead has no name for it)"))
        self.new.setEnabled(new_text is not None)
        self.link = QRadioButton(self.tr("Link to an existing one:"))
        self.existing = QComboBox()
        for candidate in matches:
            detail = f" · {candidate.detail}" if candidate.detail else ""
            self.existing.addItem(f"{candidate.name}{detail}", candidate.id)
        if not matches:
            self.existing.addItem(self.tr("None matches the lead"))
        self.link.setEnabled(bool(matches))
        self.existing.setEnabled(bool(matches))
        self.none = QRadioButton(self.tr("None"))
        group = QButtonGroup(self)
        for button in (self.new, self.link, self.none):
            group.addButton(button)
        grid.addWidget(self.new, 0, 0, 1, 2)
        grid.addWidget(self.link, 1, 0)
        grid.addWidget(self.existing, 1, 1)
        grid.addWidget(self.none, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        # The matches are offered first: linking avoids a second copy of the customer.
        (self.link if matches else self.new if new_text else self.none).setChecked(True)

    def pick(self) -> Pick:
        if self.link.isChecked():
            chosen = self.existing.currentData()
            return int(chosen) if chosen is not None else None
        return NEW if self.new.isChecked() else None


class QualifyDialog(QDialog):
    def __init__(
        self,
        lead_name: str,
        company: str | None,
        matches: QualifyMatches,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qualifyDialog")
        self.setWindowTitle(self.tr("Qualify lead: %1").replace("%1", lead_name))
        self.choice: QualifyChoice | None = None
        layout = QVBoxLayout(self)
        keep_content_whole(self, 520)
        intro = QLabel(
            self.tr(
                "Qualifying makes a customer of the lead: an account for its company, a contact "
                "for its person and an opportunity for the sale. The lead is then closed."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.account = _PickGroup(
            self.tr("Account"),
            self.tr("Create the account “%1”").replace("%1", company) if company else None,
            matches.accounts,
        )
        self.contact = _PickGroup(
            self.tr("Contact"),
            self.tr("Create the contact “%1”").replace("%1", lead_name),
            matches.contacts,
        )
        layout.addWidget(self.account)
        layout.addWidget(self.contact)
        self.opportunity = QCheckBox(self.tr("Create an opportunity"))
        self.opportunity.setChecked(True)
        layout.addWidget(self.opportunity)
        self.moves = QLabel()
        self.moves.setObjectName("activitiesMoveTo")
        self.moves.setWordWrap(True)
        self.moves.setEnabled(False)
        layout.addWidget(self.moves)
        self.buttons = accept_buttons(self, StandardButton.Ok)
        self.buttons.button(StandardButton.Ok).setText(self.tr("Qualify"))
        layout.addWidget(self.buttons)
        for button in (
            self.account.new, self.account.link, self.account.none,
            self.contact.new, self.contact.link, self.contact.none,
        ):  # fmt: skip
            button.toggled.connect(self._say_where_activities_go)
        self.opportunity.toggled.connect(self._say_where_activities_go)
        self._say_where_activities_go()

    def _say_where_activities_go(self) -> None:
        if self.opportunity.isChecked():
            text = self.tr("The lead's activities will be regarding the new opportunity.")
        elif self.contact.pick() is not None:
            text = self.tr("The lead's activities will be regarding the contact.")
        elif self.account.pick() is not None:
            text = self.tr("The lead's activities will be regarding the account.")
        else:
            text = self.tr("The lead's activities stay regarding the lead.")
        self.moves.setText(text)

    def accept(self) -> None:
        self.choice = QualifyChoice(
            self.account.pick(), self.contact.pick(), self.opportunity.isChecked()
        )
        super().accept()


class DisqualifyDialog(QDialog):
    def __init__(self, lead_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disqualifyDialog")
        self.setWindowTitle(self.tr("Disqualify lead: %1").replace("%1", lead_name))
        self.reason: str | None = None
        layout = QVBoxLayout(self)
        keep_content_whole(self, 420)
        form = QFormLayout()
        self.reasons = QComboBox()
        for reason in DISQUALIFY_REASONS:
            self.reasons.addItem(choice_label(reason), reason)
        form.addRow(self.tr("Reason"), self.reasons)
        layout.addLayout(form)
        note = QLabel(self.tr("The lead is closed and kept, with its activities."))
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        self.buttons = accept_buttons(self, StandardButton.Ok)
        self.buttons.button(StandardButton.Ok).setText(self.tr("Disqualify"))
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        self.reason = self.reasons.currentData()
        super().accept()
