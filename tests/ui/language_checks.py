"""English left in a Polish window: every text a user reads on a shown window, compared with the
catalogue's English sources whose Polish differs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from functools import cache
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from app.shipped import resources_dir

CATALOGUE = "liaison_pl.ts"
_PLACEHOLDER = re.compile(r"%(?:n|\d)")
_MARKUP = re.compile(r"<[^>]+>")
# Words English sentences cannot do without and Polish never uses: they find English that never
# went through the catalogue (a sentence built in the core, an exception's text).
# Paths, and what the text quotes in parentheses (SQLite's own message), are not the window's.
_QUOTED = re.compile(r"\S*/\S*|\([^)]*\)")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|is|are|of|with|your|not|this|will|could|cannot)\b", re.I)


def catalogue_path() -> Path:
    return resources_dir() / "translations" / CATALOGUE


@cache
def english_patterns() -> tuple[re.Pattern[str], ...]:
    """Each English source that Polish words differently, as a pattern over a whole text
    (placeholders match anything). A source Polish keeps as it is in any context ("Status",
    "Online") is no sign of English."""
    pairs = []
    for message in ElementTree.parse(catalogue_path()).getroot().iter("message"):
        translation = message.find("translation")
        polish = "".join(translation.itertext()) if translation is not None else ""
        pairs.append((message.findtext("source") or "", polish))
    kept = {source for source, polish in pairs if source == polish}
    patterns = []
    for source in {source for source, _polish in pairs} - kept:
        words = _PLACEHOLDER.sub("", source).strip(" .:…")
        if len(words) < 4 or not re.search("[A-Za-z]{3}", words):
            continue
        parts = [re.escape(part) for part in _PLACEHOLDER.split(source)]
        patterns.append(re.compile(".+".join(parts).replace(r"\(s\)", r"(?:s|\(s\))?")))
    return tuple(patterns)


def _texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.accessibleName()]
    if widget.isWindow():
        texts.append(widget.windowTitle())
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(_MARKUP.sub("", widget.text()))
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(index) for index in range(widget.count())]
    if isinstance(widget, QTabWidget):
        texts += [widget.tabText(index) for index in range(widget.count())]
    if isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
        model = widget.model()
        texts += [
            str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            for column in range(model.columnCount(QModelIndex()))
        ]
    return [text.replace("&", "").strip() for text in texts if text and text.strip()]


def english_texts(root: QWidget) -> list[str]:
    """Texts shown on `root` and its visible children that are English sources, or English
    sentences from anywhere."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for text in _texts(widget):
            if _ENGLISH_WORDS.search(_QUOTED.sub("", text)) or any(
                pattern.fullmatch(text) for pattern in english_patterns()
            ):
                found.append(f"{type(widget).__name__} {widget.objectName()}: {text!r}")
    return found
