"""Credentials live in the OS keyring and nowhere else.

Entries are keyed by service "liaison/<profile>" and the account name, so two profiles never see
each other's passwords. A system without a usable keyring backend gets a clear message, never a
crash.
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE_PREFIX = "liaison"


# Secrets that live only as long as this process, never written anywhere: the demo's sandbox
# password, so the demo works on a system without a keyring.
_session_secrets: dict[tuple[str, str], str] = {}


def remember_for_session(profile: str, account: str, secret: str) -> None:
    _session_secrets[(service_name(profile), account)] = secret


class SecretStoreUnavailable(Exception):
    """No keyring backend can store secrets on this system."""


_NO_BACKEND_HINT = (
    "No system keyring is available to store passwords. Install and unlock one "
    "(GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager), "
    "or install the 'keyrings.alt' package for a file-based keyring."
)


def service_name(profile: str) -> str:
    return f"{SERVICE_PREFIX}/{profile}"


def _backend() -> KeyringBackend:
    backend = keyring.get_keyring()
    # The "fail" backend is keyring's way of saying none is installed; priority 0 or less is a
    # placeholder that raises on every call.
    if type(backend).__module__.startswith("keyring.backends.fail") or backend.priority <= 0:
        raise SecretStoreUnavailable(_NO_BACKEND_HINT)
    return backend


def store_secret(profile: str, account: str, secret: str) -> None:
    try:
        _backend().set_password(service_name(profile), account, secret)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(
            f"The system keyring refused to store the password: {exc}"
        ) from exc


def load_secret(profile: str, account: str) -> str | None:
    remembered = _session_secrets.get((service_name(profile), account))
    if remembered is not None:
        return remembered
    try:
        return _backend().get_password(service_name(profile), account)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not be read: {exc}") from exc


def delete_secret(profile: str, account: str) -> None:
    try:
        _backend().delete_password(service_name(profile), account)
    except keyring.errors.PasswordDeleteError:
        return  # already gone: deleting is idempotent for the caller
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not be changed: {exc}") from exc


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
