"""Fixtures every test gets: no user keyring, no user home, no display."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.secrets import MemoryKeyring
from exchange_sandbox import SandboxServer
from tests.support.compiled_once import sqlite_compiled_once

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The EWS sandbox fixtures (sandbox_server, sandbox, user, account) for every test directory, and
# the HTTPS sandbox Microsoft 365 sign-in needs (https_sandbox, entra_trusted).
pytest_plugins = ["tests.support.sandbox", "tests.support.entra"]
# What reaches a sandbox over HTTP: the engine tests' `remote` on these, or these fixtures (a
# test that starts a server of its own says so with @pytest.mark.end_to_end).
END_TO_END_REMOTES = ("ews", "graph")
END_TO_END_FIXTURES = frozenset({"sandbox_server", "https_sandbox", "self_signed_server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `end_to_end` every test that reaches the sandbox over HTTP: `-m "not end_to_end"`
    leaves what runs in memory, the loop to work in; CI runs both."""
    for item in items:
        call = getattr(item, "callspec", None)
        over_http = call is not None and call.params.get("remote") in END_TO_END_REMOTES
        if over_http or END_TO_END_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker("end_to_end")


@pytest.fixture(autouse=True)
def end_to_end_is_declared(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a sandbox server without being marked `end_to_end` fails, so that
    `-m "not end_to_end"` keeps its promise of running in memory alone."""
    if request.node.get_closest_marker("end_to_end") is not None:
        return

    def refused(server: SandboxServer) -> SandboxServer:
        raise AssertionError(
            f"{request.node.nodeid} starts a sandbox server: mark it @pytest.mark.end_to_end "
            "or ask for one of tests/conftest.END_TO_END_FIXTURES"
        )

    monkeypatch.setattr(SandboxServer, "start", refused)


@pytest.fixture(autouse=True, scope="session")
def statements_compiled_once() -> Iterator[None]:
    with sqlite_compiled_once():
        yield


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
