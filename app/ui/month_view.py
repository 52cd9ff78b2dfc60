"""A month of appointments: six weeks of days, each with as many of its appointments as fit and
"+N more" for the rest. Painted, like the day and week grid.

Click selects an appointment, double-click opens it; double-clicking a day's free space asks for
a new appointment that day, and its number opens the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.mailbox.views import ScheduledItem
from app.ui.formatting import to_local

WEEKS = 6
FIRST_NEW_HOUR = 9  # a new appointment made from the month starts at nine


@dataclass(frozen=True, slots=True)
class _Placed:
    entry: ScheduledItem
    rect: QRectF


def entry_days(entry: ScheduledItem) -> list[date]:
    """The days an appointment is shown on: an all-day one by its days (they are days
    anywhere), another by the local days its time touches."""
    if entry.all_day:
        first = entry.start.astimezone(UTC).date()
        last = max(first, (entry.end.astimezone(UTC) - timedelta(seconds=1)).date())
    else:
        first = _local_day(entry.start)
        last = max(first, _local_day(entry.end - timedelta(seconds=1)))
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _local_day(moment: datetime) -> date:
    local = to_local(moment).date()
    return date(local.year(), local.month(), local.day())


class MonthGrid(QWidget):
    entry_selected = Signal(object)  # ScheduledItem or None
    entry_activated = Signal(object)  # ScheduledItem
    day_activated = Signal(object)  # date: show that day
    slot_activated = Signal(object)  # datetime (local, naive): a new appointment then

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthGrid")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.month = date.today().replace(day=1)
        self.days: list[date] = []
        self.entries: list[ScheduledItem] = []
        self.selected: ScheduledItem | None = None
        self._placed: list[_Placed] = []
        self._more: dict[date, int] = {}

    def sizeHint(self) -> QSize:
        return QSize(700, 520)

    def show_month(self, month: date, days: list[date], entries: list[ScheduledItem]) -> None:
        self.month, self.days, self.entries = month, days, entries
        if self.selected is not None and self.selected not in entries:
            self.selected = None
        self._layout_entries()
        self.update()

    def on_day(self, day: date) -> list[ScheduledItem]:
        return [entry for entry in self.entries if day in entry_days(entry)]

    def more_on(self, day: date) -> int:
        """How many of the day's appointments did not fit."""
        return self._more.get(day, 0)

    # Geometry

    def _header_height(self) -> float:
        return self.fontMetrics().height() + 8

    def _cell(self, index: int) -> QRectF:
        width = self.width() / 7
        height = (self.height() - self._header_height()) / WEEKS
        row, column = divmod(index, 7)
        return QRectF(column * width, self._header_height() + row * height, width, height)

    def _line(self) -> float:
        return self.fontMetrics().height() + 4

    def resizeEvent(self, event: object) -> None:
        self._layout_entries()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def _layout_entries(self) -> None:
        self._placed, self._more = [], {}
        line = self._line()
        for index, day in enumerate(self.days):
            cell = self._cell(index)
            shown = sorted(self.on_day(day), key=lambda e: (not e.all_day, e.start, e.subject))
            room = max(0, int((cell.height() - line - 4) // line))
            if len(shown) > room:
                self._more[day] = len(shown) - max(0, room - 1)
                shown = shown[: max(0, room - 1)]
            for row, entry in enumerate(shown):
                top = cell.top() + line + 2 + row * line
                rect = QRectF(cell.left() + 3, top, cell.width() - 6, line - 2)
                self._placed.append(_Placed(entry, rect))

    # Painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        locale = QLocale()
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        text = palette.color(QPalette.ColorRole.Text)
        header = self._header_height()
        for column, day in enumerate(self.days[:7]):
            rect = QRectF(column * self.width() / 7, 0, self.width() / 7, header)
            painter.setPen(faint)
            qday = QDate(day.year, day.month, day.day)
            name = locale.dayName(qday.dayOfWeek(), QLocale.FormatType.ShortFormat)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        grid = QPen(palette.color(QPalette.ColorRole.Mid))
        grid.setWidthF(0.6)
        today = date.today()
        bold = QFont(self.font())
        bold.setBold(True)
        for index, day in enumerate(self.days):
            cell = self._cell(index)
            if day == today:
                highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(28)
                painter.fillRect(cell, highlight)
            painter.setPen(grid)
            painter.drawRect(cell)
            painter.setFont(bold if day == today else self.font())
            painter.setPen(text if day.month == self.month.month else faint)
            number = QRectF(cell.left() + 4, cell.top() + 2, cell.width() - 8, self._line())
            painter.drawText(
                number, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(day.day)
            )
            more = self._more.get(day)
            if more:
                painter.setFont(self.font())
                painter.setPen(faint)
                bottom = QRectF(
                    cell.left() + 4, cell.bottom() - self._line(), cell.width() - 8, self._line()
                )
                painter.drawText(
                    bottom,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self.tr("+%1 more").replace("%1", str(more)),
                )
        painter.setFont(self.font())
        for placed in self._placed:
            self._paint_entry(painter, placed)
        painter.end()

    def _paint_entry(self, painter: QPainter, placed: _Placed) -> None:
        palette = self.palette()
        accent = QColor(palette.color(QPalette.ColorRole.Highlight))
        entry = placed.entry
        selected = entry == self.selected
        if entry.all_day or selected:
            fill = QColor(accent)
            fill.setAlpha(235 if selected else 60)
            painter.fillRect(placed.rect, fill)
        else:
            painter.fillRect(
                QRectF(placed.rect.left(), placed.rect.top() + 2, 3, placed.rect.height() - 4),
                accent,
            )
        painter.setPen(
            palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else palette.color(QPalette.ColorRole.Text)
        )
        label = entry.subject or self.tr("(no subject)")
        if not entry.all_day:
            when = QLocale().toString(to_local(entry.start).time(), QLocale.FormatType.ShortFormat)
            label = f"{when} {label}"
        inner = placed.rect.adjusted(6, 0, -2, 0)
        elided = painter.fontMetrics().elidedText(
            label, Qt.TextElideMode.ElideRight, round(inner.width())
        )
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

    # Mouse

    def entry_at(self, point: QPointF) -> ScheduledItem | None:
        for placed in self._placed:
            if placed.rect.contains(point):
                return placed.entry
        return None

    def day_at(self, point: QPointF) -> date | None:
        for index, day in enumerate(self.days):
            if self._cell(index).contains(point):
                return day
        return None

    def _opens_day(self, point: QPointF, day: date) -> bool:
        """On the day's number, or on its "+N more" line."""
        cell = self._cell(self.days.index(day))
        on_more = bool(self.more_on(day)) and point.y() > cell.bottom() - self._line()
        return point.y() < cell.top() + self._line() or on_more

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.selected = self.entry_at(event.position())
        self.entry_selected.emit(self.selected)
        self.update()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        entry = self.entry_at(point)
        if entry is not None:
            self.entry_activated.emit(entry)
            return
        day = self.day_at(point)
        if day is None:
            return
        if self._opens_day(point, day):
            self.day_activated.emit(day)
        else:
            self.slot_activated.emit(datetime.combine(day, time(FIRST_NEW_HOUR)))
