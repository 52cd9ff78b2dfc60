"""Names a screen reader says for controls whose label is beside them, not on them.

Qt names a field from a label only when the label's buddy is that very widget; a form row
whose field is a composite (a line edit with a Choose… button, a date with its All day box)
leaves the controls inside unnamed. The row's label names them here.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QWidget,
)


def _label_text(widget: QWidget | None) -> str:
    if not isinstance(widget, (QLabel, QAbstractButton)):
        return ""
    return widget.text().replace("&", "").rstrip(" :*").strip()


def _name_field(field: QWidget, name: str) -> None:
    """Icon-only buttons are named by their tool tip, the rest by the row's label."""
    for control in [field, *field.findChildren(QWidget)]:
        if control.accessibleName() or (isinstance(control, QAbstractButton) and control.text()):
            continue
        tip = control.toolTip() if isinstance(control, QAbstractButton) else ""
        control.setAccessibleName(tip or name)


def _item_widgets(item: QLayoutItem | None) -> list[QWidget]:
    """The widgets a form row's field is: one widget, or those of a row layout."""
    if item is None:
        return []
    widget, inner = item.widget(), item.layout()
    if widget is not None:
        return [widget]
    if inner is None:
        return []
    items = (inner.itemAt(index) for index in range(inner.count()))
    widgets = (each.widget() for each in items if each is not None)
    return [widget for widget in widgets if widget is not None]


def _sub_layout(item: QLayoutItem | None) -> QLayout | None:
    if item is None:
        return None
    widget = item.widget()
    return item.layout() or (widget.layout() if widget is not None else None)


def name_form_fields(layout: QLayout) -> None:
    """Every unnamed control in a form row takes the row's label; nested forms too."""
    if isinstance(layout, QFormLayout):
        for row in range(layout.rowCount()):
            label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            name = _label_text(label.widget() if label is not None else None)
            if name:
                for field in _item_widgets(layout.itemAt(row, QFormLayout.ItemRole.FieldRole)):
                    _name_field(field, name)
    for index in range(layout.count()):
        inner = _sub_layout(layout.itemAt(index))
        if inner is not None:
            name_form_fields(inner)


def name_all_form_fields(window: QWidget) -> None:
    layout = window.layout()
    if layout is not None:
        name_form_fields(layout)
