"""Where Liaison keeps its files, and the small settings file of a profile.

Directories come from platformdirs, one set per profile. `LIAISON_HOME=DIR` puts a whole profile
(data, config, cache, logs) under DIR: tests and scripted use rely on it to stay out of the
user's home.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from app.private_files import private_folder, tighten_tree

APP_NAME = "Liaison"
APP_AUTHOR = "Liaison"
HOME_ENV = "LIAISON_HOME"
PROFILE_ENV = "LIAISON_PROFILE"
DEFAULT_PROFILE = "default"
SETTINGS_FILE = "settings.json"
TEAM_REPLICA_FILE = "team-replica.sqlite3"
MAX_PROFILE_NAME = 64
# Characters that make a name a path somewhere: separators on any system, and a drive's colon.
_PATH_CHARACTERS = frozenset("/\\:")


@dataclass(frozen=True, slots=True)
class ProfilePaths:
    profile: str
    data_dir: Path
    config_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE

    @property
    def crm_database(self) -> Path:
        return self.data_dir / "crm.sqlite3"

    @property
    def local_database(self) -> Path:
        return self.data_dir / "local.sqlite3"

    @property
    def team_replica(self) -> Path:
        """In a team, the local copy of the shared CRM (app.team), with its waiting changes."""
        return self.data_dir / TEAM_REPLICA_FILE

    @property
    def databases(self) -> tuple[Path, ...]:
        """Every SQLite database a profile can have, whether it exists or not."""
        return (self.crm_database, self.local_database, self.team_replica)

    def ensure(self) -> ProfilePaths:
        """The profile's folders exist and only its user can read them (app.private_files),
        with everything in them: a profile made by an older version is tightened here."""
        for directory in (self.data_dir, self.config_dir, self.cache_dir, self.log_dir):
            private_folder(directory)
            tighten_tree(directory)
        return self


class SettingsError(Exception):
    """The settings file exists but cannot be read as settings."""


class ProfileNameError(SettingsError):
    """A profile name that would be a path (`../x`, `/tmp/x`, `a/b`) rather than a name."""


def check_profile_name(name: str) -> str:
    """`name` if it names a folder inside the profiles' folder and nothing else."""
    problem = None
    if not name.strip() or name in (".", ".."):
        problem = "is not a name"
    elif any(character in _PATH_CHARACTERS for character in name):
        problem = "holds a path separator"
    elif any(unicodedata.category(character).startswith("C") for character in name):
        problem = "holds a control character"
    elif len(name) > MAX_PROFILE_NAME:
        problem = f"is longer than {MAX_PROFILE_NAME} characters"
    elif name != name.strip():
        problem = "starts or ends with a space"
    if problem:
        raise ProfileNameError(
            f"The profile name {name!r} {problem}: {PROFILE_ENV} takes a name such as "
            "'sales' or 'anna-2026', and the profile lives in a folder of that name"
        )
    return name


def profile_paths(
    profile: str | None = None, environ: dict[str, str] | None = None
) -> ProfilePaths:
    env = os.environ if environ is None else environ
    name = check_profile_name(profile or env.get(PROFILE_ENV) or DEFAULT_PROFILE)
    home = env.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        if name != DEFAULT_PROFILE:
            root = root / "profiles" / name
        return ProfilePaths(name, root / "data", root / "config", root / "cache", root / "logs")
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
    return ProfilePaths(
        name,
        Path(dirs.user_data_dir) / name,
        Path(dirs.user_config_dir) / name,
        Path(dirs.user_cache_dir) / name,
        Path(dirs.user_log_dir) / name,
    )


def load_settings(paths: ProfilePaths) -> dict[str, Any]:
    try:
        text = paths.settings_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"Cannot read {paths.settings_file}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            f"{paths.settings_file} is damaged (line {exc.lineno}): fix or remove it"
        ) from exc
    except RecursionError:
        raise SettingsError(
            f"{paths.settings_file} is damaged (nested too deeply): fix or remove it"
        ) from None
    if not isinstance(data, dict):
        raise SettingsError(f"{paths.settings_file} does not hold settings: fix or remove it")
    return data


def save_settings(paths: ProfilePaths, settings: dict[str, Any]) -> None:
    """Write atomically, so a full disk or a crash never leaves half a settings file."""
    private_folder(paths.config_dir)
    fd, tmp_name = tempfile.mkstemp(dir=paths.config_dir, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(settings, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, paths.settings_file)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def crm_url(paths: ProfilePaths, settings: dict[str, Any]) -> str:
    """The CRM store's SQLAlchemy URL: the profile's SQLite file unless a team URL is set."""
    configured = settings.get("crm_url")
    if isinstance(configured, str) and configured:
        return configured
    return f"sqlite:///{paths.crm_database}"


def local_url(paths: ProfilePaths) -> str:
    return f"sqlite:///{paths.local_database}"
