"""The starting line of the team race tests (not a test module): a child process says READY on
its standard output once it is imported and set up, then waits for the starting gun, a file
the parent creates when every child is ready (conftest.wait_until_ready)."""

from __future__ import annotations

import time
from pathlib import Path

READY = "ready"


def wait_for_gun(gun: Path) -> None:
    print(READY, flush=True)
    while not gun.exists():
        time.sleep(0.005)  # a few milliseconds apart at most: the children start together
