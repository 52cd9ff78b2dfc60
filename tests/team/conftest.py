"""A team's shared CRM store on the real PostgreSQL cluster, and clients of it.

- `store_url`: a fresh, empty database of its own on the session's PostgreSQL cluster.
- `team`: makes client profiles (`team.client("anna", "anna.nowak@brightwave.example")`), each
  initialised for its mailbox owner and connected to the store as `liaison crm connect` does,
  with its own replica and local state; `client.workspace()` opens it.
- `store_rows(url, sql)`: what the store holds, read straight from it.
- `start_child`, `wait_until_ready`, `finish_children`: clients in processes of their own that
  say READY when they wait at the starting line, so a race starts when all of them are there.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.config import ProfilePaths, load_settings, profile_paths, save_settings
from app.mailbox.personal_options import set_personal_option
from app.team.membership import connect
from app.workspace import Workspace
from tests.team.starting_line import READY


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def store_url(postgres_url: str) -> Iterator[str]:
    name = f"team_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


CHILD = Path(__file__).with_name("team_child.py")
ROOT = Path(__file__).resolve().parents[2]


def start_child(client: Client, *arguments: str, password: str | None = None) -> Any:
    """team_child.py in a process of its own, as this client (see its docstring)."""
    env = {**os.environ, **client.env, "PYTHONPATH": str(ROOT)}
    if password is not None:
        env["LIAISON_TEST_PASSWORD"] = password
    return subprocess.Popen(
        [sys.executable, str(CHILD), *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_ready(children: list[Any], timeout: float = 120) -> None:
    """Block until every child has said READY on its standard output."""
    deadline = time.monotonic() + timeout
    for child in children:
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            said = child.stdout.readline() if selector.select(deadline - time.monotonic()) else ""
        if said.strip() != READY:
            child.kill()
            _, errors = child.communicate()
            raise AssertionError(f"a child did not get ready: {said!r} {errors}")


def finish_children(children: list[Any]) -> list[dict[str, Any]]:
    """Wait for every child; each must succeed; the JSON each printed last."""
    results = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def store_rows(url: str, sql: str, **params: Any) -> list[Any]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))
    finally:
        engine.dispose()


@dataclass
class Client:
    profile: str
    address: str
    name: str
    home: Path
    online_url: str = ""

    @property
    def paths(self) -> ProfilePaths:
        return profile_paths(self.profile, {"LIAISON_HOME": str(self.home)})

    @property
    def env(self) -> dict[str, str]:
        return {"LIAISON_HOME": str(self.home), "LIAISON_PROFILE": self.profile}

    @contextmanager
    def workspace(self) -> Iterator[Workspace]:
        with Workspace.open(self.profile) as opened:
            yield opened

    def sync(self) -> Any:
        with self.workspace() as workspace:
            return workspace.sync_crm()

    def go_offline(self) -> None:
        """The store becomes unreachable for this client: its URL now names a port where
        nothing listens (connections are refused), as when the VPN drops."""
        settings = load_settings(self.paths)
        self.online_url = settings["crm_url"]
        offline = make_url(self.online_url).set(port=refused_port())
        settings["crm_url"] = offline.render_as_string(hide_password=False)
        save_settings(self.paths, settings)

    def come_back(self) -> None:
        settings = load_settings(self.paths)
        settings["crm_url"] = self.online_url
        save_settings(self.paths, settings)


@dataclass
class Team:
    store_url: str
    home: Path
    clients: list[Client] = field(default_factory=list)

    def client(self, profile: str, address: str, name: str, **options: str) -> Client:
        client = Client(profile, address, name, self.home)
        with client.workspace() as workspace:
            workspace.initialise(address, name)
            with workspace.local.sessions.begin() as session:
                for key, value in options.items():
                    set_personal_option(session, key.replace("_", "-"), value)
        connect(client.paths, self.store_url)
        self.clients.append(client)
        return client


@pytest.fixture
def team(store_url: str, liaison_home: Path) -> Team:
    return Team(store_url, liaison_home)


@pytest.fixture
def rows(store_url: str) -> Callable[..., list[Any]]:
    def query(sql: str, **params: Any) -> list[Any]:
        return store_rows(store_url, sql, **params)

    return query
