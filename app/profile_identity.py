"""What a profile knows of itself: a random id, and which databases it has made and when.

The id keys the profile's secrets in the keyring (app.secrets), so two profiles never share a
password whatever their names and addresses. The list of databases tells a database that was
lost (missing, or emptied) from one that was never made: only the second may be created afresh.

Both live in `profile.json` in the profile's settings folder, beside settings.json but not in it:
the window and the commands each hold the settings in memory and write them back whole, and one of
them writing older settings back must never drop the id (the keyring entries would be orphaned)
nor a database's entry. This file is created once, with its id, by whoever comes first, and
rewritten only to add or remove a database.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.config import ProfilePaths, SettingsError
from app.private_files import private_folder

IDENTITY_FILE = "profile.json"


@dataclass(frozen=True, slots=True)
class ProfileIdentity:
    id: str
    databases: dict[str, str]  # database (its file name in the data folder) -> when made (UTC)

    def made_on(self, paths: ProfilePaths, database: Path) -> str | None:
        """The day this profile made `database` (YYYY-MM-DD), or None if it never did."""
        made = self.databases.get(_key(paths, database))
        return made[:10] if made else None


def identity_file(paths: ProfilePaths) -> Path:
    return paths.config_dir / IDENTITY_FILE


def profile_identity(paths: ProfilePaths) -> ProfileIdentity:
    """The profile's identity, made (with a new id) the first time it is asked for."""
    path = identity_file(paths)
    data = _read(path)
    if data is None:
        _create(path, {"id": uuid.uuid4().hex, "databases": {}})
        data = _read(path)
        assert data is not None
    return _identity(path, data)


def remember_databases(paths: ProfilePaths, databases: list[Path]) -> None:
    """Note that the profile has these databases (from now on they must not go missing)."""
    identity = profile_identity(paths)
    new = {_key(paths, database) for database in databases} - identity.databases.keys()
    if not new:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    _write(paths, identity, {**identity.databases, **dict.fromkeys(sorted(new), now)})


def forget_database(paths: ProfilePaths, database: Path) -> None:
    """The profile let go of `database` on purpose (leaving a team drops its replica)."""
    identity = profile_identity(paths)
    key = _key(paths, database)
    if key in identity.databases:
        _write(paths, identity, {k: v for k, v in identity.databases.items() if k != key})


def _key(paths: ProfilePaths, database: Path) -> str:
    return database.name if database.parent == paths.data_dir else str(database)


def _identity(path: Path, data: dict[str, Any]) -> ProfileIdentity:
    identity = data.get("id")
    databases = data.get("databases", {})
    if not isinstance(identity, str) or not identity or not isinstance(databases, dict):
        raise SettingsError(_damaged(path))
    return ProfileIdentity(identity, {str(k): str(v) for k, v in databases.items()})


def _damaged(path: Path) -> str:
    return (
        f"{path} is damaged: remove it, and Liaison makes a new one (it then asks for the "
        "account's password again)"
    )


def _read(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsError(f"Cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise SettingsError(_damaged(path)) from None
    if not isinstance(data, dict):
        raise SettingsError(_damaged(path))
    return data


def _staged(folder: Path, data: dict[str, Any]) -> Path:
    """`data` in a new private file in `folder`, on disk, to be linked or moved into place."""
    descriptor, name = tempfile.mkstemp(dir=private_folder(folder), prefix=".profile-")
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Path(name)


def _create(path: Path, data: dict[str, Any]) -> None:
    """Create `path` whole, unless somebody else did first (then theirs stands)."""
    staged = _staged(path.parent, data)
    try:
        os.link(staged, path)  # fails if the file exists: two first starts keep one id
    except FileExistsError:
        pass
    except OSError:
        # A file system without hard links: exclusive creation is the next best thing.
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(staged.read_text(encoding="utf-8"))
        except FileExistsError:
            pass
    finally:
        staged.unlink(missing_ok=True)


def _write(paths: ProfilePaths, identity: ProfileIdentity, databases: dict[str, str]) -> None:
    staged = _staged(paths.config_dir, {"id": identity.id, "databases": databases})
    try:
        os.replace(staged, identity_file(paths))
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
