"""The CRM pane beside the message: tracked or not, regarding what, why, and who is who."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.crm.search import RecordKey, RecordSummary
from app.services.mail import CrmPaneFacts, PartyFact, TrackingState
from app.tracking.model import Address, RecordType
from app.ui import why
from app.ui.formatting import breakable, record_type_name
from app.ui.icons import icon

_STATE_ICONS = {
    TrackingState.TRACKED: "tracked",
    TrackingState.PENDING: "pending",
    TrackingState.FAILED: "failed",
}


def record_link(record: RecordSummary) -> str:
    href = f"record:{record.key.type.value}:{record.key.id}"
    label = f"{record_type_name(record.key.type)} {record.name}".strip()
    return f'<a href="{href}">{escape(label)}</a>'


def parse_record_link(href: str) -> RecordKey | None:
    scheme, _, rest = href.partition(":")
    record_type, _, record_id = rest.partition(":")
    if scheme != "record" or not record_id.isdigit():
        return None
    try:
        return RecordKey(RecordType(record_type), int(record_id))
    except ValueError:
        return None


class PaneActions:
    """The actions the pane offers; the window owns them (toolbar and shortcuts share them)."""

    def __init__(
        self,
        track: QAction,
        set_regarding: QAction,
        untrack: QAction,
        create_contact: QAction,
        create_lead: QAction,
        open_record: QAction,
        convert_to_lead: QAction,
        convert_to_opportunity: QAction,
    ) -> None:
        self.track = track
        self.set_regarding = set_regarding
        self.untrack = untrack
        self.create_contact = create_contact
        self.create_lead = create_lead
        self.open_record = open_record
        self.convert_to_lead = convert_to_lead
        self.convert_to_opportunity = convert_to_opportunity


class CrmPane(QScrollArea):
    record_opened = Signal(object)  # RecordKey
    create_requested = Signal(object, object)  # Address, RecordType

    def __init__(self, actions: PaneActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crmPane")
        self.setAccessibleName("CRM")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(260)
        self._actions = actions
        self.facts: CrmPaneFacts | None = None
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(12, 10, 12, 10)
        self._layout.setSpacing(8)
        self.setWidget(body)

        title = QLabel(self.tr("CRM"))
        title_font = QFont(title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title.setFont(title_font)
        self._layout.addWidget(title)

        self.state_icon = QLabel()
        self.state = QLabel()
        self.state.setObjectName("trackingState")
        self.state.setWordWrap(True)
        state_row = QGridLayout()
        state_row.addWidget(self.state_icon, 0, 0, Qt.AlignmentFlag.AlignTop)
        state_row.addWidget(self.state, 0, 1)
        state_row.setColumnStretch(1, 1)
        self._layout.addLayout(state_row)
        self.regarding = self._link_label()
        self.regarding.setObjectName("regarding")
        self.regarding.setAccessibleName(self.tr("Regarding record"))
        self._layout.addWidget(self.regarding)

        self._layout.addWidget(self._heading(self.tr("Why")))
        self.why = QLabel()
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self._layout.addWidget(self.why)

        self._layout.addWidget(self._heading(self.tr("People")))
        self._people = QGridLayout()
        self._people.setHorizontalSpacing(8)
        self._people.setVerticalSpacing(4)
        self._people.setColumnStretch(1, 1)
        people = QWidget()
        people.setLayout(self._people)
        self._layout.addWidget(people)

        self._layout.addWidget(self._heading(self.tr("Actions")))
        # One column: in two, the longer Polish labels made the pane wider than its place.
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        for action in (
            actions.track,
            actions.set_regarding,
            actions.untrack,
            actions.open_record,
            actions.create_contact,
            actions.create_lead,
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            buttons.addWidget(button)
        buttons.addWidget(self._convert_button(actions))
        self._layout.addLayout(buttons)
        self._layout.addStretch(1)
        self.show_facts(None)

    def _convert_button(self, actions: PaneActions) -> QToolButton:
        """Convert ▸ to a lead or an opportunity: one short button, as the two long labels
        (longer still in Polish) would widen the pane beyond its place."""
        button = QToolButton()
        button.setObjectName("convertEmail")
        button.setText(self.tr("Convert to"))
        button.setIcon(icon("opportunity"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addAction(actions.convert_to_lead)
        menu.addAction(actions.convert_to_opportunity)
        button.setMenu(menu)

        def follow() -> None:
            button.setEnabled(
                actions.convert_to_lead.isEnabled() or actions.convert_to_opportunity.isEnabled()
            )

        actions.convert_to_lead.changed.connect(follow)
        actions.convert_to_opportunity.changed.connect(follow)
        follow()
        return button

    def show_facts(self, facts: CrmPaneFacts | None) -> None:
        self.facts = facts
        self.widget().setEnabled(facts is not None)
        if facts is None:
            self.state_icon.clear()
            self.state.setText(self.tr("No message selected"))
            self.regarding.clear()
            self.why.clear()
            self._show_people(())
            return
        name = _STATE_ICONS.get(facts.state, "untrack")
        self.state_icon.setPixmap(icon(name).pixmap(20, 20))
        self.state.setText(self._state_words(facts))
        if facts.regarding is not None:
            self.regarding.setText(
                self.tr("Regarding %1").replace("%1", record_link(facts.regarding))
            )
        elif facts.is_tracked:
            self.regarding.setText(self.tr("No regarding record: linked through its people"))
        else:
            self.regarding.clear()
        self.why.setText(self._why(facts))
        self._show_people(facts.parties)

    def _state_words(self, facts: CrmPaneFacts) -> str:
        if facts.state is TrackingState.TRACKED and facts.mark_waiting:
            return self.tr("Tracked; the mark reaches the server at the next sync")
        if facts.state is TrackingState.TRACKED:
            return self.tr("Tracked")
        if facts.state is TrackingState.PENDING:
            return self.tr("To be tracked at the next sync")
        if facts.state is TrackingState.FAILED:
            return self.tr("Could not be tracked; the sync log says why")
        if facts.mark_waiting:
            return self.tr("Not tracked; the server hears of it at the next sync")
        return self.tr("Not tracked")

    def _why(self, facts: CrmPaneFacts) -> str:
        """One headline, the particulars in words, when it was tracked (app.ui.why)."""
        parts = [f"<b>{escape(why.headline(facts))}</b>", *why.lines(facts, record_link)]
        moment = why.when(facts)
        if moment:
            parts.append(f"<i>{escape(moment)}</i>")
        return "<br>".join(parts)

    def _show_people(self, parties: tuple[PartyFact, ...]) -> None:
        while self._people.count():
            item = self._people.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        roles = {"sender": self.tr("From"), "to": self.tr("To"), "cc": self.tr("Cc")}
        for row, party in enumerate(parties):
            role = QLabel(roles.get(party.role, party.role))
            role.setEnabled(False)
            self._people.addWidget(role, row, 0, Qt.AlignmentFlag.AlignTop)
            who = self._link_label()
            address = breakable(party.address.email)
            name = breakable(party.address.name) if party.address.name else ""
            heading = f"{name}<br><small>{address}</small>" if name else address
            if party.records:
                links = ", ".join(record_link(record) for record in party.records)
                who.setText(f"{heading}<br>→ {links}")
            else:
                unknown = self.tr("unknown to the CRM")  # lupdate reads no f-string
                who.setText(f"{heading}<br>→ <i>{escape(unknown)}</i>")
                self._people.addWidget(
                    self._create_button(party.address), row, 2, Qt.AlignmentFlag.AlignTop
                )
            self._people.addWidget(who, row, 1)

    def _create_button(self, address: Address) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon("add-contact"))
        words = self.tr("Create a CRM record for %1").replace("%1", address.email)
        button.setToolTip(words)
        button.setAccessibleName(words)  # an icon alone says nothing to a screen reader
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addAction(
            icon("contact"),
            self.tr("Create Contact"),
            lambda: self.create_requested.emit(address, RecordType.CONTACT),
        )
        menu.addAction(
            icon("lead"),
            self.tr("Create Lead"),
            lambda: self.create_requested.emit(address, RecordType.LEAD),
        )
        button.setMenu(menu)
        return button

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text.upper())
        font = QFont(label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        label.setFont(font)
        label.setEnabled(False)
        return label

    def _link_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(False)
        label.linkActivated.connect(self._link_activated)
        return label

    def _link_activated(self, href: str) -> None:
        key = parse_record_link(href)
        if key is not None:
            self.record_opened.emit(key)
