"""A window that cannot start says why and ends, also when nobody is there to read a dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.launch import launch
from tests.support.window_hooks import window_hooks_restored


@pytest.fixture
def restored_hooks() -> Iterator[None]:
    with window_hooks_restored():
        yield


def test_a_smoke_test_of_a_demo_without_its_data_ends_with_the_reason_on_stderr(
    qapp: QApplication,
    restored_hooks: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # An installation that lost its demo files (the wheel once shipped none).
    monkeypatch.setattr("app.demo.demo_data_dir", lambda: tmp_path / "demo")

    assert launch(demo=True, quit_after_load=True) == 1

    error = capsys.readouterr().err
    assert error.startswith("liaison: ")
    assert f"The demo mailbox description {tmp_path / 'demo' / 'mailbox.json'}" in error
    assert "Traceback" not in error
