"""Reading a file the user pointed at without reading more than Liaison would accept.

A 3 GB file named message.eml, or /dev/zero, must be refused before it is in memory: the size
of a regular file is checked first, and anything else (a device, a pipe) is read only up to the
limit and one byte more, which is enough to know it is too big.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class TooLarge(ValueError):
    """The file holds more than the limit; `size` is its size when known (a regular file)."""

    def __init__(self, path: Path, limit: int, size: int | None) -> None:
        self.path = path
        self.limit = limit
        self.size = size
        super().__init__(f"{path} holds more than {limit} bytes")


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole of `path`, if it holds at most `limit` bytes; TooLarge otherwise. OSError
    (missing, a folder, no permission) is the caller's to word."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise TooLarge(path, limit, info.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path, limit, None)
    return data


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
