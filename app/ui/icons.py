"""Icons from resources/icons, drawn in the palette's text colour so they suit light and dark.

Monochrome icons say `currentColor` in their SVG; coloured status icons (tracked, pending, failed)
keep their own colours, chosen to read on both palettes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.ui.resources import icon_path

log = logging.getLogger(__name__)

_SIZES = (16, 20, 24, 32, 48)
_cache: dict[tuple[str, str, str], QIcon] = {}


def _svg(name: str) -> str | None:
    try:
        return icon_path(name).read_text(encoding="utf-8")
    except OSError:
        log.warning("icon %s is missing from %s", name, icon_path(name).parent)
        return None


def _pixmap(svg: str, color: QColor, size: int, ratio: float) -> QPixmap:
    tinted = svg.replace("currentColor", color.name())
    renderer = QSvgRenderer(QByteArray(tinted.encode("utf-8")))
    pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str) -> QIcon:
    """The named icon in the current palette's colours; an empty icon if the file is missing."""
    palette = QGuiApplication.palette()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    key = (name, normal.name(), disabled.name())
    cached = _cache.get(key)
    if cached is not None:
        return cached
    result = QIcon()
    svg = _svg(name)
    if svg is not None:
        ratio = (
            QGuiApplication.primaryScreen().devicePixelRatio()
            if QGuiApplication.primaryScreen()
            else 1.0
        )
        for size in _SIZES:
            result.addPixmap(_pixmap(svg, normal, size, ratio), QIcon.Mode.Normal)
            result.addPixmap(_pixmap(svg, disabled, size, ratio), QIcon.Mode.Disabled)
    _cache[key] = result
    return result


def app_icon() -> QIcon:
    return icon("liaison")
