"""The kill tests' children (tests/support/forked.py) behave as processes started with Popen:
their own pid, environment and arguments, output on pipes, an exit code, killed for real."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.support import forked

SCRIPT = """
import os, sys, time

def main():
    print(os.environ["LIAISON_HOME"], os.getpid(), *sys.argv[1:], flush=True)
    print("a line on stderr", file=sys.stderr, flush=True)
    if "wait" in sys.argv:
        time.sleep(60)
    return 3

if __name__ == "__main__":
    sys.exit(main())
"""


def script(tmp_path: Path) -> Path:
    path = tmp_path / "child.py"
    path.write_text(SCRIPT)
    return path


def test_a_child_gets_its_environment_and_arguments_and_says_its_exit_code(
    tmp_path: Path,
) -> None:
    child = forked.start(script(tmp_path), ["sync", "--quiet"], {"LIAISON_HOME": "/profile"}, True)

    out, err = child.communicate(timeout=30)

    assert out == f"/profile {child.pid} sync --quiet\n"
    assert err == "a line on stderr\n"
    assert child.returncode == 3 and child.pid != os.getpid()


def test_a_child_killed_mid_way_reports_the_signal_as_popen_does(tmp_path: Path) -> None:
    child = forked.start(script(tmp_path), ["wait"], {"LIAISON_HOME": "/profile"})
    assert child.stdout.readline().startswith(b"/profile")
    assert child.poll() is None

    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)

    assert child.returncode == -signal.SIGKILL
