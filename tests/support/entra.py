"""Signing in to Microsoft 365 as a user does, against the sandbox's identity endpoints.

- `https_sandbox` (module): a SandboxServer over HTTPS (MSAL takes only https authorities) with a
  certificate from a throwaway authority; `entra_ca` is that authority's file, and
  `entra_trusted` makes this process trust it as a company's own authority is trusted
  (REQUESTS_CA_BUNDLE, which requests, and so MSAL, prefer to any `verify` given in code).
  Devices poll every second.
- `new_user`: a mailbox of its own on that server, for one test.
- `Browser`: the user's browser: opens the authorize URL, fills in the sign-in form, and lets
  the page post the answer to the app's loopback redirect; or enters a device code on the
  /devicelogin page.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import requests

from exchange_sandbox import SandboxServer
from tests.support.sandbox import SandboxUser
from tests.sync.network import Certificates, issue_certificates, server_context

_USERS = itertools.count(1)
_INPUT = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"/>')
_ACTION = re.compile(r'<form method="POST" name="hiddenform" action="([^"]*)">')


def new_user(server: SandboxServer, name: str, password_word: str = "Haslo") -> SandboxUser:
    """A mailbox for `name` that no other test signs in to (the server lives for a module)."""
    number = next(_USERS)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    address = f"{ascii_name.lower().replace(' ', '.')}.{number}@brightwave.example"
    user = SandboxUser(address, f"{password_word}-{number}", name)
    server.add_mailbox(user.address, user.password, user.display_name)
    return user


@pytest.fixture(scope="module")
def entra_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return issue_certificates(tmp_path_factory.mktemp("entra-tls"))


@pytest.fixture(scope="module")
def entra_ca(entra_certificates: Certificates) -> Path:
    return entra_certificates.authority


@pytest.fixture
def entra_trusted(entra_ca: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(entra_ca))
    return entra_ca


@pytest.fixture(scope="module")
def https_sandbox(entra_certificates: Certificates) -> Iterator[SandboxServer]:
    with SandboxServer(tls=server_context(entra_certificates)) as server:
        server.identity.device_poll_interval = 1
        yield server


class Browser:
    """What the user does in a web browser (trusting what `entra_trusted` trusts)."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def sign_in(self, authorize_url: str, user: SandboxUser, password: str | None = None) -> str:
        """Open the authorize URL, sign in; returns the page the sign-in answered with."""
        page = self.session.get(authorize_url, timeout=10)
        page.raise_for_status()
        assert 'name="passwd"' in page.text
        answer = self.session.post(
            authorize_url,
            data={"login": user.address, "passwd": password or user.password},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.text

    @staticmethod
    def posted_answer(page: str) -> tuple[str, dict[str, str]]:
        """The form a form_post page sends to the app: where to, and its fields."""
        action = _ACTION.search(page)
        assert action is not None, page
        fields = {unescape(name): unescape(value) for name, value in _INPUT.findall(page)}
        return unescape(action.group(1)), fields

    def sign_in_and_return(self, authorize_url: str, user: SandboxUser) -> None:
        """The whole browser step: sign in, and let the page post its answer to the app."""
        action, fields = self.posted_answer(self.sign_in(authorize_url, user))
        requests.post(action, data=fields, timeout=10).raise_for_status()

    def enter_device_code(
        self, verification_uri: str, user_code: str, user: SandboxUser, password: str | None = None
    ) -> str:
        page = self.session.get(verification_uri, timeout=10)
        page.raise_for_status()
        answer = self.session.post(
            verification_uri,
            data={"otc": user_code, "login": user.address, "passwd": password or user.password},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.text
