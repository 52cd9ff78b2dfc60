"""The Calendar place: a day or a week, moved with Today and the arrows; new and edit open the
appointment dialog with its Regarding field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from html import escape

from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, QRectF, Qt, QTimeZone, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.mailbox.views import ScheduledItem
from app.ui.calendar_view import HOUR_HEIGHT, TIME_GUTTER, CalendarGrid
from app.ui.formatting import to_local
from app.ui.icons import icon

FIRST_VISIBLE_HOUR = 7


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
                painter.drawText(
                    rect.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, entry.subject
                )
        painter.end()


def _covers(entry: ScheduledItem, day: date) -> bool:
    start = to_local(entry.start).date()
    end = to_local(entry.end).date()
    qday = QDate(day.year, day.month, day.day)
    return start <= qday < max(end, start.addDays(1))


class CalendarPage(QWidget):
    range_changed = Signal()
    appointment_activated = Signal(object)  # ScheduledItem (edit)
    new_appointment_requested = Signal(object)  # datetime (local, naive) or None
    selection_changed = Signal(object)  # ScheduledItem or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self.anchor = date.today()
        self.week_view = True
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
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.day_button = QPushButton(self.tr("Day"))
        self.week_button = QPushButton(self.tr("Week"))
        modes = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            modes.addButton(button)
        self.week_button.setChecked(True)
        self.new_button = QPushButton(icon("new"), self.tr("New appointment"))
        for widget in (self.today_button, self.previous_button, self.next_button, self.title):
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (self.day_button, self.week_button, self.new_button):
            controls.addWidget(widget)
        layout.addLayout(controls)
        self.grid = CalendarGrid()
        self.header = DayHeader(self.grid)
        layout.addWidget(self.header)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.grid)
        layout.addWidget(self.scroll, 1)
        self.details = QLabel()
        self.details.setObjectName("appointmentDetails")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)

        self.today_button.clicked.connect(lambda: self.go_to(date.today()))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.day_button.clicked.connect(lambda: self.set_week_view(False))
        self.week_button.clicked.connect(lambda: self.set_week_view(True))
        self.new_button.clicked.connect(lambda: self.new_appointment_requested.emit(None))
        self.grid.entry_selected.connect(self._selected)
        self.grid.entry_activated.connect(self.appointment_activated)
        self.grid.slot_activated.connect(self.new_appointment_requested)
        for keys, step in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step(step))
        self.scroll.verticalScrollBar().setValue(FIRST_VISIBLE_HOUR * HOUR_HEIGHT)

    def days(self) -> list[date]:
        if not self.week_view:
            return [self.anchor]
        first_weekday = QLocale().firstDayOfWeek().value - 1  # Qt: Monday is 1
        start = self.anchor - timedelta(days=(self.anchor.weekday() - first_weekday) % 7)
        return [start + timedelta(days=offset) for offset in range(7)]

    def utc_range(self) -> tuple[datetime, datetime]:
        days = self.days()
        return local_midnight_utc(days[0]), local_midnight_utc(days[-1] + timedelta(days=1))

    def show_entries(self, entries: list[ScheduledItem]) -> None:
        days = self.days()
        self.grid.show_days(days, entries)
        self.header.show_all_day(entries)
        locale = QLocale()
        first, last = days[0], days[-1]
        if len(days) == 1:
            self.title.setText(
                locale.toString(
                    QDate(first.year, first.month, first.day), QLocale.FormatType.LongFormat
                )
            )
        else:
            self.title.setText(
                f"{locale.toString(QDate(first.year, first.month, first.day), 'd MMM')} – "
                f"{locale.toString(QDate(last.year, last.month, last.day), 'd MMM yyyy')}"
            )
        self._selected(self.grid.selected)

    def go_to(self, day: date) -> None:
        self.anchor = day
        self.range_changed.emit()

    def step(self, direction: int) -> None:
        self.go_to(self.anchor + timedelta(days=direction * (7 if self.week_view else 1)))

    def set_week_view(self, week: bool) -> None:
        self.week_view = week
        self.week_button.setChecked(week)
        self.day_button.setChecked(not week)
        self.range_changed.emit()

    def _selected(self, entry: ScheduledItem | None) -> None:
        self.selection_changed.emit(entry)
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
        if entry.tracking_state in ("tracked", "pending"):
            regarding = entry.regarding_name or self.tr("no regarding record")
            parts.append(escape(self.tr("Tracked, regarding %1").replace("%1", regarding)))
        else:
            parts.append(self.tr("Not tracked"))
        self.details.setText(" · ".join(parts))
