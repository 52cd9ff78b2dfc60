"""Light and dark: follow the system by default, or pin one in the options.

Qt follows the platform's colour scheme on its own; pinning one uses the Fusion style with a
palette of that scheme, so every widget (and every tinted icon) reads well on it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

SYSTEM = "system"
LIGHT = "light"
DARK = "dark"
APPEARANCES: tuple[str, ...] = (SYSTEM, LIGHT, DARK)

_DARK_COLOURS = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#33353a",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#45484d",
    QPalette.ColorRole.Midlight: "#3a3d41",
    QPalette.ColorRole.Mid: "#2f3134",
    QPalette.ColorRole.Dark: "#1a1b1d",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#2f6ea5",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6cb4ee",
    QPalette.ColorRole.LinkVisited: "#b39ddb",
}
_DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#7a7a7a",
    QPalette.ColorRole.Text: "#7a7a7a",
    QPalette.ColorRole.ButtonText: "#7a7a7a",
}


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def apply_appearance(application: QApplication, choice: str | None) -> str:
    """Apply a stored choice; returns the scheme in effect ("light" or "dark")."""
    if choice == DARK:
        application.setStyle(QStyleFactory.create("Fusion"))
        application.setPalette(_dark_palette())
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        return DARK
    if choice == LIGHT:
        application.setStyle(QStyleFactory.create("Fusion"))
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Light)
        application.setPalette(application.style().standardPalette())
        return LIGHT
    QGuiApplication.styleHints().unsetColorScheme()
    return DARK if is_dark(application.palette()) else LIGHT


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
