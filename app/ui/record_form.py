"""The form of an account, contact, lead or opportunity: new, pre-filled (Create Contact/Lead,
Convert to lead or opportunity) or edited. A widget per field, required ones marked; Save
checks the values (what is wrong is said beside the field) and looks for duplicates, which are
shown with the match and a choice, before anything is saved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.crm.duplicate_rules import DuplicateMatch
from app.crm.fields import (
    OPEN_LEAD_STATUSES,
    RECORD_FIELDS,
    FieldKind,
    FieldSpec,
    InvalidValues,
)
from app.crm.search import RecordHit, RecordKey, RecordSummary
from app.services.record_forms import RecordForm
from app.tracking.model import RecordType
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line, keep_content_whole
from app.ui.duplicate_dialog import DuplicateChoice, DuplicateDialog
from app.ui.errors import user_message
from app.ui.formatting import PROBLEM_COLOUR, record_type_name
from app.ui.record_words import choice_label, field_label, problem_text
from app.ui.regarding_field import RegardingField

CURRENCIES = ("PLN", "EUR", "USD", "GBP", "CHF", "CZK", "SEK", "NOK", "DKK", "HUF")
_NO_DATE = QDate(1900, 1, 1)
Save = Callable[[RecordType, Mapping[str, object], RecordKey | None], RecordSummary]
_Result = TypeVar("_Result")


class RecordFormServices(Protocol):
    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]: ...
    def check_record(
        self, record_type: RecordType, raw: Mapping[str, object], key: RecordKey | None = None
    ) -> list[DuplicateMatch]: ...
    def save_record(
        self, record_type: RecordType, raw: Mapping[str, object], key: RecordKey | None = None
    ) -> RecordSummary: ...


class RecordFormDialog(QDialog):
    def __init__(
        self,
        services: RecordFormServices,
        form: RecordForm,
        parent: QWidget | None = None,
        save: Save | None = None,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordForm")
        self._services = services
        self._form = form
        self._save = save or services.save_record
        self.saved: RecordSummary | None = None
        self.open_requested: RecordKey | None = None
        kind = record_type_name(form.type)
        if form.is_new:
            self.setWindowTitle(self.tr("New %1").replace("%1", kind))
        else:
            name = self._shown_name()
            self.setWindowTitle(self.tr("%1: %2").replace("%1", kind).replace("%2", name))
        layout = QVBoxLayout(self)
        keep_content_whole(self, 520)
        notes = [text for text in (note, self._role_note()) if text]
        if notes:
            self.note = QLabel("\n".join(notes))
            self.note.setObjectName("formNote")
            self.note.setWordWrap(True)
            layout.addWidget(self.note)
        self._fields = QFormLayout()
        self._fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self._fields)
        self.editors: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        for spec in RECORD_FIELDS[form.type]:
            self._add_field(spec)
        legend = QLabel(self.tr("Fields marked * are required."))
        legend.setEnabled(False)
        layout.addWidget(legend)
        self.error = error_line("formError")
        layout.addWidget(self.error)
        self.buttons = accept_buttons(self, StandardButton.Save)
        layout.addWidget(self.buttons)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()

    # Building

    def _shown_name(self) -> str:
        values = self._form.values
        name = values.get("name") or " ".join(
            str(part) for part in (values.get("first_name"), values.get("last_name")) if part
        )
        return str(name)

    def _role_note(self) -> str:
        if self._form.role_address is None:
            return ""
        return self.tr(
            "%1 is the address of a company or a department, not of a person: it is kept on an "
            "account."
        ).replace("%1", self._form.role_address)

    def _add_field(self, spec: FieldSpec) -> None:
        editor = self._editor(spec, self._form.values.get(spec.name))
        editor.setObjectName(f"field_{spec.name}")
        self.editors[spec.name] = editor
        problem = QLabel()
        problem.setObjectName(f"problem_{spec.name}")
        problem.setWordWrap(True)
        problem.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        problem.hide()
        self.problems[spec.name] = problem
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(problem)
        label = field_label(spec.name) + (" *" if spec.required else "")
        self._fields.addRow(label, holder)

    def _editor(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.is_reference:
            return self._reference_editor(spec, value)
        if spec.kind is FieldKind.CHOICE:
            return self._choice_editor(spec, value)
        if spec.kind is FieldKind.DATE:
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setMinimumDate(_NO_DATE)
            edit.setSpecialValueText(self.tr("No date"))
            edit.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)
            return edit
        if spec.kind is FieldKind.PERCENT:
            box = QSpinBox()
            box.setRange(-1, 100)
            box.setSuffix(" %")
            box.setSpecialValueText("—")
            box.setValue(int(value) if value is not None else -1)
            return box
        if spec.kind is FieldKind.CURRENCY:
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(["", *CURRENCIES])
            combo.setCurrentText(str(value or ""))
            return combo
        line = QLineEdit(_text(value))
        if spec.kind is FieldKind.EMAILS:
            line.setPlaceholderText(self.tr("name@company.com; another@company.com"))
        elif spec.kind is FieldKind.MONEY:
            line.setPlaceholderText("480 000,00")
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        elif spec.kind is FieldKind.PHONE:
            line.setPlaceholderText("+48 22 100 20 30")
        line.setMaxLength(spec.max_length if spec.kind is not FieldKind.EMAILS else 2000)
        return line

    def _reference_editor(self, spec: FieldSpec, value: Any) -> RegardingField:
        wanted = RecordType(spec.kind.value)

        def search(text: str) -> list[RecordHit]:
            return [hit for hit in self._services.search_records(text) if hit.key.type is wanted]

        if wanted is RecordType.ACCOUNT:
            words = {
                "placeholder": self.tr("No account"),
                "title": self.tr("Choose an account"),
                "prompt": self.tr("Find an account by name, address or place:"),
            }
        else:
            words = {
                "placeholder": self.tr("No contact"),
                "title": self.tr("Choose a contact"),
                "prompt": self.tr("Find a contact by name or address:"),
            }
        picker = RegardingField(search, **words)
        if isinstance(value, int):
            picker.set_record(RecordKey(wanted, value), self._form.references.get(spec.name, ""))
        else:
            picker.set_record(None, "")
        return picker

    def _choice_editor(self, spec: FieldSpec, value: Any) -> QComboBox:
        combo = QComboBox()
        choices: tuple[str, ...] = spec.choices
        if self._form.type is RecordType.LEAD and spec.name == "status":
            # Editing moves a lead between open statuses only; Qualify and Disqualify close it.
            if value in OPEN_LEAD_STATUSES or value is None:
                choices = OPEN_LEAD_STATUSES
            else:
                choices = (str(value),)
                combo.setEnabled(False)
        if spec.default is None:
            combo.addItem("—", None)
        for choice in choices:
            combo.addItem(choice_label(choice), choice)
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))
        return combo

    # Reading

    def values(self) -> dict[str, object]:
        """What the form holds, as the services take it (fields that cannot change left out)."""
        values: dict[str, object] = {}
        for spec in RECORD_FIELDS[self._form.type]:
            editor = self.editors[spec.name]
            if not editor.isEnabled():
                continue
            values[spec.name] = _read(spec, editor)
        return values

    # Saving

    def accept(self) -> None:
        values = self.values()
        for label in self.problems.values():
            label.hide()
        self.error.hide()
        matches = self._attempt(
            lambda: self._services.check_record(self._form.type, values, self._form.key)
        )
        if matches is None or (matches and not self._saving_anyway(matches)):
            return
        saved = self._attempt(lambda: self._save(self._form.type, values, self._form.key))
        if saved is not None:
            self.saved = saved
            super().accept()

    def _attempt(self, call: Callable[[], _Result]) -> _Result | None:
        """The call's result; None when it failed, and the form says why."""
        try:
            return call()
        except InvalidValues as refused:
            self._show_problems(refused)
        except Exception as exc:
            self._complain(user_message(exc))
        return None

    def _saving_anyway(self, matches: list[DuplicateMatch]) -> bool:
        """Duplicates shown with a choice: save anyway (True), open the existing record (the
        form closes), or go back to the form."""
        dialog = DuplicateDialog(matches, self)
        dialog.exec()
        if dialog.choice is DuplicateChoice.OPEN:
            self.open_requested = dialog.chosen
            super().reject()
        return dialog.choice is DuplicateChoice.SAVE_ANYWAY

    def _show_problems(self, refused: InvalidValues) -> None:
        first: QWidget | None = None
        for problem in refused.problems:
            label = self.problems.get(problem.field)
            if label is None:
                self._complain(problem.message)
                continue
            label.setText(problem_text(problem))
            label.show()
            first = first or self.editors[problem.field]
        if first is not None:
            first.setFocus()
            self._complain(self.tr("Some fields need another look."))

    def _complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return str(value)


def _read(spec: FieldSpec, editor: QWidget) -> object:
    if isinstance(editor, RegardingField):
        return editor.key.id if editor.key is not None else None
    if isinstance(editor, QDateEdit):
        picked = editor.date()
        return None if picked == _NO_DATE else date(picked.year(), picked.month(), picked.day())
    if isinstance(editor, QSpinBox):
        return None if editor.value() < 0 else editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentText() if editor.isEditable() else editor.currentData()
    assert isinstance(editor, QLineEdit)
    text = editor.text()
    if spec.kind is FieldKind.EMAILS:
        return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]
    return text
