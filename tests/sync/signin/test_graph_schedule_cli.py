"""A Microsoft 365 user's appointments and tasks, as a script makes them: `liaison account add
--microsoft-365`, `liaison crm add appointment|task`, `liaison sync`, all over Graph; Exchange
(read here through EWS, the same mailbox) then holds each once, tracked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchangelib import EWSDate, EWSDateTime, EWSTimeZone

from app.mailbox.sync_options import DEFAULT_TRACKING_CATEGORY as TRACKED
from exchange_sandbox import SandboxServer
from tests.support.sandbox import SandboxUser, make_account
from tests.sync.signin import test_account_signin_cli as signin_cli
from tests.sync.signin.test_account_signin_cli import Terminal, liaison

# The sign-in tests' fixtures: a fresh mailbox, the terminal, the user's browser.
user = signin_cli.user
terminal = signin_cli.terminal
system_browser = signin_cli.system_browser


def added(terminal: Terminal, capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    terminal.seek(0)
    terminal.truncate(0)
    assert liaison(terminal, "crm", "add", *argv, "--json") == 0, capsys.readouterr().err
    return json.loads(terminal.getvalue())


def test_an_appointment_and_a_task_added_from_a_script_reach_exchange_over_graph(
    https_sandbox: SandboxServer,
    user: SandboxUser,
    terminal: Terminal,
    entra_trusted: Path,
    system_browser: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    add = signin_cli._add(https_sandbox, user, "--server", https_sandbox.graph_url)
    assert liaison(terminal, *add) == 0, terminal.getvalue()
    added(
        terminal,
        capsys,
        "appointment",
        "--subject",
        "Przegląd umowy – Acme",
        "--start",
        "2026-10-12T09:00",
        "--time-zone",
        "Europe/Warsaw",
        "--reminder",
        "10",
    )
    added(terminal, capsys, "task", "--subject", "Oferta dla Zielony Koszyk", "--due",
          "2026-10-09", "--priority", "high")  # fmt: skip

    assert liaison(terminal, "sync", "--once") == 0, capsys.readouterr().err
    assert liaison(terminal, "sync", "--once") == 0, capsys.readouterr().err

    exchange = make_account(https_sandbox.url, user.address, user.password)
    (meeting,) = list(exchange.calendar.all())
    assert meeting.subject == "Przegląd umowy – Acme"
    assert meeting.start == EWSDateTime(2026, 10, 12, 7, tzinfo=EWSTimeZone("UTC"))
    assert meeting.reminder_minutes_before_start == 10
    assert TRACKED in (meeting.categories or [])
    (task,) = list(exchange.tasks.all())
    assert (task.subject, task.due_date, task.importance) == (
        "Oferta dla Zielony Koszyk",
        EWSDate(2026, 10, 9),
        "High",
    )
    assert TRACKED in (task.categories or [])
