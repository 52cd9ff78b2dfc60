"""Credentials live in the OS keyring and nowhere else.

Entries are keyed by service "liaison-profile/<id>" and the account name, where the id is the
profile's own (app.profile_identity): two profiles never see each other's passwords, not even two
LIAISON_HOME folders whose profiles have one name and one address. Older versions keyed entries by
the profile's name ("liaison/<name>"); such an entry moves to the new key the first time it is
read, so nobody types a password again. A system without a usable keyring backend gets a clear
message, never a crash.
"""

from __future__ import annotations

import logging
from contextlib import suppress

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from app.config import ProfilePaths
from app.profile_identity import profile_identity

SERVICE_PREFIX = "liaison-profile"
LEGACY_SERVICE_PREFIX = "liaison"

log = logging.getLogger(__name__)

# Secrets that live only as long as this process, never written anywhere: the demo's sandbox
# password, so the demo works on a system without a keyring.
_session_secrets: dict[tuple[str, str], str] = {}


def remember_for_session(paths: ProfilePaths, account: str, secret: str) -> None:
    _session_secrets[(service_name(paths), account)] = secret


class SecretStoreUnavailable(Exception):
    """No keyring backend can store secrets on this system."""


_NO_BACKEND_HINT = (
    "No system keyring is available to store passwords. Install and unlock one "
    "(GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager), "
    "or install the 'keyrings.alt' package for a file-based keyring."
)


def service_name(paths: ProfilePaths) -> str:
    return f"{SERVICE_PREFIX}/{profile_identity(paths).id}"


def legacy_service_name(paths: ProfilePaths) -> str:
    """Where versions before the profile id kept this profile's secrets."""
    return f"{LEGACY_SERVICE_PREFIX}/{paths.profile}"


def _backend() -> KeyringBackend:
    backend = keyring.get_keyring()
    # The "fail" backend is keyring's way of saying none is installed; priority 0 or less is a
    # placeholder that raises on every call.
    if type(backend).__module__.startswith("keyring.backends.fail") or backend.priority <= 0:
        raise SecretStoreUnavailable(_NO_BACKEND_HINT)
    return backend


def store_secret(paths: ProfilePaths, account: str, secret: str) -> None:
    try:
        _backend().set_password(service_name(paths), account, secret)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(
            f"The system keyring refused to store the password: {exc}"
        ) from exc


def load_secret(paths: ProfilePaths, account: str) -> str | None:
    service = service_name(paths)
    remembered = _session_secrets.get((service, account))
    if remembered is not None:
        return remembered
    try:
        backend = _backend()
        secret = backend.get_password(service, account)
        if secret is None:
            secret = _move_legacy_entry(backend, paths, account)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not be read: {exc}") from exc
    return secret


def delete_secret(paths: ProfilePaths, account: str) -> None:
    try:
        backend = _backend()
        try:
            backend.delete_password(service_name(paths), account)
        except keyring.errors.PasswordDeleteError:
            # Never moved to the profile's id, so the entry under its name is its own (once
            # moved, an entry found there belongs to another folder's profile of that name).
            # Already gone is fine: deleting is idempotent for the caller.
            with suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(legacy_service_name(paths), account)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not be changed: {exc}") from exc


def _move_legacy_entry(backend: KeyringBackend, paths: ProfilePaths, account: str) -> str | None:
    """An entry an older version kept under the profile's name, now under its id."""
    legacy = legacy_service_name(paths)
    secret = backend.get_password(legacy, account)
    if secret is None:
        return None
    backend.set_password(service_name(paths), account, secret)
    # Gone already: another process on this profile moved it a moment ago.
    with suppress(keyring.errors.PasswordDeleteError):
        backend.delete_password(legacy, account)
    log.info("moved the keyring entry for %s from %s to the profile's id", account, legacy)
    return secret


class MemoryKeyring(KeyringBackend):
    """A keyring held in memory, for tests and benchmarks: they must never touch the user's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise keyring.errors.PasswordDeleteError(username)
        del self.secrets[(service, username)]
