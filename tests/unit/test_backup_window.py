"""A failed upgrade, as the window says it: in words, with the backup put back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import profile_paths
from app.ui import logs
from app.ui.launch import launch
from tests.support.window_hooks import window_hooks_restored
from tests.unit.test_backup import failing_migrations, old_local_database, revision_of

__all__ = ["failing_migrations"]  # a fixture shared with the database-level tests


@pytest.fixture
def restored_hooks() -> Iterator[None]:
    """launch() installs the window's logging and crash hooks; put the test run's back."""
    with window_hooks_restored():
        yield


def test_the_window_says_a_failed_upgrade_was_undone_and_opens_nothing(
    qapp: QApplication, failing_migrations: str, restored_hooks: None
) -> None:
    paths = profile_paths().ensure()
    old_local_database(paths.local_database)
    said: list[str] = []

    def read_and_close_the_message() -> None:
        boxes = [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(50, read_and_close_the_message)
            return
        said.append(boxes[0].text())
        boxes[0].accept()

    QTimer.singleShot(0, read_and_close_the_message)
    assert launch(demo=False) == 1

    [message] = said
    assert "could not upgrade the database" in message
    assert "restored from the backup" in message
    assert "Traceback" not in message
    assert revision_of(paths.local_database) == "0001"
    logged = (paths.log_dir / logs.LOG_FILE).read_text(encoding="utf-8")
    assert "the 0099 revision cannot convert the mail folders" in logged
