"""Creating, editing and deleting an appointment or a task, regarding a CRM record.

The appointment dialog edits a whole series or, opened on one occurrence, that occurrence only.
An Exchange item that is not tracked is edited all the same (the change goes to Exchange); a
regarding record tracks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from app.crm.schedule import COMPLETED, IN_PROGRESS, NOT_STARTED, PRIORITIES, SHOW_AS
from app.crm.search import RecordHit
from app.services.schedule import ActivityDraft, AppointmentDraft, TaskDraft
from app.ui.attendees_field import AttendeesField, Suggest
from app.ui.dialog_parts import StandardButton, accept_buttons, error_line, keep_content_whole
from app.ui.recurrence_editor import RecurrenceEditor
from app.ui.regarding_field import RegardingField

TASK_STATUSES = (NOT_STARTED, IN_PROGRESS, "WaitingOnOthers", "Deferred", COMPLETED)
REMINDER_MINUTES = (0, 5, 10, 15, 30, 60, 120, 240, 1080, 1440, 2880, 10080)
Search = Callable[[str], list[RecordHit]]
# What exec() returns when the user deleted the activity, or the one occurrence it showed.
DELETED = 2
OCCURRENCE_DELETED = 3


def _zone(name: str | None) -> QTimeZone:
    return QTimeZone(name.encode()) if name else QTimeZone.utc()


def _in_zone(moment: datetime, zone: QTimeZone) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), zone)


def _to_utc(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _midnight_utc(value: QDate) -> datetime:
    """A day as the CRM and Exchange keep all-day and task dates."""
    return datetime.combine(_day(value), time(0), UTC)


def _utc_day(moment: datetime) -> QDate:
    return _qdate(moment.astimezone(UTC).date())


def local_time_zone() -> str:
    """This computer's time zone, the one a new appointment is made in."""
    return bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"


