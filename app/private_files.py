"""A profile's folders and files are its user's alone: folders 0700, files 0600 on POSIX.

The databases hold whole mail bodies and the log names correspondents, so nothing of a profile
may be readable by other local users, whatever the umask of the shell that started Liaison.
Folders and files are created with these modes (and set again, since a umask can take bits
away), and an older profile's are tightened when it is opened. Windows keeps a user's
application data private through its own access lists; there these are no-ops.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"


def private_folder(folder: Path) -> Path:
    """`folder` and every parent it needs, created private (existing parents are left as
    they are: they may be the user's home or a shared LIAISON_HOME)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=FOLDER_MODE, exist_ok=True)
        _set_mode(created, FOLDER_MODE)
    tighten(folder)
    return folder


def private_file(path: Path) -> Path:
    """An empty file made private before anything is written into it, when it is missing; an
    existing one is tightened. SQLite gives a database's -wal and -shm files the mode of the
    database, so creating the database this way keeps those private too."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
        return path
    try:
        if POSIX:
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def tighten(path: Path) -> None:
    """Take group and other access away from `path` (a file or a folder), if it has any."""
    if not POSIX:
        return
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        return  # a link's target is not ours to change
    wanted = FOLDER_MODE if stat.S_ISDIR(mode) else FILE_MODE
    if stat.S_IMODE(mode) != wanted:
        _set_mode(path, wanted)


def tighten_tree(folder: Path) -> None:
    """Tighten `folder` and everything under it (an older profile's, made under a umask)."""
    if not POSIX or not folder.is_dir():
        return
    tighten(folder)
    for root, folders, files in os.walk(folder):
        for name in (*folders, *files):
            tighten(Path(root, name))


def _set_mode(path: Path, mode: int) -> None:
    if POSIX:
        os.chmod(path, mode)
