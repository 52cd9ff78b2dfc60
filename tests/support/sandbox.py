"""The EWS sandbox for tests that talk to it over HTTP through exchangelib.

- `sandbox_server` (session): one SandboxServer on 127.0.0.1, random port, in-memory store.
- `sandbox` (function): a `Sandbox` handle on it; faults are reset after each test.
- `sandbox.new_user(name)`: a fresh mailbox with its own address, so tests never share data.
- `sandbox.account(user, retry_policy=...)`: an exchangelib Account against the sandbox, set up
  as the sync engine will: explicit endpoint, Basic auth, version detected, delegate access.
- `user` / `account`: one fresh mailbox and its Account, for the common case.

`make_account(url, address, password, ...)` builds the same Account for any sandbox URL.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from exchangelib import BASIC, DELEGATE, Account, Configuration, Credentials
from exchangelib.protocol import FailFast, RetryPolicy

from exchange_sandbox import SandboxServer

_USER_NUMBERS = itertools.count(1)
DEFAULT_DOMAIN = "kowalski-logistik.example"


@dataclass(frozen=True)
class SandboxUser:
    address: str
    password: str
    display_name: str


def make_account(
    url: str,
    address: str,
    password: str,
    retry_policy: RetryPolicy | None = None,
    max_connections: int | None = None,
    auth_type: str = BASIC,
) -> Account:
    config = Configuration(
        service_endpoint=url,
        credentials=Credentials(address, password),
        auth_type=auth_type,
        version=None,
        retry_policy=retry_policy or FailFast(),
        max_connections=max_connections,
    )
    return Account(
        primary_smtp_address=address,
        config=config,
        autodiscover=False,
        access_type=DELEGATE,
    )


def local_part(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".") or "user"


@dataclass
class Sandbox:
    server: SandboxServer
    accounts: list[Account] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def new_user(self, name: str = "Anna Kowalska", domain: str = DEFAULT_DOMAIN) -> SandboxUser:
        """A mailbox no other test uses: the address carries a running number."""
        address = f"{local_part(name)}.{next(_USER_NUMBERS)}@{domain}"
        password = f"Pass-{next(_USER_NUMBERS)}-word"
        self.server.add_mailbox(address, password, name)
        return SandboxUser(address, password, name)

    def account(
        self,
        user: SandboxUser,
        retry_policy: RetryPolicy | None = None,
        password: str | None = None,
        max_connections: int | None = None,
    ) -> Account:
        account = make_account(
            self.url,
            user.address,
            password if password is not None else user.password,
            retry_policy,
            max_connections,
        )
        self.accounts.append(account)
        return account


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[Sandbox]:
    handle = Sandbox(sandbox_server)
    yield handle
    sandbox_server.faults.reset()
    if not sandbox_server.is_up:
        sandbox_server.come_back()
    for account in handle.accounts:
        account.protocol.close()


@pytest.fixture
def user(sandbox: Sandbox) -> SandboxUser:
    return sandbox.new_user()


@pytest.fixture
def account(sandbox: Sandbox, user: SandboxUser) -> Account:
    return sandbox.account(user)
