"""How an appointment repeats, as Outlook asks it: daily, weekly on chosen days, monthly by date or
by weekday, yearly; ending never, on a date or after a number of times.

The value is the recurrence of app.sync.activity_fields. Occurrences changed or deleted one by
one stay with the series while its pattern stays; a new pattern drops them, as Exchange does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SETS = ("Day", "Weekday", "WeekendDay")
WEEK_NUMBERS = ("First", "Second", "Third", "Fourth", "Last")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
NO_REPEAT, DAILY, WEEKLY, MONTHLY, YEARLY = range(5)
_EXCEPTIONS = ("modified", "deleted")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RecurrenceEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recurrenceEditor")
        self._original: dict[str, Any] | None = None
        self._start = date.today()
        locale = QLocale()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        top = QHBoxLayout()
        self.repeat = QComboBox()
        self.repeat.setObjectName("repeat")
        for text in (
            self.tr("Does not repeat"),
            self.tr("Daily"),
            self.tr("Weekly"),
            self.tr("Monthly"),
            self.tr("Yearly"),
        ):
            self.repeat.addItem(text)
        self.every = QLabel(self.tr("every"))
        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(1, 99)
        self.unit = QLabel()
        for widget in (self.repeat, self.every, self.interval, self.unit):
            top.addWidget(widget)
        top.addStretch(1)
        layout.addLayout(top)

        self.details = QStackedWidget()
        self.details.addWidget(QWidget())  # does not repeat, daily: nothing more to say
        weekly = QWidget()
        days_row = QHBoxLayout(weekly)
        days_row.setContentsMargins(0, 0, 0, 0)
        days_row.addWidget(QLabel(self.tr("on", "weekdays")))
        self.day_boxes: dict[str, QCheckBox] = {}
        first = locale.firstDayOfWeek().value - 1
        for offset in range(7):
            index = (first + offset) % 7
            box = QCheckBox(locale.dayName(index + 1, QLocale.FormatType.ShortFormat))
            box.setObjectName(f"day{WEEKDAYS[index]}")
            self.day_boxes[WEEKDAYS[index]] = box
            days_row.addWidget(box)
        days_row.addStretch(1)
        self.details.addWidget(weekly)
        self.details.addWidget(self._month_choices(locale))
        layout.addWidget(self.details)

        ends = QGridLayout()
        ends.addWidget(QLabel(self.tr("Ends:")), 0, 0)
        self.never = QRadioButton(self.tr("never"))
        self.never.setObjectName("endsNever")
        self.on_date = QRadioButton(self.tr("on", "date"))
        self.on_date.setObjectName("endsOnDate")
        self.until = QDateEdit()
        self.until.setObjectName("until")
        self.until.setCalendarPopup(True)
        self.after = QRadioButton(self.tr("after"))
        self.after.setObjectName("endsAfter")
        self.count = QSpinBox()
        self.count.setObjectName("count")
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.times = QLabel()
        group = QButtonGroup(self)
        for button in (self.never, self.on_date, self.after):
            group.addButton(button)
        ends.addWidget(self.never, 0, 1)
        ends.addWidget(self.on_date, 1, 1)
        ends.addWidget(self.until, 1, 2)
        ends.addWidget(self.after, 2, 1)
        ends.addWidget(self.count, 2, 2)
        ends.addWidget(self.times, 2, 3)
        ends.setColumnStretch(4, 1)
        self.ends = QWidget()
        self.ends.setLayout(ends)
        layout.addWidget(self.ends)
        self.note = QLabel()
        self.note.setObjectName("recurrenceNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(1)

        self.never.setChecked(True)
        self.repeat.currentIndexChanged.connect(self._show_pattern)
        for spin in (self.interval, self.count, self.day_of_month):
            spin.valueChanged.connect(self._refresh)
        for combo in (self.week_number, self.weekday, self.month, self.month_of_day):
            combo.currentIndexChanged.connect(self._refresh)
        for button in (*self.day_boxes.values(), self.by_date, self.never, self.on_date):
            button.toggled.connect(self._refresh)
        self.until.dateChanged.connect(self._refresh)
        for widget in (self.until, self.count):
            widget.setEnabled(False)
        self.on_date.toggled.connect(self.until.setEnabled)
        self.after.toggled.connect(self.count.setEnabled)
        self._show_pattern()

    def _month_choices(self, locale: QLocale) -> QWidget:
        """Monthly and yearly: on a day of the month, or on the n-th weekday of it."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.by_date = QRadioButton(self.tr("on day"))
        self.by_date.setObjectName("byDate")
        self.day_of_month = QSpinBox()
        self.day_of_month.setObjectName("dayOfMonth")
        self.day_of_month.setRange(1, 31)
        self.by_weekday = QRadioButton(self.tr("on the"))
        self.by_weekday.setObjectName("byWeekday")
        self.week_number = QComboBox()
        self.week_number.setObjectName("weekNumber")
        for text in (
            self.tr("first"),
            self.tr("second"),
            self.tr("third"),
            self.tr("fourth"),
            self.tr("last"),
        ):
            self.week_number.addItem(text)
        self.weekday = QComboBox()
        self.weekday.setObjectName("weekday")
        for index in range(7):
            self.weekday.addItem(locale.dayName(index + 1))
        for text in (self.tr("day"), self.tr("weekday"), self.tr("weekend day")):
            self.weekday.addItem(text)
        self.of_month = QLabel(self.tr("of"))
        # "of [month]" names the month alone; "on day [16] [month]" as in a date (Polish
        # tells the two apart: październik, 16 października).
        self.month = QComboBox()
        self.month.setObjectName("month")
        for index in range(12):
            self.month.addItem(locale.standaloneMonthName(index + 1))
        self.month_of_day = QComboBox()
        self.month_of_day.setObjectName("monthOfDay")
        for index in range(12):
            self.month_of_day.addItem(locale.monthName(index + 1))
        group = QButtonGroup(self)
        group.addButton(self.by_date)
        group.addButton(self.by_weekday)
        grid.addWidget(self.by_date, 0, 0)
        grid.addWidget(self.day_of_month, 0, 1)
        grid.addWidget(self.month_of_day, 0, 2)
        grid.addWidget(self.by_weekday, 1, 0)
        grid.addWidget(self.week_number, 1, 1)
        grid.addWidget(self.weekday, 1, 2)
        grid.addWidget(self.of_month, 1, 3)
        grid.addWidget(self.month, 1, 4)
        grid.setColumnStretch(5, 1)
        self.by_date.setChecked(True)
        return box

    # The value

    def set_recurrence(self, recurrence: dict[str, Any] | None, start: date) -> None:
        self._original = recurrence
        self._start = start
        self._defaults(start)
        if not recurrence:
            self.repeat.setCurrentIndex(NO_REPEAT)
            self._show_pattern()
            return
        pattern = recurrence.get("pattern")
        self.interval.setValue(int(recurrence.get("interval") or 1))
        if pattern == "daily":
            self.repeat.setCurrentIndex(DAILY)
        elif pattern == "weekly":
            self.repeat.setCurrentIndex(WEEKLY)
            chosen = set(recurrence.get("weekdays") or [])
            for name, box in self.day_boxes.items():
                box.setChecked(name in chosen)
        else:
            self.repeat.setCurrentIndex(YEARLY if "yearly" in str(pattern) else MONTHLY)
            relative = str(pattern).startswith("relative")
            (self.by_weekday if relative else self.by_date).setChecked(True)
            if recurrence.get("day_of_month"):
                self.day_of_month.setValue(int(recurrence["day_of_month"]))
            if recurrence.get("week_number") in WEEK_NUMBERS:
                self.week_number.setCurrentIndex(WEEK_NUMBERS.index(recurrence["week_number"]))
            names = (*WEEKDAYS, *DAY_SETS)
            if recurrence.get("weekday") in names:
                self.weekday.setCurrentIndex(names.index(recurrence["weekday"]))
            if recurrence.get("month") in MONTHS:
                self.month.setCurrentIndex(MONTHS.index(recurrence["month"]))
                self.month_of_day.setCurrentIndex(MONTHS.index(recurrence["month"]))
        if recurrence.get("end"):
            self.on_date.setChecked(True)
            self.until.setDate(_qdate(date.fromisoformat(str(recurrence["end"])[:10])))
        elif recurrence.get("count"):
            self.after.setChecked(True)
            self.count.setValue(int(recurrence["count"]))
        else:
            self.never.setChecked(True)
        self._show_pattern()

    def set_start(self, start: date) -> None:
        """The appointment moved to another day: a series not chosen yet follows it."""
        self._start = start
        if self.repeat.currentIndex() == NO_REPEAT:
            self._defaults(start)

    def recurrence(self) -> dict[str, Any] | None:
        index = self.repeat.currentIndex()
        if index == NO_REPEAT:
            return None
        value: dict[str, Any] = {"pattern": ""}
        if index == DAILY:
            value = {"pattern": "daily", "interval": self.interval.value()}
        elif index == WEEKLY:
            chosen = [name for name in WEEKDAYS if self.day_boxes[name].isChecked()]
            value = {
                "pattern": "weekly",
                "interval": self.interval.value(),
                "weekdays": chosen or [WEEKDAYS[self._start.weekday()]],
                "first_day_of_week": WEEKDAYS[QLocale().firstDayOfWeek().value - 1],
            }
        elif self.by_date.isChecked():
            value = {"pattern": "monthly", "day_of_month": self.day_of_month.value()}
        else:
            value = {
                "pattern": "relative-monthly",
                "week_number": WEEK_NUMBERS[self.week_number.currentIndex()],
                "weekday": (*WEEKDAYS, *DAY_SETS)[self.weekday.currentIndex()],
            }
        if index == MONTHLY:
            value["interval"] = self.interval.value()
        elif index == YEARLY:
            value["pattern"] = value["pattern"].replace("monthly", "yearly")
            chosen_month = self.month_of_day if self.by_date.isChecked() else self.month
            value["month"] = MONTHS[chosen_month.currentIndex()]
        value["start"] = self._start.isoformat()
        value["end"] = _day(self.until.date()).isoformat() if self.on_date.isChecked() else None
        value["count"] = self.count.value() if self.after.isChecked() else None
        original = self._original or {}
        if value["pattern"] == original.get("pattern") and original.get("first_day_of_week"):
            value["first_day_of_week"] = original["first_day_of_week"]
        same = _same_pattern(original, value)
        for key in _EXCEPTIONS:
            value[key] = list(original.get(key) or []) if same else []
        return value

    def dropped_exceptions(self) -> bool:
        """The pattern changed and the series had occurrences changed or deleted one by one."""
        original = self._original or {}
        had = any(original.get(key) for key in _EXCEPTIONS)
        current = self.recurrence()
        return had and (current is None or not _same_pattern(original, current))

    def summary(self) -> str:
        """The tab's title: how often it repeats, in a word."""
        return self.repeat.currentText()

    # Showing

    def _defaults(self, start: date) -> None:
        for name, box in self.day_boxes.items():
            box.setChecked(name == WEEKDAYS[start.weekday()])
        self.day_of_month.setValue(start.day)
        self.month.setCurrentIndex(start.month - 1)
        self.month_of_day.setCurrentIndex(start.month - 1)
        self.weekday.setCurrentIndex(start.weekday())
        week = (start.day - 1) // 7
        self.week_number.setCurrentIndex(min(week, len(WEEK_NUMBERS) - 1))
        self.until.setDate(_qdate(start).addMonths(3))

    def _show_pattern(self) -> None:
        index = self.repeat.currentIndex()
        repeats = index != NO_REPEAT
        for widget in (self.every, self.interval, self.unit):
            widget.setVisible(repeats and index != YEARLY)
        self.ends.setVisible(repeats)
        self.details.setCurrentIndex({WEEKLY: 1, MONTHLY: 2, YEARLY: 2}.get(index, 0))
        yearly = index == YEARLY
        for widget in (self.of_month, self.month, self.month_of_day):
            widget.setVisible(yearly)
        self._refresh()

    def _refresh(self) -> None:
        count = self.interval.value()
        units = {
            DAILY: self.tr("day(s)", "", count),
            WEEKLY: self.tr("week(s)", "", count),
            MONTHLY: self.tr("month(s)", "", count),
        }
        self.unit.setText(units.get(self.repeat.currentIndex(), ""))
        self.times.setText(self.tr("time(s)", "", self.count.value()))
        self.note.setText(
            self.tr(
                "The occurrences changed or deleted one by one go back to the series: "
                "the pattern changed."
            )
            if self.dropped_exceptions()
            else ""
        )


def _same_pattern(original: dict[str, Any], value: dict[str, Any]) -> bool:
    """The same series, whatever its exceptions: every key the editor sets is as it was."""
    return all(
        original.get(key) == wanted for key, wanted in value.items() if key not in _EXCEPTIONS
    )
