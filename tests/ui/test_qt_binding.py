"""The Qt binding itself: one release (PySide6 6.12.0) dropped a reference to None on every call
of a void method, and on Python 3.11 the process died after a few thousand calls, typically while
the user typed in Set Regarding. pyproject.toml excludes it; this catches a binding that does it
again."""

from __future__ import annotations

import sys

from pytestqt.qtbot import QtBot

from app.crm.search import RecordHit, RecordKey
from app.tracking.model import RecordType
from app.ui.regarding_dialog import RegardingDialog

KEYSTROKES = 20  # enough to see a leak, too few to kill the test run with it


def test_typing_in_set_regarding_leaves_the_reference_count_of_none_alone(qtbot: QtBot) -> None:
    def search(text: str) -> list[RecordHit]:
        return [
            RecordHit(RecordKey(RecordType.CONTACT, number), f"Jan Kowalski {number}", text)
            for number in range(40)
        ]

    dialog = RegardingDialog(search)
    qtbot.addWidget(dialog)
    dialog.query.setText("k")  # the first search warms caches that hold None legitimately
    before = sys.getrefcount(None)

    for number in range(KEYSTROKES):
        dialog.query.setText("kowalski"[: number % 8 + 1])

    assert sys.getrefcount(None) >= before
    assert dialog.results.count() == 40
