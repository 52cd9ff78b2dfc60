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


class UnreadableFile(ValueError):
    """A file the user named cannot be taken: the message says why, naming the file."""


def read_user_file(path: Path, limit: int, kind: str) -> bytes:
    """`path` read with read_bounded, every refusal worded for the user; `kind` says what the
    file should be ("an email message", "a CSV file")."""
    try:
        return read_bounded(path, limit)
    except TooLarge as exc:
        size = f" ({megabytes(exc.size)})" if exc.size is not None else ""
        raise UnreadableFile(
            f"{path}: too large{size} for {kind}; Liaison reads up to {megabytes(limit)}"
        ) from None
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a folder, not {kind}") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc.strerror or exc}") from None
