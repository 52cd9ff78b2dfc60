"""The README's in-memory loop for the engine (`-m "not end_to_end"`) leaves out every test over
HTTP, and a test that would start a sandbox server without the mark fails."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from exchange_sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def collected(*arguments: str) -> list[str]:
    """The ids pytest collects for these arguments, as the README's command would run them."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *arguments, "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_readmes_engine_loop_collects_the_in_memory_tests_and_none_over_http() -> None:
    loop = r"`\.venv/bin/pytest (tests/sync/engine -m \"not end_to_end\")`"
    (command,) = re.findall(loop, README)

    in_memory = collected(*shlex.split(command))
    over_http = collected("tests/sync/engine", "-m", "end_to_end")

    assert len(in_memory) > 100
    assert not [test for test in in_memory if "[ews" in test or "[graph" in test]
    assert not [test for test in in_memory if "test_kill_" in test]
    assert any("[ews" in test for test in over_http) and any("[graph" in test for test in over_http)
    assert not set(in_memory) & set(over_http)


def test_an_unmarked_test_that_starts_a_sandbox_server_fails_and_says_how_to_mark_it() -> None:
    with pytest.raises(AssertionError, match=r"mark it @pytest\.mark\.end_to_end"):
        SandboxServer().start()
