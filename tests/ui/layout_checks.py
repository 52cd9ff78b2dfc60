"""What a user would see wrong in a shown window: text cut off, controls a screen reader cannot
name, controls Tab never reaches. Each check returns the offenders in words, for the failure."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QGroupBox,
    QLabel,
    QTabBar,
    QWidget,
)

SLACK_PX = 1  # rounding between a hint and a geometry


def _shown(root: QWidget) -> list[QWidget]:
    return [widget for widget in root.findChildren(QWidget) if widget.isVisible()]


def _in_scroll_area(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__} {widget.objectName() or ''} {text!r}".replace("  ", " ")


def _text_fits(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return True
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            return needed <= widget.height() + SLACK_PX
        hint = widget.sizeHint()
        return (
            hint.width() <= widget.width() + SLACK_PX
            and hint.height() <= widget.height() + SLACK_PX
        )
    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.sizeHint().width() <= widget.width() + SLACK_PX
    if isinstance(widget, QGroupBox) and widget.title():
        title = widget.fontMetrics().horizontalAdvance(widget.title())
        return title <= widget.width()
    return True


def clipped_texts(root: QWidget) -> list[str]:
    """Labels and buttons narrower than their text, and those the window cuts off (outside its
    own rectangle, where no scroll bar brings them back)."""
    found = []
    bounds = root.rect()
    for widget in _shown(root):
        if not _text_fits(widget):
            found.append(f"{_name(widget)}: needs {widget.sizeHint()}, has {widget.size()}")
        elif isinstance(widget, (QLabel, QAbstractButton)) and not _in_scroll_area(widget, root):
            placed = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
            if not bounds.contains(placed):
                found.append(f"{_name(widget)}: at {placed}, outside the window {bounds}")
    return found


def focusable(root: QWidget) -> list[QWidget]:
    """The controls Tab should stop at: shown, enabled, taking keyboard focus themselves."""
    return [
        widget
        for widget in _shown(root)
        if widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget, QTabBar)  # a tab bar is reached through its pages
    ]


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader would announce without a name."""
    found = []
    for widget in focusable(root):
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            found.append(_name(widget))
    return found


def _one_of_a_choice(widget: QWidget) -> list[int]:
    """Tab stops once in a group of exclusive choices (the arrow keys move inside it): the
    group counts as reached when any of its buttons is."""
    if not isinstance(widget, QAbstractButton):
        return [id(widget)]
    if widget.group() is not None and widget.group().exclusive():
        return [id(button) for button in widget.group().buttons()]
    if widget.autoExclusive() and widget.parentWidget() is not None:
        siblings = widget.parentWidget().findChildren(QAbstractButton)
        return [id(button) for button in siblings if button.autoExclusive()]
    return [id(widget)]


def unreachable_controls(root: QWidget) -> list[str]:
    """Controls that pressing Tab over and over never focuses."""
    wanted = focusable(root)
    if not wanted:
        return []
    root.activateWindow()
    wanted[0].setFocus(Qt.FocusReason.TabFocusReason)
    reached: set[int] = set()
    for _ in range(len(wanted) * 3 + 10):
        QApplication.processEvents()
        current = QApplication.focusWidget()
        if current is not None:
            reached.add(id(current))
        if not root.focusNextChild():
            break
    return [_name(widget) for widget in wanted if reached.isdisjoint(_one_of_a_choice(widget))]