class _FormDialog(QDialog):
    """What both dialogs share. Its texts and ask_deletion's are translated by name, as
    "ActivityDialog": PySide's self.tr() would look under the subclass's name."""

    def __init__(self, parent: QWidget | None, draft: ActivityDraft, task: bool) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        keep_content_whole(self, 600)
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

    def finish_layout(self, draft: ActivityDraft, can_track: bool = True) -> None:
        if not draft.tracked and can_track:
            note = QLabel(
                QCoreApplication.translate(
                    "ActivityDialog",
                    "Not tracked in the CRM: your changes go to Exchange only. Choose a "
                    "regarding record to track it.",
                )
            )
            note.setObjectName("untrackedNote")
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
        suggest: Suggest | None = None,
        zones: Sequence[str] = (),
    ) -> None:
        super().__init__(parent, draft, task=False)
        self._draft = draft
        self.result_draft: AppointmentDraft | None = None
        self.occurrence = draft.occurrence is not None
        is_new = draft.item_id is None and draft.activity_id is None
        if self.occurrence:
            self.setWindowTitle(self.tr("Appointment occurrence"))
        else:
            self.setWindowTitle(self.tr("New appointment") if is_new else self.tr("Appointment"))
        self.subject = QLineEdit(draft.subject)
        self.subject.setObjectName("appointmentSubject")
        self.location = QLineEdit(draft.location)
        self.location.setObjectName("appointmentLocation")
        self.time_zone = QComboBox()
        self.time_zone.setObjectName("timeZone")
        for name in dict.fromkeys([*zones, draft.time_zone or "UTC"]):
            self.time_zone.addItem(_zone_label(name, draft.start), name)
        self.time_zone.setCurrentIndex(max(0, self.time_zone.findData(draft.time_zone or "UTC")))
        self._shown_zone = _zone(draft.time_zone)
        self.start = QDateTimeEdit()
        self.start.setObjectName("appointmentStart")
        self.end = QDateTimeEdit()
        self.end.setObjectName("appointmentEnd")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
        self.all_day = QCheckBox(self.tr("All day"))
        self.all_day.setObjectName("allDay")
        self.all_day.setChecked(draft.is_all_day)
        self._show_times(draft.start, draft.end, draft.is_all_day)
        self.show_as = QComboBox()
        self.show_as.setObjectName("showAs")
        names = {
            "Free": self.tr("Free"),
            "Tentative": self.tr("Tentative"),
            "Busy": self.tr("Busy"),
            "OOF": self.tr("Out of office"),
            "WorkingElsewhere": self.tr("Working elsewhere"),
        }
        for value in SHOW_AS:
            self.show_as.addItem(names[value], value)
        self.show_as.setCurrentIndex(max(0, self.show_as.findData(draft.show_as)))
        self.reminder = QComboBox()
        self.reminder.setObjectName("reminder")
        self.reminder.addItem(self.tr("None"), None)
        for minutes in sorted({*REMINDER_MINUTES, *([draft.reminder] if draft.reminder else [])}):
            self.reminder.addItem(self._reminder_text(minutes), minutes)
        self.reminder.setCurrentIndex(max(0, self.reminder.findData(draft.reminder)))
        self.regarding = _regarding_field(search, draft)
        self.body = QPlainTextEdit(draft.body)
        self.body.setObjectName("appointmentNotes")
        self.body.setAccessibleName(self.tr("Notes"))
        self.attendees = AttendeesField(suggest or (lambda _text: []))
        self.attendees.set_attendees(draft.attendees)
        self.recurrence = RecurrenceEditor()
        self.recurrence.set_recurrence(draft.recurrence, self._start_day())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("appointmentTabs")
        self.tabs.addTab(self.body, self.tr("Notes"))
        self.tabs.addTab(self.attendees, "")
        self.tabs.addTab(self.recurrence, "")
        self.tabs.setMinimumHeight(self.fontMetrics().height() * 13)

        self.form.addRow(self.tr("Subject:"), self.subject)
        self.form.addRow(self.tr("Location:"), self.location)
        self.form.addRow(self.tr("Start:"), _row(self.start, self.all_day))
        self.form.addRow(
            self.tr("End:"), _row(self.end, QLabel(self.tr("Time zone:")), self.time_zone)
        )
        self.form.addRow(
            self.tr("Show as:"),
            _row(self.show_as, QLabel(self.tr("Reminder:")), self.reminder),
        )
        self.form.addRow(self.tr("Regarding:"), self.regarding)
        self.form.addRow(self.tabs)
        if self.occurrence:
            self._occurrence_only(draft)
        self.finish_layout(draft, can_track=not self.occurrence)

        self._duration = draft.end - draft.start
        self.start.dateTimeChanged.connect(self._keep_duration)
        self.all_day.toggled.connect(self._all_day_toggled)
        self.time_zone.currentIndexChanged.connect(self._zone_changed)
        self.attendees.changed.connect(self._name_tabs)
        self.attendees.problem.connect(self.complain)
        self.recurrence.repeat.currentIndexChanged.connect(self._name_tabs)
        self._name_tabs()

    def _reminder_text(self, minutes: int) -> str:
        # divmod, not floor division: the translation tool takes "//" for a comment.
        weeks, odd_days = divmod(minutes, 7 * 24 * 60)
        days, odd_hours = divmod(minutes, 24 * 60)
        hours, odd_minutes = divmod(minutes, 60)
        if minutes == 0:
            return self.tr("At the start")
        if not odd_days:
            return self.tr("%n week(s) before", "", weeks)
        if not odd_hours:
            return self.tr("%n day(s) before", "", days)
        if not odd_minutes:
            return self.tr("%n hour(s) before", "", hours)
        return self.tr("%n minute(s) before", "", minutes)

    def _occurrence_only(self, draft: AppointmentDraft) -> None:
        """One occurrence: its time, subject and location; the rest belongs to the series."""
        for widget in (self.all_day, self.time_zone, self.show_as, self.reminder, self.regarding):
            widget.setEnabled(False)
        self.tabs.hide()
        assert draft.occurrence is not None
        day = QLocale().toString(
            _in_zone(draft.occurrence, self._shown_zone).date(), QLocale.FormatType.LongFormat
        )
        note = QLabel(
            self.tr(
                "Only the occurrence of %1 changes; open the series to change the rest."
            ).replace("%1", day)
        )
        note.setObjectName("occurrenceNote")
        note.setWordWrap(True)
        self.form.addRow(note)
        if self.delete_button is not None:
            self.delete_button.setText(self.tr("Delete occurrence"))
            self.delete_button.clicked.disconnect()
            self.delete_button.clicked.connect(lambda: self.done(OCCURRENCE_DELETED))
        elif draft.item_id is not None:
            self.delete_button = QPushButton(self.tr("Delete occurrence"))
            self.delete_button.setObjectName("deleteActivity")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(lambda: self.done(OCCURRENCE_DELETED))

    # Times

    def _show_times(self, start: datetime, end: datetime, all_day: bool) -> None:
        """All-day: the first and the last day; otherwise times in the appointment's zone."""
        for edit in (self.start, self.end):
            edit.blockSignals(True)
            edit.setTimeZone(self._shown_zone)
        if all_day:
            last = max(_utc_day(start), _utc_day(end).addDays(-1))
            self.start.setDateTime(QDateTime(_utc_day(start), QTime(0, 0), self._shown_zone))
            self.end.setDateTime(QDateTime(last, QTime(0, 0), self._shown_zone))
            format_text = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        else:
            self.start.setDateTime(_in_zone(start, self._shown_zone))
            self.end.setDateTime(_in_zone(end, self._shown_zone))
            format_text = QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat)
        for edit in (self.start, self.end):
            edit.setDisplayFormat(format_text)
            edit.blockSignals(False)

    def _start_day(self) -> date:
        return _day(self.start.date())

    def _times(self) -> tuple[datetime, datetime]:
        if self.all_day.isChecked():
            return _midnight_utc(self.start.date()), _midnight_utc(self.end.date().addDays(1))
        return _to_utc(self.start.dateTime()), _to_utc(self.end.dateTime())

    def _keep_duration(self, _start: QDateTime) -> None:
        # Moving the start moves the end with it, as every calendar does.
        if self.all_day.isChecked():
            days = max(0, self._duration.days - 1)
            self.end.setDate(self.start.date().addDays(days))
        else:
            self.end.setDateTime(self.start.dateTime().addSecs(int(self._duration.total_seconds())))
        self.recurrence.set_start(self._start_day())

    def _all_day_toggled(self, all_day: bool) -> None:
        start = datetime.combine(self._start_day(), time(0), UTC)
        if all_day:
            self._duration = timedelta(days=max(1, self.start.date().daysTo(self.end.date()) + 1))
            self._show_times(start, start + self._duration, True)
        else:
            begins = QDateTime(self.start.date(), QTime(9, 0), self._shown_zone)
            self._duration = timedelta(hours=1)
            self._show_times(_to_utc(begins), _to_utc(begins) + self._duration, False)

    def _zone_changed(self) -> None:
        """Another time zone keeps the times the user sees: 9:00 in Warsaw becomes 9:00 in
        London, as Outlook does."""
        zone = _zone(self.time_zone.currentData())
        for edit in (self.start, self.end):
            shown = edit.dateTime()
            edit.setTimeZone(zone)
            edit.setDateTime(QDateTime(shown.date(), shown.time(), zone))
        self._shown_zone = zone

    def _name_tabs(self) -> None:
        count = len(self.attendees.attendees())
        self.tabs.setTabText(1, self.tr("Attendees (%1)").replace("%1", str(count)))
        repeats = self.recurrence.recurrence() is not None
        self.tabs.setTabText(
            2,
            self.tr("Repeat: %1").replace("%1", self.recurrence.summary())
            if repeats
            else self.tr("Repeat"),
        )

    def accept(self) -> None:
        start, end = self._times()
        if not self.subject.text().strip():
            self.complain(self.tr("Give the appointment a subject."))
            return
        if end < start:
            self.complain(self.tr("The appointment ends before it starts."))
            return
        subject, location = self.subject.text().strip(), self.location.text().strip()
        if self.occurrence:
            self.result_draft = replace(
                self._draft, subject=subject, location=location, start=start, end=end
            )
        else:
            self.result_draft = replace(
                self._draft,
                subject=subject,
                start=start,
                end=end,
                location=location,
                is_all_day=self.all_day.isChecked(),
                time_zone=self.time_zone.currentData(),
                recurrence=self.recurrence.recurrence(),
                reminder=self.reminder.currentData(),
                show_as=str(self.show_as.currentData()),
                attendees=self.attendees.attendees(),
                body=self.body.toPlainText(),
                regarding=self.regarding.key,
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
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        self.subject = QLineEdit(draft.subject)
        self.subject.setObjectName("taskSubject")
        self.has_start, self.start = _optional_day(self.tr("Start"), draft.start, "taskStart")
        self.has_due, self.due = _optional_day(self.tr("Due"), draft.due or None, "taskDue")
        if draft.due is None:
            self.due.setDate(_utc_day(tomorrow))
        self.status = QComboBox()
        self.status.setObjectName("taskStatus")
        names = {
            NOT_STARTED: self.tr("Not started"),
            IN_PROGRESS: self.tr("In progress"),
            "WaitingOnOthers": self.tr("Waiting on others"),
            "Deferred": self.tr("Deferred"),
            COMPLETED: self.tr("Completed"),
        }
        for status in TASK_STATUSES:
            self.status.addItem(names[status], status)
        self.status.setCurrentIndex(max(0, self.status.findData(draft.status)))
        self.percent = QSpinBox()
        self.percent.setObjectName("percentComplete")
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setValue(draft.percent_complete)
        self.priority = QComboBox()
        self.priority.setObjectName("taskPriority")
        for value, text in zip(
            PRIORITIES, (self.tr("Low"), self.tr("Normal"), self.tr("High")), strict=True
        ):
            self.priority.addItem(text, value)
        self.priority.setCurrentIndex(max(0, self.priority.findData(draft.priority)))
        self.has_reminder = QCheckBox(self.tr("Reminder"))
        self.has_reminder.setObjectName("hasReminder")
        self.has_reminder.setChecked(draft.reminder is not None)
        self.reminder = QDateTimeEdit(
            _in_zone(
                draft.reminder or tomorrow.replace(minute=0, second=0), QTimeZone.systemTimeZone()
            )
        )
        self.reminder.setObjectName("taskReminder")
        self.reminder.setCalendarPopup(True)
        self.reminder.setEnabled(draft.reminder is not None)
        self.has_reminder.toggled.connect(self.reminder.setEnabled)
        self.body = QPlainTextEdit(draft.body)
        self.body.setFixedHeight(self.fontMetrics().height() * 6)
        self.regarding = _regarding_field(search, draft)
        self.form.addRow(self.tr("Subject:"), self.subject)
        self.form.addRow(
            self.tr("Dates:"), _row(self.has_start, self.start, self.has_due, self.due)
        )
        self.form.addRow(
            self.tr("Status:"),
            _row(
                self.status,
                QLabel(self.tr("Complete:")),
                self.percent,
                QLabel(self.tr("Priority:")),
                self.priority,
            ),
        )
        self.form.addRow(self.has_reminder, _row(self.reminder))
        self.form.addRow(self.tr("Regarding:"), self.regarding)
        self.form.addRow(self.tr("Notes:"), self.body)
        self.finish_layout(draft)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.percent.valueChanged.connect(self._percent_changed)

    def _status_changed(self) -> None:
        # As Outlook: Completed is 100%, Not started is 0%.
        status = self.status.currentData()
        if status == COMPLETED:
            self.percent.setValue(100)
        elif status == NOT_STARTED or self.percent.value() == 100:
            self.percent.setValue(0)

    def _percent_changed(self, percent: int) -> None:
        status = self.status.currentData()
        if percent == 100 and status != COMPLETED:
            self.status.setCurrentIndex(self.status.findData(COMPLETED))
        elif 0 < percent < 100 and status in (NOT_STARTED, COMPLETED):
            self.status.setCurrentIndex(self.status.findData(IN_PROGRESS))

    def accept(self) -> None:
        if not self.subject.text().strip():
            self.complain(self.tr("Give the task a subject."))
            return
        start = _midnight_utc(self.start.date()) if self.has_start.isChecked() else None
        due = _midnight_utc(self.due.date()) if self.has_due.isChecked() else None
        if start is not None and due is not None and due < start:
            self.complain(self.tr("The task is due before it starts."))
            return
        self.result_draft = replace(
            self._draft,
            subject=self.subject.text().strip(),
            start=start,
            due=due,
            status=str(self.status.currentData()),
            percent_complete=self.percent.value(),
            priority=str(self.priority.currentData()),
            reminder=_to_utc(self.reminder.dateTime()) if self.has_reminder.isChecked() else None,
            body=self.body.toPlainText(),
            regarding=self.regarding.key,
        )
        super().accept()


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box


def _optional_day(text: str, moment: datetime | None, name: str) -> tuple[QCheckBox, QDateEdit]:
    """A day a task may have or not (a start, a due date): ticked, the date counts."""
    box = QCheckBox(text)
    box.setObjectName(f"has{name[0].upper()}{name[1:]}")
    box.setChecked(moment is not None)
    edit = QDateEdit(_utc_day(moment) if moment is not None else QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setEnabled(moment is not None)
    box.toggled.connect(edit.setEnabled)
    return box, edit


def _regarding_field(search: Search, draft: ActivityDraft) -> RegardingField:
    field = RegardingField(search)
    field.set_record(draft.regarding, draft.regarding_name)
    return field


def _zone_label(name: str, moment: datetime) -> str:
    """Europe/Warsaw (UTC+01:00), with the offset the zone has at that time."""
    offset = _zone(name).offsetFromUtc(_in_zone(moment, QTimeZone.utc()))
    sign = "+" if offset >= 0 else "−"
    hours, minutes = divmod(divmod(abs(offset), 60)[0], 60)
    return f"{name.replace('_', ' ')} (UTC{sign}{hours:02d}:{minutes:02d})"


def ask_occurrence_or_series(parent: QWidget, subject: str) -> bool | None:
    """A recurring appointment was opened: True for this occurrence, False for the series,
    None to cancel (Outlook asks the same)."""
    box = QMessageBox(parent)
    box.setObjectName("occurrenceQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("ActivityDialog", "Recurring appointment"))
    box.setText(
        QCoreApplication.translate(
            "ActivityDialog", "“%1” repeats. Open this occurrence or the series?"
        ).replace("%1", subject)
    )
    one = box.addButton(
        QCoreApplication.translate("ActivityDialog", "This occurrence"),
        QMessageBox.ButtonRole.YesRole,
    )
    whole = box.addButton(
        QCoreApplication.translate("ActivityDialog", "The series"), QMessageBox.ButtonRole.NoRole
    )
    one.setObjectName("openOccurrence")
    whole.setObjectName("openSeries")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(one)
    box.exec()
    clicked = box.clickedButton()
    return True if clicked is one else False if clicked is whole else None


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
