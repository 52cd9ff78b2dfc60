"""An appointment's attendees: who is invited (from the CRM or the address book), whether they
must come, and what they answered, as Exchange reports it."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.crm.schedule import NO_RESPONSE, Attendee, AttendeeType
from app.services.schedule import AttendeeSuggestion
from app.ui.icons import icon

Suggest = Callable[[str], list[AttendeeSuggestion]]
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAMED = re.compile(r"^\s*(?P<name>[^<]*?)\s*<(?P<email>[^>]+)>\s*$")
AttendeeRole = Qt.ItemDataRole.UserRole + 1


class AttendeesField(QWidget):
    changed = Signal()
    problem = Signal(str)  # what is wrong with what the user typed

    def __init__(self, suggest: Suggest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendeesField")
        self._suggest = suggest
        self._offered: dict[str, AttendeeSuggestion] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setObjectName("attendeeEntry")
        self.entry.setPlaceholderText(self.tr("Add someone: a name from the CRM or an address"))
        self.suggestions = QStringListModel(self)
        completer = QCompleter(self.suggestions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(completer)
        self.add_button = QPushButton(icon("new"), self.tr("Add"))
        self.add_button.setObjectName("addAttendee")
        self.remove_button = QPushButton(icon("cancel"), self.tr("Remove"))
        self.remove_button.setObjectName("removeAttendee")
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.list = QTreeWidget()
        self.list.setObjectName("attendeeList")
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [self.tr("Name"), self.tr("Address"), self.tr("Attendance"), self.tr("Response")]
        )
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout.addWidget(self.list, 1)
        self.entry.textEdited.connect(self._offer)
        self.entry.returnPressed.connect(self.add_entered)
        completer.activated.connect(self._chosen)
        self.add_button.clicked.connect(self.add_entered)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

    # The value

    def set_attendees(self, attendees: tuple[Attendee, ...]) -> None:
        self.list.clear()
        for attendee in attendees:
            self._append(attendee)

    def attendees(self) -> tuple[Attendee, ...]:
        found = []
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            attendee: Attendee = item.data(0, AttendeeRole)
            combo = self.list.itemWidget(item, 2)
            kind = AttendeeType(combo.currentData()) if isinstance(combo, QComboBox) else None
            found.append(
                Attendee(
                    attendee.email,
                    attendee.name,
                    kind or attendee.type,
                    attendee.response,
                    attendee.record_id,
                )
            )
        return tuple(found)

    def add(self, attendee: Attendee) -> bool:
        """Invite someone not invited yet; False when the address is there already."""
        wanted = attendee.email.casefold()
        if any(a.email.casefold() == wanted for a in self.attendees()):
            return False
        self._append(attendee)
        self.changed.emit()
        return True

    def add_entered(self) -> bool:
        """Add what the entry holds: a suggestion, "Name <address>" or a bare address."""
        text = self.entry.text().strip()
        if not text:
            return False
        offered = self._offered.get(text)
        if offered is not None:
            record = offered.record.id if offered.record is not None else None
            attendee = Attendee(offered.email, offered.name, record_id=record)
        else:
            named = _NAMED.match(text)
            name, email = (named["name"], named["email"].strip()) if named else ("", text)
            if not _ADDRESS.match(email):
                self.problem.emit(
                    self.tr("“%1” is neither someone in the CRM nor an address.").replace(
                        "%1", text
                    )
                )
                return False
            attendee = Attendee(email, name)
        added = self.add(attendee)
        self.entry.clear()
        return added

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))
        self.changed.emit()

    # Showing

    def _append(self, attendee: Attendee) -> None:
        item = QTreeWidgetItem(
            [attendee.name or attendee.email, attendee.email, "", self._response(attendee)]
        )
        item.setData(0, AttendeeRole, attendee)
        self.list.addTopLevelItem(item)
        combo = QComboBox()
        for kind, text in (
            (AttendeeType.REQUIRED, self.tr("Required")),
            (AttendeeType.OPTIONAL, self.tr("Optional")),
            (AttendeeType.RESOURCE, self.tr("Room or resource")),
        ):
            combo.addItem(text, kind.value)
        combo.setCurrentIndex(max(0, combo.findData(attendee.type.value)))
        combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.list.setItemWidget(item, 2, combo)

    def _response(self, attendee: Attendee) -> str:
        return {
            NO_RESPONSE: self.tr("No answer yet"),
            "NoResponseReceived": self.tr("No answer yet"),
            "Accept": self.tr("Accepted"),
            "Tentative": self.tr("Tentative"),
            "Decline": self.tr("Declined"),
            "Organizer": self.tr("Organizer"),
        }.get(attendee.response, attendee.response)

    def _offer(self, text: str) -> None:
        offered = self._suggest(text) if len(text.strip()) >= 2 else []
        self._offered = {_label(suggestion): suggestion for suggestion in offered}
        self.suggestions.setStringList(list(self._offered))

    def _chosen(self, text: str) -> None:
        self.entry.setText(text)
        self.add_entered()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))


def _label(suggestion: AttendeeSuggestion) -> str:
    """What the completer lists: the name and address, and what the record is."""
    name = f"{suggestion.name} <{suggestion.email}>" if suggestion.name else suggestion.email
    return f"{name} — {suggestion.detail}" if suggestion.detail else name
