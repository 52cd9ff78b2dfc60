"""Creating, editing and deleting an appointment or a task, regarding a CRM record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.crm.search import RecordHit
from app.services.schedule import ActivityDraft, AppointmentDraft, TaskDraft
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line
from app.ui.formatting import to_local
from app.ui.regarding_field import RegardingField

TASK_STATUSES = ("NotStarted", "InProgress", "WaitingOnOthers", "Deferred", "Completed")
Search = Callable[[str], list[RecordHit]]
# What exec() returns when the user deleted the activity (beside Accepted and Rejected).
DELETED = 2


def _to_utc(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def _local_edit(moment: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_local(moment))
    edit.setCalendarPopup(True)
    edit.setTimeZone(QTimeZone.systemTimeZone())
    return edit


class _FormDialog(QDialog):
    """What both dialogs share. Its texts and ask_deletion's are translated by name, as
    "ActivityDialog": PySide's self.tr() would look under the subclass's name."""

    def __init__(self, parent: QWidget | None, draft: ActivityDraft, task: bool) -> None:
        super().__init__(parent)
        self.setMinimumWidth(480)
        self.form = QFormLayout(self)
        self.error = error_line()
        self.buttons = accept_buttons(self, StandardButton.Save)
        # After Delete (exec() returns DELETED): whether the Exchange item goes too.
        self.remove_from_exchange = False
        self.delete_button: QPushButton | None = None
        if draft.activity_id is not None:
            self.delete_button = QPushButton(
                QCoreApplication.translate("ActivityDialog", "Delete…")
            )
            self.delete_button.setObjectName("deleteActivity")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(lambda: self._delete(draft, task))

    def finish_layout(self, editable: bool, fields: list[QWidget]) -> None:
        if not editable:
            # An untracked Exchange item: Liaison changes it only once it is tracked.
            for field in fields:
                field.setEnabled(False)
            note = QLabel(
                QCoreApplication.translate(
                    "ActivityDialog",
                    "Choose a regarding record to track this item; once tracked, edit it here.",
                )
            )
            note.setWordWrap(True)
            self.form.addRow(note)
        self.form.addRow(self.error)
        # Delete stands apart, on the left, away from Save.
        row = QHBoxLayout()
        if self.delete_button is not None:
            row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        self.form.addRow(row)

    def _delete(self, draft: ActivityDraft, task: bool) -> None:
        answer = ask_deletion(self, draft, task)
        if answer is not None:
            self.remove_from_exchange = answer
            self.done(DELETED)

    def complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class AppointmentDialog(_FormDialog):
    def __init__(
        self,
        search: Search,
        draft: AppointmentDraft,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, draft, task=False)
        is_new = draft.item_id is None and draft.activity_id is None
        self.setWindowTitle(self.tr("New appointment") if is_new else self.tr("Appointment"))
        self._draft = draft
        self.result_draft: AppointmentDraft | None = None
        self.subject = QLineEdit(draft.subject)
        self.subject.setObjectName("appointmentSubject")
        self.start = _local_edit(draft.start)
        self.end = _local_edit(draft.end)
        self.location = QLineEdit(draft.location)
        self.body = QPlainTextEdit(draft.body)
        self.body.setFixedHeight(self.fontMetrics().height() * 6)
        self.regarding = RegardingField(search)
        self.regarding.set_record(draft.regarding, draft.regarding_name)
        self.form.addRow(self.tr("Subject:"), self.subject)
        self.form.addRow(self.tr("Start:"), self.start)
        self.form.addRow(self.tr("End:"), self.end)
        self.form.addRow(self.tr("Location:"), self.location)
        self.form.addRow(self.tr("Regarding:"), self.regarding)
        self.form.addRow(self.tr("Notes:"), self.body)
        self.finish_layout(
            draft.editable, [self.subject, self.start, self.end, self.location, self.body]
        )
        self.start.dateTimeChanged.connect(self._keep_duration)
        self._duration = draft.end - draft.start

    def _keep_duration(self, start: QDateTime) -> None:
        # Moving the start moves the end with it, as every calendar does.
        self.end.setDateTime(start.addSecs(int(self._duration.total_seconds())))

    def accept(self) -> None:
        start, end = _to_utc(self.start.dateTime()), _to_utc(self.end.dateTime())
        if not self.subject.text().strip():
            self.complain(self.tr("Give the appointment a subject."))
            return
        if end < start:
            self.complain(self.tr("The appointment ends before it starts."))
            return
        self.result_draft = AppointmentDraft(
            subject=self.subject.text().strip(),
            start=start,
            end=end,
            location=self.location.text().strip(),
            body=self.body.toPlainText(),
            regarding=self.regarding.key,
            item_id=self._draft.item_id,
            activity_id=self._draft.activity_id,
        )
        super().accept()


class TaskDialog(_FormDialog):
    def __init__(
        self,
        search: Search,
        draft: TaskDraft,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, draft, task=True)
        is_new = draft.item_id is None and draft.activity_id is None
        self.setWindowTitle(self.tr("New task") if is_new else self.tr("Task"))
        self._draft = draft
        self.result_draft: TaskDraft | None = None
        self.subject = QLineEdit(draft.subject)
        self.subject.setObjectName("taskSubject")
        self.has_due = QCheckBox(self.tr("Due"))
        self.has_due.setChecked(draft.due is not None)
        self.due = _local_edit(draft.due or datetime.now(UTC) + timedelta(days=1))
        self.due.setEnabled(draft.due is not None)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.status = QComboBox()
        names = {
            "NotStarted": self.tr("Not started"),
            "InProgress": self.tr("In progress"),
            "WaitingOnOthers": self.tr("Waiting on others"),
            "Deferred": self.tr("Deferred"),
            "Completed": self.tr("Completed"),
        }
        for status in TASK_STATUSES:
            self.status.addItem(names[status], status)
        self.status.setCurrentIndex(max(0, self.status.findData(draft.status)))
        self.body = QPlainTextEdit(draft.body)
        self.body.setFixedHeight(self.fontMetrics().height() * 6)
        self.regarding = RegardingField(search)
        self.regarding.set_record(draft.regarding, draft.regarding_name)
        self.form.addRow(self.tr("Subject:"), self.subject)
        self.form.addRow(self.has_due, self.due)
        self.form.addRow(self.tr("Status:"), self.status)
        self.form.addRow(self.tr("Regarding:"), self.regarding)
        self.form.addRow(self.tr("Notes:"), self.body)
        self.finish_layout(
            draft.editable, [self.subject, self.has_due, self.due, self.status, self.body]
        )

    def accept(self) -> None:
        if not self.subject.text().strip():
            self.complain(self.tr("Give the task a subject."))
            return
        self.result_draft = TaskDraft(
            subject=self.subject.text().strip(),
            due=_to_utc(self.due.dateTime()) if self.has_due.isChecked() else None,
            status=str(self.status.currentData()),
            body=self.body.toPlainText(),
            regarding=self.regarding.key,
            item_id=self._draft.item_id,
            activity_id=self._draft.activity_id,
        )
        super().accept()


def ask_deletion(parent: QWidget, draft: ActivityDraft, task: bool) -> bool | None:
    """Ask before deleting a CRM appointment or task: True to delete its Exchange item too,
    False to keep it there untracked, None to cancel. The default button is what Dynamics does
    (`draft.removes_exchange_item`)."""
    box = QMessageBox(parent)
    box.setObjectName("deleteQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(
        QCoreApplication.translate("ActivityDialog", "Delete task")
        if task
        else QCoreApplication.translate("ActivityDialog", "Delete appointment")
    )
    if not draft.on_exchange:
        box.setText(
            QCoreApplication.translate("ActivityDialog", "Delete “%1” from the CRM?").replace(
                "%1", draft.subject
            )
        )
        box.setInformativeText(
            QCoreApplication.translate("ActivityDialog", "It has not reached Exchange yet.")
        )
        delete = box.addButton(
            QCoreApplication.translate("ActivityDialog", "Delete"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(delete)
        box.exec()
        return False if box.clickedButton() is delete else None
    if task:
        box.setText(
            QCoreApplication.translate("ActivityDialog", "Delete from the Exchange task list too?")
        )
        explanation = QCoreApplication.translate(
            "ActivityDialog",
            "“%1” is deleted from the CRM. Delete from Exchange too: it leaves your task list "
            "at the next sync. Keep in Exchange: it stays in your task list, no longer tracked."
            "\n\nAs in Dynamics, an open task goes from Exchange too, a completed one stays.",
        )
    else:
        box.setText(
            QCoreApplication.translate("ActivityDialog", "Delete from the Exchange calendar too?")
        )
        explanation = QCoreApplication.translate(
            "ActivityDialog",
            "“%1” is deleted from the CRM. Delete from Exchange too: it leaves your calendar at "
            "the next sync. Keep in Exchange: it stays in your calendar, no longer tracked."
            "\n\nAs in Dynamics, an appointment that has not ended goes from Exchange too, a "
            "past one stays.",
        )
    box.setInformativeText(explanation.replace("%1", draft.subject))
    remove = box.addButton(
        QCoreApplication.translate("ActivityDialog", "Delete from Exchange too"),
        QMessageBox.ButtonRole.YesRole,
    )
    keep = box.addButton(
        QCoreApplication.translate("ActivityDialog", "Keep in Exchange"),
        QMessageBox.ButtonRole.NoRole,
    )
    remove.setObjectName("removeFromExchange")
    keep.setObjectName("keepInExchange")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(remove if draft.removes_exchange_item else keep)
    box.exec()
    clicked = box.clickedButton()
    return True if clicked is remove else False if clicked is keep else None
