"""`liaison account add|test|remove` and `liaison sync` against the sandbox."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.services.tracking import MailboxTracking
from app.sync.tracker import MAX_TRACK_FAILURES
from app.workspace import Workspace
from exchange_sandbox import SandboxServer, ServerVersion
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import (
    OVER_EWS,
    add_account,
    cached_items,
    liaison,
    mime,
    refuse_new_activities,
    set_options,
)
from tests.sync.network import issue_certificates, server_context


@pytest.fixture
def user(sandbox: Sandbox) -> SandboxUser:
    return sandbox.new_user("Anna Nowak", domain="brightwave.example")


def test_account_add_checks_everything_and_keeps_the_password_out_of_files(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    liaison_home: Path,
) -> None:
    code, out, _ = add_account(
        capsys,
        monkeypatch,
        user.address,
        sandbox.url,
        user.password,
    )

    assert code == 0, out
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[1:6]] == [
        "DNS",
        "TLS",
        "Credentials",
        "Mailbox",
        "Server",
    ]
    assert all(" ok " in line for line in lines[1:6])
    assert "Microsoft Exchange Server 2016" in out
    settings = (liaison_home / "config" / "settings.json").read_text()
    assert user.password not in settings
    assert json.loads(settings)["account"]["server_build"].startswith("15.")


def test_a_wrong_password_is_named_as_the_failing_check(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = add_account(
        capsys,
        monkeypatch,
        user.address,
        sandbox.url,
        "nie-to-haslo",
    )

    assert code == 1
    assert "Credentials     FAILED" in out
    assert "Credentials failed: check the user name and password" in out
    assert "Traceback" not in out


def test_a_dead_server_is_reported_as_nothing_answering(
    user: SandboxUser, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = add_account(
        capsys,
        monkeypatch,
        user.address,
        "http://127.0.0.1:9/EWS/Exchange.asmx",
        "whatever",
    )

    assert code == 1
    assert "DNS             ok" in out
    assert "TLS failed: check that the server is up" in out


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[int]:
    """An HTTPS server whose certificate comes from an authority this machine does not trust."""
    with SandboxServer(tls=server_context(issue_certificates(tmp_path))) as server:
        yield server.port


def test_an_untrusted_certificate_is_named_with_what_to_do(
    user: SandboxUser,
    self_signed_server: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = add_account(
        capsys,
        monkeypatch,
        user.address,
        f"https://localhost:{self_signed_server}",
        "whatever",
    )

    assert code == 1
    assert "TLS             FAILED  the certificate of localhost cannot be verified" in out
    assert "--no-verify-tls" in out


def test_sync_once_prints_a_summary_and_account_remove_forgets_the_password(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: object,
) -> None:
    add_account(
        capsys,
        monkeypatch,
        user.address,
        sandbox.url,
        user.password,
    )

    code, out, err = liaison(capsys, monkeypatch, "sync", "--once")
    assert code == 0, out + err
    assert out.startswith("Synced ")
    assert "items" in err  # the progress lines

    code, out, _ = liaison(capsys, monkeypatch, "account", "remove")
    assert code == 0 and "removed" in out
    assert not memory_keyring.secrets  # type: ignore[attr-defined]
    code, _, err = liaison(capsys, monkeypatch, "sync")
    assert code == 2
    assert "no mail account yet" in err


def test_sync_options_can_be_shown_and_set(
    user: SandboxUser, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = liaison(capsys, monkeypatch, "sync", "--set", "tracking-category", "CRM")
    assert code == 0
    assert "tracking-category  CRM" in out
    code, _, err = liaison(capsys, monkeypatch, "sync", "--set", "interval", "0")
    assert code == 2 and "interval" in err


def _cached_subjects() -> list[str]:
    with Workspace.open() as workspace:
        return [item.subject for item in cached_items(workspace)]


def _greta_writes(sandbox: Sandbox, user: SandboxUser, subject: str) -> None:
    sandbox.server.deliver(
        user.address, mime("Greta Schulz <greta.schulz@mueller-mb.example>", user.address, subject)
    )


@pytest.fixture
def offer_waiting(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The user's account added, and Greta's "Angebot 2027" waiting in the Inbox."""
    add_account(capsys, monkeypatch, user.address, sandbox.url, user.password)
    _greta_writes(sandbox, user, "Angebot 2027")


@pytest.mark.usefixtures("offer_waiting")
def test_sync_watch_brings_new_mail_while_it_runs_and_stops_on_ctrl_c(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str]] = []

    def meanwhile() -> None:
        """Wait for the first sync, deliver more mail, wait for it, then press Ctrl+C."""
        for expected in (["Angebot 2027"], ["Angebot 2027", "Lieferung KW 3"]):
            deadline = time.monotonic() + 30
            while _cached_subjects() != expected and time.monotonic() < deadline:
                time.sleep(0.1)
            seen.append(_cached_subjects())
            if len(seen) == 1:
                _greta_writes(sandbox, user, "Lieferung KW 3")
        os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=meanwhile)
    helper.start()
    code, out, _ = liaison(capsys, monkeypatch, "sync", "--watch", "--quiet")
    helper.join()

    assert code == 0
    assert seen == [["Angebot 2027"], ["Angebot 2027", "Lieferung KW 3"]]
    # A summary after each sync; Ctrl+C may land before the last one is printed.
    assert out.startswith("Synced 1 changes in ")


