"""The Calendar place: a day, a week or a month, moved with Today, the arrows and a date picker;
new and edit open the appointment dialog with its Regarding field."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, QRectF, Qt, QTimeZone, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.mailbox.views import ScheduledItem
from app.ui.calendar_view import HOUR_HEIGHT, TIME_GUTTER, CalendarGrid
from app.ui.formatting import to_local
from app.ui.icons import icon
from app.ui.month_view import WEEKS, MonthGrid, entry_days

FIRST_VISIBLE_HOUR = 7


class CalendarMode(enum.Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def local_midnight_utc(day: date) -> datetime:
    """The UTC moment the local day begins (the store and the queries speak UTC)."""
    local = QDateTime(QDate(day.year, day.month, day.day), time(0), QTimeZone.systemTimeZone())
    return datetime.fromtimestamp(local.toSecsSinceEpoch(), UTC)


class DayHeader(QWidget):
    """Day names above the grid's columns, and the all-day appointments under them."""

    def __init__(self, grid: CalendarGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = grid
        self.all_day: list[ScheduledItem] = []
        self.setMinimumHeight(self.fontMetrics().height() * 2 + 14)

    def show_all_day(self, entries: list[ScheduledItem]) -> None:
        self.all_day = [entry for entry in entries if entry.all_day]
        rows = 1 + (1 if self.all_day else 0)
        self.setMinimumHeight(self.fontMetrics().height() * (rows + 1) + 14)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        locale = QLocale()
        width = self._grid.day_width()
        # The grid sits in a scroll area (frame, scroll bar): line the columns up with it.
        origin = self._grid.mapTo(self.window(), QPoint(0, 0)).x()
        offset = origin - self.mapTo(self.window(), QPoint(0, 0)).x()
        line = self.fontMetrics().height() + 6
        bold = QFont(self.font())
        bold.setBold(True)
        today = QDate.currentDate()
        for column, day in enumerate(self._grid.days):
            x = offset + TIME_GUTTER + column * width
            qday = QDate(day.year, day.month, day.day)
            painter.setFont(bold if qday == today else self.font())
            painter.setPen(
                palette.color(QPalette.ColorRole.Highlight)
                if qday == today
                else palette.color(QPalette.ColorRole.WindowText)
            )
            label = f"{locale.dayName(qday.dayOfWeek(), QLocale.FormatType.ShortFormat)} {day.day}"
            painter.drawText(QRectF(x, 2, width, line), Qt.AlignmentFlag.AlignCenter, label)
            painter.setFont(self.font())
            for row, entry in enumerate(entry for entry in self.all_day if _covers(entry, day)):
                rect = QRectF(x + 2, line + 4 + row * line, width - 4, line - 2)
                painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                inner = rect.adjusted(4, 0, -2, 0)
                shown = self.fontMetrics().elidedText(
                    entry.subject, Qt.TextElideMode.ElideRight, round(inner.width())
                )
                painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()


def _covers(entry: ScheduledItem, day: date) -> bool:
    return day in entry_days(entry)


class CalendarPage(QWidget):
    range_changed = Signal()
    appointment_activated = Signal(object)  # ScheduledItem (edit)
    new_appointment_requested = Signal(object)  # datetime (local, naive) or None
    selection_changed = Signal(object)  # ScheduledItem or None
    track_requested = Signal(object)  # ScheduledItem of an untracked Exchange appointment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self.anchor = date.today()
        self.mode = CalendarMode.WEEK
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        controls = QHBoxLayout()
        self.today_button = QPushButton(self.tr("Today"))
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(self.tr("Previous (Alt+Left)"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(self.tr("Next (Alt+Right)"))
        self.pick_button = QToolButton()
        self.pick_button.setObjectName("datePicker")
        self.pick_button.setAccessibleName(self.tr("Choose a day"))
        self.pick_button.setIcon(icon("calendar"))
        self.pick_button.setToolTip(self.tr("Go to a date"))
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.picker = QCalendarWidget()
        self.picker.setObjectName("datePickerCalendar")
        self.picker.setGridVisible(False)
        menu = QMenu(self.pick_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.picker)
        menu.addAction(holder)
        self.pick_button.setMenu(menu)
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.day_button = QPushButton(self.tr("Day"))
        self.week_button = QPushButton(self.tr("Week"))
        self.month_button = QPushButton(self.tr("Month"))
        self.month_button.setObjectName("monthView")
        self._mode_buttons = {
            CalendarMode.DAY: self.day_button,
            CalendarMode.WEEK: self.week_button,
            CalendarMode.MONTH: self.month_button,
        }
        modes = QButtonGroup(self)
        for button in self._mode_buttons.values():
            button.setCheckable(True)
            modes.addButton(button)
        self.week_button.setChecked(True)
        self.new_button = QPushButton(icon("new"), self.tr("New appointment"))
        self.track_button = QPushButton(icon("track"), self.tr("Track…"))
        self.track_button.setObjectName("trackAppointment")
        self.track_button.setToolTip(self.tr("Track the selected appointment regarding a record"))
        self.track_button.setEnabled(False)
        for widget in (
            self.today_button,
            self.previous_button,
            self.next_button,
            self.pick_button,
            self.title,
        ):
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (
            self.day_button,
            self.week_button,
            self.month_button,
            self.track_button,
            self.new_button,
        ):
            controls.addWidget(widget)
        layout.addLayout(controls)
        self.grid = CalendarGrid()
        self.header = DayHeader(self.grid)
        self.scroll = QScrollArea()
        self.scroll.setAccessibleName(self.tr("Calendar"))
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.grid)
        hours = QWidget()
        hours_layout = QVBoxLayout(hours)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self.header)
        hours_layout.addWidget(self.scroll, 1)
        self.month_grid = MonthGrid()
        self.views = QStackedWidget()
        self.views.addWidget(hours)
        self.views.addWidget(self.month_grid)
        layout.addWidget(self.views, 1)
        self.details = QLabel()
        self.details.setObjectName("appointmentDetails")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)

        self.today_button.clicked.connect(lambda: self.go_to(date.today()))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.picker.clicked.connect(self._picked)
        for mode, button in self._mode_buttons.items():
            button.clicked.connect(lambda _checked=False, mode=mode: self.set_mode(mode))
        self.new_button.clicked.connect(lambda: self.new_appointment_requested.emit(None))
        self.track_button.clicked.connect(self._track_selected)
        for view in (self.grid, self.month_grid):
            view.entry_selected.connect(self._selected)
            view.entry_activated.connect(self.appointment_activated)
            view.slot_activated.connect(self.new_appointment_requested)
        self.month_grid.day_activated.connect(self._open_day)
        for keys, step in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step(step))
        self.scroll.verticalScrollBar().setValue(FIRST_VISIBLE_HOUR * HOUR_HEIGHT)

    @property
    def week_view(self) -> bool:
        return self.mode is CalendarMode.WEEK

    def days(self) -> list[date]:
        if self.mode is CalendarMode.DAY:
            return [self.anchor]
        first_weekday = QLocale().firstDayOfWeek().value - 1  # Qt: Monday is 1
        first = self.anchor.replace(day=1) if self.mode is CalendarMode.MONTH else self.anchor
        start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
        count = 7 * WEEKS if self.mode is CalendarMode.MONTH else 7
        return [start + timedelta(days=offset) for offset in range(count)]

    def utc_range(self) -> tuple[datetime, datetime]:
        days = self.days()
        return local_midnight_utc(days[0]), local_midnight_utc(days[-1] + timedelta(days=1))

    def show_entries(self, entries: list[ScheduledItem]) -> None:
        days = self.days()
        locale = QLocale()
        if self.mode is CalendarMode.MONTH:
            self.month_grid.show_month(self.anchor.replace(day=1), days, entries)
            self.views.setCurrentWidget(self.month_grid)
            month = locale.standaloneMonthName(self.anchor.month, QLocale.FormatType.LongFormat)
            self.title.setText(f"{month} {self.anchor.year}")
            self._selected(self.month_grid.selected)
            return
        self.views.setCurrentIndex(0)
        self.grid.show_days(days, entries)
        self.header.show_all_day(entries)
        first, last = days[0], days[-1]
        if len(days) == 1:
            self.title.setText(locale.toString(_qdate(first), QLocale.FormatType.LongFormat))
        else:
            self.title.setText(
                f"{locale.toString(_qdate(first), 'd MMM')} – "
                f"{locale.toString(_qdate(last), 'd MMM yyyy')}"
            )
        self._selected(self.grid.selected)

    def go_to(self, day: date) -> None:
        self.anchor = day
        self.picker.setSelectedDate(_qdate(day))
        self.range_changed.emit()

    def step(self, direction: int) -> None:
        if self.mode is CalendarMode.MONTH:
            moved = _qdate(self.anchor).addMonths(direction)
            self.go_to(date(moved.year(), moved.month(), moved.day()))
            return
        self.go_to(self.anchor + timedelta(days=direction * (7 if self.week_view else 1)))

    def set_mode(self, mode: CalendarMode) -> None:
        self.mode = mode
        self._mode_buttons[mode].setChecked(True)
        self.range_changed.emit()

    def set_week_view(self, week: bool) -> None:
        self.set_mode(CalendarMode.WEEK if week else CalendarMode.DAY)

    def _picked(self, picked: QDate) -> None:
        self.pick_button.menu().hide()
        self.go_to(date(picked.year(), picked.month(), picked.day()))

    def _open_day(self, day: date) -> None:
        self.anchor = day
        self.set_mode(CalendarMode.DAY)

    def selected(self) -> ScheduledItem | None:
        view = self.month_grid if self.mode is CalendarMode.MONTH else self.grid
        return view.selected

    def _track_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.track_requested.emit(entry)

    def _selected(self, entry: ScheduledItem | None) -> None:
        self.selection_changed.emit(entry)
        self.track_button.setEnabled(
            entry is not None
            and entry.item_id is not None
            and entry.tracking_state not in ("tracked", "pending")
        )
        if entry is None:
            self.details.setText(self.tr("Double-click a free time to add an appointment."))
            return
        locale = QLocale()
        start, end = to_local(entry.start), to_local(entry.end)
        when = (
            self.tr("all day")
            if entry.all_day
            else f"{locale.toString(start, QLocale.FormatType.ShortFormat)} – "
            f"{locale.toString(end.time(), QLocale.FormatType.ShortFormat)}"
        )
        parts = [f"<b>{escape(entry.subject)}</b>", when]
        if entry.location:
            parts.append(escape(entry.location))
        if entry.recurring:
            parts.append(self.tr("repeats"))
        if entry.tracking_state in ("tracked", "pending"):
            regarding = entry.regarding_name or self.tr("no regarding record")
            parts.append(escape(self.tr("Tracked, regarding %1").replace("%1", regarding)))
        else:
            parts.append(self.tr("Not tracked"))
        self.details.setText(" · ".join(parts))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
