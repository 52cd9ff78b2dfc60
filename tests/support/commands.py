"""Running `liaison` as a user does: a process of its own on the test's profile (LIAISON_HOME is
set for every test), with what it prints and its exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Finished:
    code: int
    out: str
    err: str

    @property
    def said(self) -> list[str]:
        """The lines on stderr: a message for the user is exactly one."""
        return self.err.strip().splitlines()


def liaison(
    *argv: str | Path, umask: int | None = None, env: dict[str, str] | None = None
) -> Finished:
    """`liaison ARGV...`; `umask` as the shell that started it had it, `env` on top of ours."""

    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    result = subprocess.run(
        [sys.executable, "-m", "app", *map(str, argv)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        preexec_fn=set_umask if umask is not None else None,
        timeout=120,
    )
    return Finished(result.returncode, result.stdout, result.stderr)
