"""Undoing what the window's start installs process-wide: the log file handler and the
excepthooks (app.ui.logs, app.ui.crash_dialog), so one test's hooks never reach the next."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.ui import logs


@contextmanager
def window_hooks_restored() -> Iterator[None]:
    hooks = (sys.excepthook, threading.excepthook)
    handlers = list(logging.getLogger().handlers)
    try:
        yield
    finally:
        sys.excepthook, threading.excepthook = hooks
        for handler in logging.getLogger().handlers:
            if handler not in handlers:
                logging.getLogger().removeHandler(handler)
                handler.close()
        logs.on_uncaught(lambda _info: None)
