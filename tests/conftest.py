"""Fixtures every test gets: no user keyring, no user home, no display."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.secrets import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The EWS sandbox fixtures (sandbox_server, sandbox, user, account) for every test directory, and
# the HTTPS sandbox Microsoft 365 sign-in needs (https_sandbox, entra_trusted).
pytest_plugins = ["tests.support.sandbox", "tests.support.entra"]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def liaison_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "liaison-home"
    monkeypatch.setenv("LIAISON_HOME", str(home))
    monkeypatch.delenv("LIAISON_PROFILE", raising=False)
    return home


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url
