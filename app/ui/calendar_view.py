"""The calendar: a day or a week of appointments on an hour grid, with tracked state and regarding.

The grid is painted, not built from widgets: a week of a busy calendar is a few dozen rectangles,
and painting keeps scrolling and resizing smooth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.mailbox.views import ScheduledItem
from app.ui.formatting import TRACKING_STATE_ICONS, to_local
from app.ui.icons import icon

HOUR_HEIGHT = 44
TIME_GUTTER = 56


@dataclass(frozen=True, slots=True)
class _Placed:
    entry: ScheduledItem
    rect: QRectF


def _local_minutes(moment: datetime) -> tuple[date, int]:
    local = to_local(moment)
    qdate = local.date()
    return date(
        qdate.year(), qdate.month(), qdate.day()
    ), local.time().hour() * 60 + local.time().minute()


class CalendarGrid(QWidget):
    """Columns of days and rows of hours; entries placed side by side where they overlap."""

    entry_selected = Signal(object)  # ScheduledItem or None
    entry_activated = Signal(object)  # ScheduledItem
    slot_activated = Signal(object)  # datetime (local, naive) of a double-clicked empty slot

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarGrid")
        self.setAccessibleName(self.tr("Calendar"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(HOUR_HEIGHT * 24)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.days: list[date] = []
        self.entries: list[ScheduledItem] = []
        self.selected: ScheduledItem | None = None
        self._placed: list[_Placed] = []

    def sizeHint(self) -> QSize:
        return QSize(700, HOUR_HEIGHT * 24)

    def show_days(self, days: list[date], entries: list[ScheduledItem]) -> None:
        self.days = days
        self.entries = [entry for entry in entries if not entry.all_day]
        if self.selected is not None and self.selected not in self.entries:
            self.selected = None
        self._layout_entries()
        self.update()

    def day_width(self) -> float:
        return (self.width() - TIME_GUTTER) / max(1, len(self.days))

    def resizeEvent(self, event: object) -> None:
        self._layout_entries()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def _layout_entries(self) -> None:
        self._placed = []
        width = self.day_width()
        for column, day in enumerate(self.days):
            spans = []
            for entry in self.entries:
                start_day, start_minute = _local_minutes(entry.start)
                end_day, end_minute = _local_minutes(entry.end)
                if (
                    start_day > day
                    or end_day < day
                    or (end_day == day and end_minute == 0 and start_day < day)
                ):
                    continue
                top = start_minute if start_day == day else 0
                bottom = end_minute if end_day == day else 24 * 60
                spans.append((top, max(bottom, top + self._shortest_minutes()), entry))
            spans.sort(key=lambda span: (span[0], -span[1]))
            for group in _overlap_groups(spans):
                lanes: list[int] = []  # the bottom of the last entry in each lane
                assigned = []
                for top, bottom, entry in group:
                    lane = next((i for i, end in enumerate(lanes) if end <= top), len(lanes))
                    if lane == len(lanes):
                        lanes.append(bottom)
                    else:
                        lanes[lane] = bottom
                    assigned.append((top, bottom, entry, lane))
                lane_width = (width - 6) / len(lanes)
                for top, bottom, entry, lane in assigned:
                    x = TIME_GUTTER + column * width + 2 + lane * lane_width
                    y = top * HOUR_HEIGHT / 60
                    height = (bottom - top) * HOUR_HEIGHT / 60
                    self._placed.append(
                        _Placed(entry, QRectF(x, y + 1, lane_width - 2, height - 2))
                    )

    def _shortest_minutes(self) -> int:
        """A five-minute call still gets one readable line."""
        return -(-(self.fontMetrics().height() + 6) * 60 // HOUR_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        width = self.day_width()
        grid = QPen(palette.color(QPalette.ColorRole.Mid))
        grid.setWidthF(0.6)
        painter.setPen(grid)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        today = QDate.currentDate()
        for column, day in enumerate(self.days):
            x = TIME_GUTTER + column * width
            if QDate(day.year, day.month, day.day) == today:
                highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(22)
                painter.fillRect(QRectF(x, 0, width, self.height()), highlight)
            painter.drawLine(QPoint(round(x), 0), QPoint(round(x), self.height()))
        locale = QLocale()
        for hour in range(24):
            y = hour * HOUR_HEIGHT
            painter.setPen(grid)
            painter.drawLine(TIME_GUTTER, y, self.width(), y)
            painter.setPen(faint)
            label = locale.toString(
                datetime(2000, 1, 1, hour).time(), QLocale.FormatType.ShortFormat
            )
            painter.drawText(
                QRectF(0, y + 2, TIME_GUTTER - 6, 16), Qt.AlignmentFlag.AlignRight, label
            )
        for placed in self._placed:
            self._paint_entry(painter, placed)
        painter.end()

    def _paint_entry(self, painter: QPainter, placed: _Placed) -> None:
        palette = self.palette()
        accent = QColor(palette.color(QPalette.ColorRole.Highlight))
        fill = QColor(accent)
        fill.setAlpha(235 if placed.entry == self.selected else 70)
        painter.setPen(QPen(accent, 1.2))
        painter.setBrush(fill)
        painter.drawRoundedRect(placed.rect, 4, 4)
        painter.fillRect(
            QRectF(placed.rect.left(), placed.rect.top(), 3, placed.rect.height()), accent
        )
        text_colour = (
            palette.color(QPalette.ColorRole.HighlightedText)
            if placed.entry == self.selected
            else palette.color(QPalette.ColorRole.Text)
        )
        painter.setPen(text_colour)
        inner = placed.rect.adjusted(7, 3, -4, -2)
        state_icon = TRACKING_STATE_ICONS.get(placed.entry.tracking_state)
        if state_icon and inner.width() > 40:
            icon(state_icon).paint(painter, round(inner.right()) - 14, round(inner.top()), 14, 14)
            inner.setRight(inner.right() - 16)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        title = placed.entry.subject or self.tr("(no subject)")
        details = " · ".join(
            part for part in (placed.entry.location, placed.entry.regarding_name) if part
        )
        metrics = painter.fontMetrics()
        if inner.height() < metrics.height() * 2:
            # One line: the title, shortened to fit.
            elided = metrics.elidedText(title, Qt.TextElideMode.ElideRight, round(inner.width()))
            painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, elided)
            return
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        used = painter.boundingRect(inner, flags, title)
        painter.drawText(inner, flags, title)
        if details and used.bottom() + metrics.height() <= inner.bottom():
            painter.setFont(self.font())
            below = QRectF(
                inner.left(), used.bottom() + 1, inner.width(), inner.bottom() - used.bottom()
            )
            painter.drawText(below, flags, details)

    def entry_at(self, point: QPoint) -> ScheduledItem | None:
        for placed in reversed(self._placed):
            if placed.rect.contains(point.toPointF()):
                return placed.entry
        return None

    def moment_at(self, point: QPoint) -> datetime | None:
        if point.x() < TIME_GUTTER or not self.days:
            return None
        column = min(len(self.days) - 1, int((point.x() - TIME_GUTTER) / self.day_width()))
        minutes = int(point.y() * 60 / HOUR_HEIGHT) // 30 * 30
        day = self.days[column]
        return datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.selected = self.entry_at(event.position().toPoint())
        self.entry_selected.emit(self.selected)
        self.update()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        entry = self.entry_at(event.position().toPoint())
        if entry is not None:
            self.entry_activated.emit(entry)
            return
        moment = self.moment_at(event.position().toPoint())
        if moment is not None:
            self.slot_activated.emit(moment)


def _overlap_groups(
    spans: list[tuple[int, int, ScheduledItem]],
) -> list[list[tuple[int, int, ScheduledItem]]]:
    """Runs of entries that overlap one another, directly or through a chain."""
    groups: list[list[tuple[int, int, ScheduledItem]]] = []
    group_end = -1
    for span in spans:
        if groups and span[0] < group_end:
            groups[-1].append(span)
            group_end = max(group_end, span[1])
        else:
            groups.append([span])
            group_end = span[1]
    return groups
