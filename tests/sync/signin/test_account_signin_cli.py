"""`liaison account add --microsoft-365` and `liaison account signin` as a user runs them against
the sandbox's Entra ID: the device code read off the terminal and entered in a browser, or the
system browser opened on the sign-in page."""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts import AccountSettings, new_account, save_account
from app.cli import run
from app.config import profile_paths
from app.secrets import MemoryKeyring
from app.sync.graph.signin import token_source_for
from app.workspace import Workspace
from exchange_sandbox import SandboxServer
from tests.support.entra import Browser, new_user
from tests.support.sandbox import SandboxUser

CLIENT_ID = "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f"


class Terminal(io.StringIO):
    """What the command prints, readable while it runs."""

    def __init__(self) -> None:
        super().__init__()
        self._written = threading.Condition()

    def write(self, text: str) -> int:
        with self._written:
            count = super().write(text)
            self._written.notify_all()
        return count

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        with self._written:
            self._written.wait_for(lambda: re.search(pattern, self.getvalue()), timeout)
            found = re.search(pattern, self.getvalue())
        assert found is not None, self.getvalue()
        return found


@pytest.fixture
def user(https_sandbox: SandboxServer) -> SandboxUser:
    return new_user(https_sandbox, "Ewa Kamińska", "Tajne")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    return Terminal()


def liaison(terminal: Terminal, *argv: str) -> int:
    """`liaison ARGV...`, what it prints shown on `terminal` as it runs."""
    with contextlib.redirect_stdout(terminal):
        return run(list(argv))


@pytest.fixture
def system_browser(user: SandboxUser) -> Iterator[list[str]]:
    """The desktop's browser, registered with Python's webbrowser as a user's choice is: it
    shows the page and the user signs in."""
    opened: list[str] = []

    class UsersBrowser(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            threading.Thread(target=Browser().sign_in_and_return, args=(url, user)).start()
            return True

    webbrowser.register("users-browser", None, UsersBrowser(), preferred=True)
    yield opened
    webbrowser._tryorder.remove("users-browser")  # type: ignore[attr-defined]


def _add(https_sandbox: SandboxServer, user: SandboxUser, *options: str) -> list[str]:
    return [
        "account",
        "add",
        user.address,
        "--microsoft-365",
        "--client-id",
        CLIENT_ID,
        "--login-url",
        https_sandbox.base_url,
        *options,
    ]


def test_account_add_with_a_device_code_signs_in_as_the_user_does_on_another_device(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    finished: list[int] = []
    command = threading.Thread(
        target=lambda: finished.append(
            liaison(terminal, *_add(https_sandbox, user, "--device-code"))
        )
    )
    command.start()

    shown = terminal.wait_for(r"open the page (\S+) and enter the code (\w+)")
    Browser().enter_device_code(shown.group(1), shown.group(2), user)
    command.join(timeout=30)

    assert finished == [0], terminal.getvalue()
    assert f"Signed in to Microsoft 365 as {user.address}" in terminal.getvalue()
    with Workspace.open() as workspace:
        account = json.loads(workspace.paths.settings_file.read_text())["account"]
    assert account["backend"] == "graph"
    assert account["client_id"] == CLIENT_ID
    assert "RefreshToken" in next(iter(memory_keyring.secrets.values()))


def test_account_signin_opens_the_browser_and_signs_in_with_pkce(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    system_browser: list[str],
) -> None:
    assert liaison(terminal, *_add(https_sandbox, user)) == 0
    https_sandbox.identity.revoke_sign_ins(user.address)

    code = liaison(terminal, "account", "signin")

    assert code == 0, terminal.getvalue()
    assert len(system_browser) == 2
    assert all("code_challenge_method=S256" in url for url in system_browser)
    with Workspace.open() as workspace:
        account = json.loads(workspace.paths.settings_file.read_text())["account"]
    token = token_source_for(AccountSettings.from_json(account), profile_paths()).access_token()
    assert https_sandbox.graph_tokens.address_for(token) == user.address


def test_a_disabled_account_is_named_in_one_line_with_what_to_do(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    system_browser: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    https_sandbox.identity.policies.disabled.add(user.address)
    try:
        code = liaison(terminal, *_add(https_sandbox, user))
    finally:
        https_sandbox.identity.policies.disabled.clear()

    said = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(said) == 1
    assert "account is disabled" in said[0]
    assert "liaison account signin" in said[0]


def test_microsoft_365_needs_the_organisations_client_id(
    user: SandboxUser, terminal: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    code = liaison(terminal, "account", "add", user.address, "--backend", "graph", "--device-code")

    assert code == 2
    assert "--client-id" in capsys.readouterr().err


def test_sync_with_a_revoked_sign_in_stops_at_once_and_says_sign_in_again(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    system_browser: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    add = _add(https_sandbox, user, "--server", https_sandbox.graph_url)
    assert liaison(terminal, *add) == 0, terminal.getvalue()
    capsys.readouterr()
    synced = liaison(terminal, "sync", "--once")
    first = terminal.getvalue() + capsys.readouterr().err
    # The whole sync completes through Graph with the kept sign-in: mail, then the calendar
    # and tasks stage.
    assert synced == 0, first
    assert "items Inbox" in first and "calendar:" in first
    assert "Sign in again" not in first
    https_sandbox.identity.revoke_sign_ins(user.address)
    terminal.seek(0)
    terminal.truncate(0)

    code = liaison(terminal, "sync", "--once")

    said = terminal.getvalue() + capsys.readouterr().err
    assert code != 0
    assert "Sign in again" in said
    assert "items Inbox" not in said


def test_signin_for_an_exchange_server_account_says_it_signs_in_with_its_password(
    user: SandboxUser, terminal: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace.open() as workspace:
        workspace.initialise(user.address, None)
        save_account(workspace, new_account(user.address, "mail.brightwave.example"), "x")

    code = liaison(terminal, "account", "signin")

    assert code == 2
    assert "Exchange Server account" in capsys.readouterr().err


def test_account_test_checks_the_sign_in_the_mailbox_and_its_inbox_then_a_revoked_sign_in(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    system_browser: list[str],
) -> None:
    assert liaison(terminal, *_add(https_sandbox, user, "--server", https_sandbox.graph_url)) == 0
    terminal.seek(0)
    terminal.truncate(0)

    assert liaison(terminal, "account", "test") == 0
    passed = terminal.getvalue()
    https_sandbox.identity.revoke_sign_ins(user.address)
    terminal.seek(0)
    terminal.truncate(0)
    code = liaison(terminal, "account", "test")

    assert re.search(r"Sign-in\s+ok", passed) and re.search(r"Mailbox\s+ok", passed)
    assert re.search(r"Mail folders\s+ok\s+Inbox holds \d+", passed)
    assert "Everything works" in passed
    assert code == 1
    assert re.search(r"Sign-in\s+FAILED", terminal.getvalue())
    assert "failed: Sign in again: `liaison account signin`" in terminal.getvalue()
