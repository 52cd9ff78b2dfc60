"""`liaison sandbox serve|deliver` (run here as `python -m exchange_sandbox`)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from exchange_sandbox.cli import main as sandbox_main
from tests.support.sandbox import Sandbox, SandboxUser, make_account

REPO = Path(__file__).resolve().parents[2]
SMALL_DEMO = Path(__file__).parent / "data" / "demo"
EML = (
    b"From: Oliver Grant <oliver.grant@thames-retail.example>\r\n"
    b"Subject: Till integration - API credentials\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Credentials follow by phone.\r\n"
)


@contextmanager
def serve(*arguments: str) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """`python -m exchange_sandbox serve --port 0 ARGUMENTS`: the process, its EWS URL (its Graph
    URL when it serves Graph alone) and what it announced, once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "exchange_sandbox", "serve", "--port", "0", *arguments],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    announced = "".join(lines)
    url = re.search(r"EWS URL:\s+(\S+)", announced) or re.search(r"Graph URL:\s+(\S+)", announced)
    assert url, announced + (process.stderr.read() if process.stderr else "")
    try:
        yield process, url.group(1), announced
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    with serve(
        "--data", str(tmp_path), "--user", "oliver.grant@thames-retail.example:Tea-at-5"
    ) as (process, url, _):
        yield process, url


def test_serve_prints_the_url_and_mailboxes_and_stops_cleanly_on_ctrl_c(
    serving: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = serving
    account = make_account(url, "oliver.grant@thames-retail.example", "Tea-at-5")
    assert account.inbox.name == "Inbox"
    account.protocol.close()

    process.send_signal(signal.SIGINT)
    output, errors = process.communicate(timeout=10)

    assert process.returncode == 0
    assert "EWS sandbox stopped." in output
    assert "Traceback" not in errors


def test_deliver_over_http_puts_the_file_into_the_inbox(
    serving: tuple[subprocess.Popen[str], str], tmp_path: Path
) -> None:
    _, url = serving
    eml = tmp_path / "credentials.eml"
    eml.write_bytes(EML)

    status = sandbox_main(
        ["deliver", str(eml), "--to", "oliver.grant@thames-retail.example", "--url", url]
    )

    account = make_account(url, "oliver.grant@thames-retail.example", "Tea-at-5")
    assert status == 0
    assert [m.subject for m in account.inbox.all()] == ["Till integration - API credentials"]
    account.protocol.close()


def test_deliver_to_a_running_in_process_sandbox(
    sandbox: Sandbox, user: SandboxUser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(EML)

    status = sandbox_main(["deliver", str(eml), "--to", user.address, "--url", sandbox.url])

    assert status == 0
    assert "Delivered 'Till integration - API credentials'" in capsys.readouterr().out


def test_serve_refuses_a_non_loopback_address(capsys: pytest.CaptureFixture[str]) -> None:
    status = sandbox_main(["serve", "--host", "0.0.0.0", "--user", "a@example.com:pw"])

    assert status == 1
    assert "--allow-remote" in capsys.readouterr().err


def test_deliver_to_an_unknown_mailbox_says_so(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(EML)

    status = sandbox_main(
        ["deliver", str(eml), "--to", "nobody@nowhere.example", "--url", sandbox.url]
    )

    assert status == 1
    assert "No mailbox 'nobody@nowhere.example'" in capsys.readouterr().err


def test_deliver_to_a_server_that_is_not_there_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(EML)

    status = sandbox_main(
        ["deliver", str(eml), "--to", "a@b.example", "--url", "http://127.0.0.1:9"]
    )

    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith("liaison sandbox: Cannot reach the sandbox")
    assert error.count("\n") == 1


def test_a_user_argument_without_a_password_is_rejected() -> None:
    with pytest.raises(SystemExit):
        sandbox_main(["serve", "--user", "anna@example.com"])


def test_serve_seeds_an_empty_store_from_the_directory_it_is_given() -> None:
    with serve("--seed", str(SMALL_DEMO)) as (_, url, announced):
        account = make_account(url, "ewa.malinowska@tartak-las.example", "sosna-2026")
        assert account.inbox.total_count > 0
        account.protocol.close()

    assert "marek.dabrowski@tartak-las.example" in announced


def test_the_sandbox_alone_has_no_demo_to_seed_and_says_to_name_a_directory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = sandbox_main(["serve", "--port", "0", "--seed", "demo"])

    error = capsys.readouterr().err
    assert status == 1
    assert "--seed DIR" in error
    assert error.count("\n") == 1


def test_serve_prints_the_graph_url_and_a_token_that_reads_the_same_mailbox(
    tmp_path: Path,
) -> None:
    with serve("--user", "oliver.grant@thames-retail.example:Tea-at-5") as (_, url, announced):
        graph_url = re.search(r"Graph URL:\s+(\S+)", announced)
        token = re.search(r"Graph token:\s+(\S+)", announced)
        assert graph_url and token, announced
        eml = tmp_path / "credentials.eml"
        eml.write_bytes(EML)
        sandbox_main(
            ["deliver", str(eml), "--to", "oliver.grant@thames-retail.example", "--url", url]
        )

        answer = requests.get(
            f"{graph_url.group(1)}/me/mailFolders/inbox/messages",
            headers={"Authorization": f"Bearer {token.group(1)}"},
            timeout=10,
        )

    assert answer.status_code == 200
    assert [m["subject"] for m in answer.json()["value"]] == ["Till integration - API credentials"]


def test_serve_with_protocol_graph_answers_graph_and_not_ews() -> None:
    """As Exchange Online will after 1 April 2027."""
    arguments = ("--protocol", "graph", "--user", "oliver.grant@thames-retail.example:Tea-at-5")
    with serve(*arguments) as (_, graph_url, announced):
        token = re.search(r"Graph token:\s+(\S+)", announced)
        assert token and "EWS URL" not in announced, announced
        folder = requests.get(
            f"{graph_url}/me/mailFolders/inbox",
            headers={"Authorization": f"Bearer {token.group(1)}"},
            timeout=10,
        )
        ews = requests.post(graph_url.replace("/v1.0", "/EWS/Exchange.asmx"), timeout=10)

    assert folder.status_code == 200 and folder.json()["displayName"] == "Inbox"
    assert ews.status_code == 404