@pytest.mark.usefixtures("offer_waiting")
def test_ctrl_c_during_a_sync_of_sync_watch_cancels_it_and_stops(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Workspace.open() as workspace:
        set_options(workspace, track="all")
    faults = sandbox.server.faults
    faults.hold_answers(operation="SyncFolderItems")

    def meanwhile() -> None:
        """Ctrl+C while the server has the sync's first folder in hand, then its answer."""
        assert faults.wait_until_held(30)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.3)
        faults.release()

    helper = threading.Thread(target=meanwhile)
    helper.start()
    code, out, _ = liaison(capsys, monkeypatch, "sync", "--watch", "--quiet")
    helper.join()
    asked = faults.requests_seen
    time.sleep(0.5)

    assert code == 0
    assert out == "Sync cancelled.\n"
    assert faults.requests_seen == asked  # the watch asks the server nothing more
    inbox = sandbox.account(user).inbox
    assert [(m.subject, m.categories) for m in inbox.all()] == [("Angebot 2027", None)]
    # What the cancel left is consistent: the next sync tracks the message, once.
    code, out, _ = liaison(capsys, monkeypatch, "sync", "--quiet")
    assert code == 0 and "1 tracked" in out and "1 marks written" in out
    inbox.refresh()
    assert [(m.subject, m.categories) for m in inbox.all()] == [
        ("Angebot 2027", ["Tracked to Liaison"])
    ]


def test_a_mailbox_the_user_may_not_open_is_named_as_the_failing_check(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    director = sandbox.new_user("Dorota Kamińska-Ostrowska", domain="brightwave.example")

    code, out, _ = add_account(
        capsys,
        monkeypatch,
        director.address,
        sandbox.url,
        user.password,
        "--username",
        user.address,
    )

    assert code == 1
    assert "Credentials     ok" in out
    assert "Mailbox         FAILED" in out
    assert "Mailbox failed: check the address and that the user may open this mailbox" in out


@pytest.mark.end_to_end
def test_a_server_older_than_exchange_2010_sp1_is_named_as_the_failing_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exchange_2007 = ServerVersion(8, 3, 83, 6, version="Exchange2007_SP1")
    with SandboxServer(version=exchange_2007) as server:
        server.add_mailbox("jan.kowalski@brightwave.example", "Stary-serwer-1", "Jan Kowalski")

        code, out, _ = add_account(
            capsys,
            monkeypatch,
            "jan.kowalski@brightwave.example",
            server.url,
            "Stary-serwer-1",
        )

    assert code == 1
    assert "Server version  FAILED  Microsoft Exchange Server 2007 SP3 (build 8.3.83.6)" in out
    assert "Server version failed: ask the administrator" in out


LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"


@OVER_EWS
def test_sync_lists_in_words_a_mark_skipped_because_its_message_left_the_mailbox(
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    assert liaison(capsys, monkeypatch, "sync", "--quiet")[0] == 0
    (item,) = cached_items(workspace)
    MailboxTracking(workspace).track(item.id)
    (message,) = list(sandbox.account(mailbox).inbox.all())
    message.delete()

    code, out, _ = liaison(capsys, monkeypatch, "sync", "--quiet")

    assert code == 0
    headline, skipped = out.strip().splitlines()
    assert headline.startswith("Synced ")
    assert skipped == (
        "Skipped: “Reklamacja dostawy 4711” left the mailbox before it could be marked; "
        "its activity stays in the CRM."
    )


@OVER_EWS
def test_sync_lists_in_words_mail_it_gave_up_tracking(
    workspace: Workspace,
    deliver: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_options(workspace, track="all")
    refuse_new_activities(workspace)
    deliver(LUKASZ, "Reklamacja dostawy 4711")

    outputs = [liaison(capsys, monkeypatch, "sync", "--quiet") for _ in range(MAX_TRACK_FAILURES)]

    assert [code for code, _, _ in outputs] == [0] * MAX_TRACK_FAILURES
    first, last = outputs[0][1], outputs[-1][1]
    assert first.strip().splitlines()[1] == (
        "Skipped: “Reklamacja dostawy 4711” could not be tracked in the CRM yet; attempt 1 of "
        f"{MAX_TRACK_FAILURES}, tried again at the next sync."
    )
    assert last.strip().splitlines()[1:] == [
        f"Gave up: “Reklamacja dostawy 4711” could not be tracked in the CRM after "
        f"{MAX_TRACK_FAILURES} attempts; it shows the category 'Could not track'."
    ]
