"""`liaison account add|test|remove` and `liaison sync` against the sandbox."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.cli import run
from app.sandbox import SandboxServer, ServerVersion
from app.workspace import Workspace
from tests.sync.conftest import Sandbox, SandboxUser
from tests.sync.engine.conftest import cached_items, mime


def liaison(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
    code, out, _ = liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        sandbox.url,
        "--password-stdin",
        stdin=user.password + "\n",
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
    code, out, _ = liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        sandbox.url,
        "--password-stdin",
        stdin="nie-to-haslo\n",
    )

    assert code == 1
    assert "Credentials     FAILED" in out
    assert "Credentials failed: check the user name and password" in out
    assert "Traceback" not in out


def test_a_dead_server_is_reported_as_nothing_answering(
    user: SandboxUser, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        "http://127.0.0.1:9/EWS/Exchange.asmx",
        "--password-stdin",
        stdin="whatever\n",
    )

    assert code == 1
    assert "DNS             ok" in out
    assert "TLS failed: check that the server is up" in out


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[int]:
    """A TLS listener on loopback with a certificate nobody issued."""
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_an_untrusted_certificate_is_named_with_what_to_do(
    user: SandboxUser,
    self_signed_server: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        f"https://localhost:{self_signed_server}",
        "--password-stdin",
        stdin="whatever\n",
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
    liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        sandbox.url,
        "--password-stdin",
        stdin=user.password + "\n",
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


def test_sync_watch_brings_new_mail_while_it_runs_and_stops_on_ctrl_c(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        user.address,
        "--server",
        sandbox.url,
        "--password-stdin",
        stdin=user.password + "\n",
    )
    sandbox.server.deliver(
        user.address,
        mime("Greta Schulz <greta.schulz@mueller-mb.example>", user.address, "Angebot 2027"),
    )
    seen: list[list[str]] = []

    def meanwhile() -> None:
        """Wait for the first sync, deliver more mail, wait for it, then press Ctrl+C."""
        for expected in (["Angebot 2027"], ["Angebot 2027", "Lieferung KW 3"]):
            deadline = time.monotonic() + 30
            while _cached_subjects() != expected and time.monotonic() < deadline:
                time.sleep(0.1)
            seen.append(_cached_subjects())
            if len(seen) == 1:
                sandbox.server.deliver(
                    user.address,
                    mime(
                        "Greta Schulz <greta.schulz@mueller-mb.example>",
                        user.address,
                        "Lieferung KW 3",
                    ),
                )
        os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=meanwhile)
    helper.start()
    code, out, _ = liaison(capsys, monkeypatch, "sync", "--watch", "--quiet")
    helper.join()

    assert code == 0
    assert seen == [["Angebot 2027"], ["Angebot 2027", "Lieferung KW 3"]]
    # A summary after each sync; Ctrl+C may land before the last one is printed.
    assert out.startswith("Synced 1 changes in ")


def test_a_mailbox_the_user_may_not_open_is_named_as_the_failing_check(
    sandbox: Sandbox,
    user: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    director = sandbox.new_user("Dorota Kamińska-Ostrowska", domain="brightwave.example")

    code, out, _ = liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        director.address,
        "--username",
        user.address,
        "--server",
        sandbox.url,
        "--password-stdin",
        stdin=user.password + "\n",
    )

    assert code == 1
    assert "Credentials     ok" in out
    assert "Mailbox         FAILED" in out
    assert "Mailbox failed: check the address and that the user may open this mailbox" in out


def test_a_server_older_than_exchange_2010_sp1_is_named_as_the_failing_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exchange_2007 = ServerVersion(8, 3, 83, 6, version="Exchange2007_SP1")
    with SandboxServer(version=exchange_2007) as server:
        server.add_mailbox("jan.kowalski@brightwave.example", "Stary-serwer-1", "Jan Kowalski")

        code, out, _ = liaison(
            capsys,
            monkeypatch,
            "account",
            "add",
            "jan.kowalski@brightwave.example",
            "--server",
            server.url,
            "--password-stdin",
            stdin="Stary-serwer-1\n",
        )

    assert code == 1
    assert "Server version  FAILED  Microsoft Exchange Server 2007 SP3 (build 8.3.83.6)" in out
    assert "Server version failed: ask the administrator" in out
