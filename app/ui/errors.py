"""Errors as the window words them: what went wrong and what to do, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.accounts import AccountError
from app.config import SettingsError
from app.crm.errors import CrmError
from app.db import DatabaseError
from app.keyed_settings import SettingError
from app.secrets import SecretStoreUnavailable
from app.services.errors import ServiceError
from app.sync.errors import SyncError

# Errors whose message is already written for the user.
USER_ERRORS: tuple[type[Exception], ...] = (
    AccountError,
    CrmError,
    DatabaseError,
    SecretStoreUnavailable,
    ServiceError,
    SettingError,
    SettingsError,
    SyncError,
)

log = logging.getLogger(__name__)
_log_path: list[str] = []


def set_log_path(path: str) -> None:
    _log_path[:] = [path]


def user_message(error: BaseException) -> str:
    if isinstance(error, USER_ERRORS):
        return str(error)
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}"
    text = QCoreApplication.translate(
        "Errors", "Something went wrong that Liaison did not expect: %1."
    ).replace("%1", str(error) or type(error).__name__)
    if _log_path:
        text += " " + QCoreApplication.translate("Errors", "The details are in %1.").replace(
            "%1", _log_path[0]
        )
    return text


def report(parent: QWidget, error: BaseException) -> None:
    """A failed action, shown in words, never as a traceback."""
    QMessageBox.warning(parent, "Liaison", user_message(error))


def run_or_report(parent: QWidget, action: Callable[[], object]) -> bool:
    """Run an action the user asked for; a failure is logged and reported. True if it ran."""
    try:
        action()
    except Exception as exc:
        log.exception("action failed")
        report(parent, exc)
        return False
    return True
