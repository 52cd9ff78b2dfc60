"""The CRM lists of the navigation: a searchable list of one record type beside the record, and
the record's New, Edit, Delete, Qualify and Disqualify."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.crm.editing import DeletionImpact
from app.crm.search import RecordKey, RecordSummary
from app.services.record_forms import RecordForm
from app.tracking.model import RecordType
from app.ui.errors import report, run_or_report
from app.ui.formatting import record_type_name
from app.ui.icons import icon
from app.ui.lead_dialogs import DisqualifyDialog, QualifyDialog
from app.ui.ports import CrmService
from app.ui.record_form import RecordFormDialog, Save
from app.ui.record_model import COLUMN_NAME, RecordListModel
from app.ui.record_view import EDITABLE, RecordView

SEARCH_DELAY_MS = 250


class RecordsPage(QSplitter):
    activity_opened = Signal(object)  # TimelineEntry of the record shown
    records_changed = Signal()  # a record was saved, deleted or qualified
    existing_opened = Signal(object)  # RecordKey the user chose over saving a duplicate

    def __init__(self, services: CrmService, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._services = services
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("recordSearch")
        self.search.setAccessibleName(self.tr("Search records"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText(self.tr("Search names and addresses"))
        top.addWidget(self.search, 1)
        self.new_button = QToolButton()
        self.new_button.setObjectName("newRecord")
        self.new_button.setIcon(icon("new"))
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.clicked.connect(self.new_record)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.model = RecordListModel(services, self)
        self.list = QTableView()
        self.list.setObjectName("recordList")
        self.list.setAccessibleName(self.tr("Records"))
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setShowGrid(False)
        self.list.setAlternatingRowColors(True)
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.list.horizontalHeader().setSectionResizeMode(
            COLUMN_NAME, QHeaderView.ResizeMode.Stretch
        )
        layout.addWidget(self.list, 1)
        self.addWidget(left)
        self.view = RecordView()
        self.addWidget(self.view)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _: self._show_row(current.row())
        )
        self.list.doubleClicked.connect(lambda _index: self.edit_record())
        self.view.record_opened.connect(self.open_record)
        self.view.activity_opened.connect(self.activity_opened)
        self.view.edit_requested.connect(self.edit_record)
        self.view.delete_requested.connect(self.delete_record)
        self.view.qualify_requested.connect(self.qualify_lead)
        self.view.disqualify_requested.connect(self.disqualify_lead)
        self._update_new_button()

    def show_type(self, record_type: RecordType) -> None:
        if self.model.record_type is record_type:
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.show(record_type)
        self._update_new_button()
        self._select_first()

    def open_record(self, key: RecordKey) -> None:
        """Show one record (from the CRM pane or a timeline), whatever list is open."""
        details = self._services.record(key)
        history = self._services.record_history(key) if details is not None else []
        self.view.show_record(details, history)

    def reload(self) -> None:
        self.model.show(self.model.record_type, self.search.text())

    # New, Edit, Delete

    def new_record(self) -> None:
        record_type = self.model.record_type
        if record_type in EDITABLE:
            assert record_type is not None
            self.edit_form(self._services.new_record_form(record_type))

    def edit_record(self) -> None:
        key = self._shown_key()
        if key is not None and key.type in EDITABLE:
            self.edit_form(self._services.record_form(key))

    def edit_form(
        self, form: RecordForm, save: Save | None = None, note: str = ""
    ) -> RecordSummary | None:
        """The record form; the record it saved (shown here), or None. Opening an existing
        record from its duplicate warning shows that one instead."""
        dialog = RecordFormDialog(self._services, form, self, save, note)
        dialog.exec()
        if dialog.open_requested is not None:
            self.open_record(dialog.open_requested)
            self.existing_opened.emit(dialog.open_requested)
            return None
        if dialog.saved is None:
            return None
        self._changed(dialog.saved.key)
        return dialog.saved

    def delete_record(self) -> None:
        details = self.view.details
        if details is None or details.summary.key.type not in EDITABLE:
            return
        key = details.summary.key
        box = QMessageBox(self)
        box.setObjectName("deleteConfirmation")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete"))
        box.setText(
            self.tr("Delete %1 %2?")
            .replace("%1", record_type_name(key.type).lower())
            .replace("%2", details.summary.name)
        )
        box.setInformativeText("\n".join(self._impact_lines(self._services.deletion_impact(key))))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not delete:
            return
        if self._run(lambda: self._services.delete_record(key)):
            self.reload()
            self._select_first()
            self.records_changed.emit()

    def _impact_lines(self, impact: DeletionImpact) -> list[str]:
        """What becomes of what is linked to a record when it goes."""
        # Plain names as the counts: lupdate skips a call whose count is an attribute.
        emails, appointments, tasks = impact.emails, impact.appointments, impact.tasks
        as_party, contacts, opportunities = impact.as_party, impact.contacts, impact.opportunities
        said = (
            (
                emails,
                self.tr("%n tracked email(s) stay in the CRM, regarding nothing.", "", emails),
            ),
            (
                appointments,
                self.tr("%n appointment(s) stay in the CRM, regarding nothing.", "", appointments),
            ),
            (tasks, self.tr("%n task(s) stay in the CRM, regarding nothing.", "", tasks)),
            (
                as_party,
                self.tr(
                    "%n activity(ies) keep the address, which no record will have.", "", as_party
                ),
            ),
            (contacts, self.tr("%n contact(s) stay, without an account.", "", contacts)),
            (
                opportunities,
                self.tr("%n opportunity(ies) stay, without an account.", "", opportunities),
            ),
        )
        return [text for count, text in said if count] or [self.tr("Nothing is linked to it.")]

    # Qualify, Disqualify

    def qualify_lead(self) -> None:
        details = self.view.details
        if details is None or details.summary.key.type is not RecordType.LEAD:
            return
        key = details.summary.key
        company = dict(details.fields).get("company")
        try:
            matches = self._services.qualify_matches(key)
        except Exception as exc:
            report(self, exc)
            return
        dialog = QualifyDialog(details.summary.name, company, matches, self)
        if dialog.exec() != QualifyDialog.DialogCode.Accepted or dialog.choice is None:
            return
        choice = dialog.choice
        if self._run(lambda: self._services.qualify_lead(key, choice)):
            self._changed(key)

    def disqualify_lead(self) -> None:
        details = self.view.details
        if details is None or details.summary.key.type is not RecordType.LEAD:
            return
        key = details.summary.key
        dialog = DisqualifyDialog(details.summary.name, self)
        if dialog.exec() != DisqualifyDialog.DialogCode.Accepted or dialog.reason is None:
            return
        reason = dialog.reason
        if self._run(lambda: self._services.disqualify_lead(key, reason)):
            self._changed(key)

    # Helpers

    def _changed(self, key: RecordKey) -> None:
        if self.model.record_type is key.type:
            self.reload()
        self.open_record(key)
        self.records_changed.emit()

    def _shown_key(self) -> RecordKey | None:
        return self.view.details.summary.key if self.view.details is not None else None

    def _run(self, work: Callable[[], object]) -> bool:
        return run_or_report(self, work)

    def _update_new_button(self) -> None:
        record_type = self.model.record_type
        labels = {
            RecordType.ACCOUNT: self.tr("New account"),
            RecordType.CONTACT: self.tr("New contact"),
            RecordType.LEAD: self.tr("New lead"),
            RecordType.OPPORTUNITY: self.tr("New opportunity"),
        }
        # A short label: the search box beside it keeps its room in a narrow window.
        self.new_button.setText(self.tr("New"))
        self.new_button.setToolTip(labels.get(record_type, "") if record_type else "")
        self.new_button.setEnabled(record_type in labels)

    def _apply_search(self) -> None:
        self.model.show(self.model.record_type, self.search.text())
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.list.selectRow(0)
        else:
            self.view.show_record(None)

    def _show_row(self, row: int) -> None:
        key = self.model.key(row)
        if key is None:
            self.view.show_record(None)
        else:
            self.open_record(key)
