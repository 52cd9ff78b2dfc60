"""`liaison account migrate --to graph` as a user runs it: an EWS profile that synced and
tracked mail, moved to Microsoft Graph with a device code entered in a browser, then synced
over Graph with its tracked mail as it was."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts import BackendKind, load_account, new_account, save_account
from app.mailbox.models import MailItem
from app.mailbox.personal_options import set_personal_option
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from exchange_sandbox import SandboxServer
from tests.support.entra import Browser
from tests.support.sandbox import SandboxUser
from tests.sync.signin import test_account_signin_cli as signin_cli
from tests.sync.signin.test_account_signin_cli import CLIENT_ID, Terminal, liaison

# The sign-in tests' fixtures: a fresh mailbox, the terminal the command prints on.
user = signin_cli.user
terminal = signin_cli.terminal

OFFER = (
    "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>\r\nTo: {to}\r\n"
    "Subject: Zamówienie nr 4711\r\nMessage-ID: <z4711@acme-logistics.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nDzień dobry.\r\n"
)


def test_migrate_moves_a_synced_ews_profile_to_graph_with_its_tracked_mail(
    https_sandbox: SandboxServer, user: SandboxUser, terminal: Terminal, entra_trusted: Path
) -> None:
    https_sandbox.deliver(user.address, OFFER.format(to=user.address).encode())
    with Workspace.open() as workspace:
        workspace.initialise(user.address, None)
        save_account(workspace, new_account(user.address, https_sandbox.url), user.password)
        with workspace.local.sessions.begin() as session:
            set_personal_option(session, "track", "all")
    assert liaison(terminal, "sync") == 0, terminal.getvalue()
    https_sandbox.graph.requests_seen.clear()

    finished: list[int] = []
    command = threading.Thread(
        target=lambda: finished.append(
            liaison(
                terminal,
                "account",
                "migrate",
                "--to",
                "graph",
                "--client-id",
                CLIENT_ID,
                "--login-url",
                https_sandbox.base_url,
                "--server",
                https_sandbox.graph_url,
                "--device-code",
            )
        )
    )
    command.start()
    shown = terminal.wait_for(r"open the page (\S+) and enter the code (\w+)")
    Browser().enter_device_code(shown.group(1), shown.group(2), user)
    command.join(timeout=60)

    assert finished == [0], terminal.getvalue()
    assert "now syncs through Microsoft Graph" in terminal.getvalue()
    assert liaison(terminal, "sync") == 0, terminal.getvalue()
    with Workspace.open() as workspace:
        account = json.loads(workspace.paths.settings_file.read_text())["account"]
        with workspace.local.sessions() as session:
            (item,) = session.scalars(select(MailItem).where(MailItem.subject.like("Zam%")))
    assert account["backend"] == "graph"
    assert item.tracking_state == "tracked" and item.body_fetched
    seen = https_sandbox.graph.requests_seen
    assert any(path == "/me/translateExchangeIds" for _, path, _ in seen)
    assert not [q for _, _, q in seen if "body" in q.get("$select", "")]


def test_adding_microsoft_365_over_an_ews_profile_keeps_it_and_says_to_migrate(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Workspace.open() as workspace:
        workspace.initialise(user.address, None)
        save_account(workspace, new_account(user.address, https_sandbox.url), user.password)

    code = liaison(
        terminal, "account", "add", user.address, "--microsoft-365", "--client-id", CLIENT_ID
    )

    assert code != 0
    assert "liaison account migrate --to graph" in capsys.readouterr().err
    with Workspace.open() as workspace:
        account = load_account(workspace)
    assert account is not None and account.backend is BackendKind.EWS


def test_a_sync_engine_open_during_the_migrate_syncs_over_graph_after_it(
    https_sandbox: SandboxServer, user: SandboxUser, terminal: Terminal, entra_trusted: Path
) -> None:
    """A window left open while `account migrate` runs in a terminal: its engine's next sync
    goes through Graph, and never writes the Exchange Server account back."""
    https_sandbox.deliver(user.address, OFFER.format(to=user.address).encode())
    with Workspace.open() as workspace:
        workspace.initialise(user.address, None)
        save_account(workspace, new_account(user.address, https_sandbox.url), user.password)
        window_engine = SyncEngine.open(workspace)
        assert window_engine.sync_once().ok
        migrate = threading.Thread(
            target=liaison,
            args=(terminal, "account", "migrate", "--to", "graph", "--client-id", CLIENT_ID,
                  "--login-url", https_sandbox.base_url, "--server", https_sandbox.graph_url,
                  "--device-code"),
        )  # fmt: skip
        migrate.start()
        shown = terminal.wait_for(r"open the page (\S+) and enter the code (\w+)")
        Browser().enter_device_code(shown.group(1), shown.group(2), user)
        migrate.join(timeout=60)
        assert "now syncs through Microsoft Graph" in terminal.getvalue()
        https_sandbox.graph.requests_seen.clear()

        report = window_engine.sync_once()
        window_engine.close()

    assert report.ok, report.message
    assert https_sandbox.graph.requests_seen  # the sync went through Graph
    with Workspace.open() as workspace:
        account = load_account(workspace)
    assert account is not None and account.backend is BackendKind.GRAPH
