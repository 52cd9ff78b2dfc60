"""The window's language: English in the source, Polish from resources/translations/*.qm.

The system language is the default; the options dialog can pin one. A missing or unreadable .qm
file leaves the window in English and says so in the log, never stops the app.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.ui.resources import translations_dir

log = logging.getLogger(__name__)

SYSTEM = "system"
LANGUAGES: tuple[str, ...] = ("en", "pl")
_installed: list[QTranslator] = []
_shown = ["en"]


def shown_language() -> str:
    """The language the window speaks now (what replies and forwards are written in)."""
    return _shown[0]


def resolve_language(choice: str | None) -> str:
    """The language to show for a stored choice ("system", "en", "pl" or nothing)."""
    if choice in LANGUAGES:
        return str(choice)
    system = QLocale.system().name().split("_", 1)[0]
    return system if system in LANGUAGES else "en"


def _formats_for(language: str) -> QLocale:
    """Dates and numbers as the system writes them, unless the window speaks another language
    than the system: then that language's (British conventions for English: day before month,
    weeks from Monday, as most of Liaison's users outside the US expect)."""
    system = QLocale.system()
    system_language = system.name().split("_", 1)[0]
    if system_language == language or (language == "en" and system_language == "C"):
        return system
    return QLocale("en_GB") if language == "en" else QLocale(language)


def install_language(choice: str | None, folder: Path | None = None) -> str:
    """Load the translations for `choice` (from `folder`, by default the shipped ones) into the
    application; returns the language shown."""
    application = QCoreApplication.instance()
    if application is None:
        raise RuntimeError("install_language needs a QApplication")
    for translator in _installed:
        application.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(choice)
    _shown[0] = "en"
    QLocale.setDefault(_formats_for(language))
    # English has a .qm too: it holds the plural forms ("1 change", "3 changes").
    own = QTranslator(application)
    path = (folder or translations_dir()) / f"liaison_{language}.qm"
    if not own.load(str(path)):
        log.warning("no usable translation at %s; the window stays in English", path)
        _shown[0] = "en"
        return "en"
    application.installTranslator(own)
    _installed.append(own)
    _shown[0] = language
    if language == "en":
        return language
    # Qt's own strings (standard buttons, context menus) come from Qt's translations if present.
    qt_translator = QTranslator(application)
    if qt_translator.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        application.installTranslator(qt_translator)
        _installed.append(qt_translator)
    return language
