"""Running `liaison ...` in the test's process on the profile the window tests build."""

from __future__ import annotations

import pytest

from app.cli import run


def liaison(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command, which must succeed; what it printed."""
    code = run(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out
