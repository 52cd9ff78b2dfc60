"""The window's log file, in the profile's log directory (platformdirs, or LIAISON_HOME/logs)."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

from app.private_files import private_file, private_folder

LOG_FILE = "liaison.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
# Told of each uncaught exception once it is in the log (the crash dialog), from any thread.
_listeners: list[Callable[[ExcInfo], None]] = []


class _PrivateLog(logging.handlers.RotatingFileHandler):
    """The log names correspondents and subjects: each file it opens is its user's alone."""

    def _open(self) -> TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(log_dir: Path) -> Path:
    """Log to a rotating file; returns its path (shown to the user when something fails)."""
    private_folder(log_dir)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "liaison_window_log", False):
            root.removeHandler(handler)
            handler.close()
    handler = _PrivateLog(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.liaison_window_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    return path


def current_log_path() -> Path | None:
    """The file setup_logging opened, if it did."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "liaison_window_log", False):
            return Path(getattr(handler, "baseFilename", ""))
    return None


def on_uncaught(listener: Callable[[ExcInfo], None]) -> None:
    """Call `listener` after each uncaught exception has been logged (it replaces the last)."""
    _listeners[:] = [listener]


def _tell(info: ExcInfo) -> None:
    if issubclass(info[0], KeyboardInterrupt):
        return
    for listener in _listeners:
        listener(info)


def _log_uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    # An exception escaping a Qt slot lands here; it goes to the log, and the window goes on.
    log.error("uncaught exception", exc_info=(kind, value, traceback))
    sys.__excepthook__(kind, value, traceback)
    _tell((kind, value, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    info: ExcInfo = (args.exc_type, args.exc_value, args.exc_traceback)
    log.error("uncaught exception in thread %s", name, exc_info=info)
    _tell(info)
