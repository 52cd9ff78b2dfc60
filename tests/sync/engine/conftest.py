"""A Liaison profile wired to a fresh mailbox, and helpers to write mail into it.

- `remote`: the server behind the test (tests/support/remote.py): the in-memory backend's
  server unless the test asks for EWS with `@OVER_EWS` (the EWS sandbox over HTTP only) or
  `@BOTH` (the test runs once against each), or over Microsoft Graph with `@OVER_GRAPH` (the
  sandbox's Graph endpoint; another client still works through EWS), `@OVER_EWS_AND_GRAPH`,
  `@MAIL_EVERYWHERE` and `@APPOINTMENTS_EVERYWHERE` (all three). A run over EWS or Graph is
  marked `end_to_end` (tests/conftest.py): `-m "not end_to_end"` runs the in-memory ones alone.
- `mailbox`: the mailbox's user (address, password, display name); no test shares one.
- `workspace`: the profile (LIAISON_HOME of the test) initialised for that user, with the account
  configured and the password in the test's keyring. Its databases start as copies of a pair
  migrated once per session (migrating them costs more than most tests).
- `engine`: a SyncEngine on it reaching the remote with short retry waits, closed after the test.
- `crm`: helpers that fill the CRM (accounts, contacts) the way an import would.
- `deliver(...)`: a message delivered to the mailbox as received mail.
- `refuse_new_activities(workspace)`: the CRM refuses every new email activity from now on.
- `statements_run(engine)`: the SQL a database engine runs inside a `with` block;
  `comes_true(condition, seconds)`: a condition another thread makes true, awaited.
- `liaison(capsys, monkeypatch, *argv, stdin=...)`: run a `liaison` command in-process;
  `add_account(capsys, monkeypatch, address, server, password, *options)` runs
  `liaison account add` with the password on stdin.
"""

from __future__ import annotations

import io
import itertools
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import selectinload

from app.accounts import save_account
from app.cli import run
from app.config import profile_paths
from app.crm.models import Account, Contact, EmailActivity
from app.crm.records import create_account, create_contact
from app.db import open_database
from app.db.migrate import Tree
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.personal_options import set_personal_option
from app.sync.backend import BackendFactory
from app.sync.engine import EngineSettings, SyncEngine
from app.sync.ews.connect import RetrySettings
from app.sync.ews.factory import EwsFactory
from app.workspace import Workspace
from tests.support.remote import GraphRemote, MemoryRemote, Remote, SandboxRemote
from tests.support.sandbox import SandboxUser

FAST_RETRY = RetrySettings(max_wait=3.0, first_retry=0.05, timeout=10.0)
_MESSAGE_NUMBERS = itertools.count(1)

OVER_EWS = pytest.mark.parametrize("remote", ["ews"], indirect=True)
BOTH = pytest.mark.parametrize("remote", ["memory", "ews"], indirect=True)
# Mail and appointment scenarios also run over Microsoft Graph (tasks over Graph:
# test_tasks_over_graph.py).
MAIL_EVERYWHERE = pytest.mark.parametrize("remote", ["memory", "ews", "graph"], indirect=True)
APPOINTMENTS_EVERYWHERE = pytest.mark.parametrize(
    "remote", ["memory", "ews", "graph"], indirect=True
)
OVER_GRAPH = pytest.mark.parametrize("remote", ["graph"], indirect=True)
OVER_EWS_AND_GRAPH = pytest.mark.parametrize("remote", ["ews", "graph"], indirect=True)


@pytest.fixture
def remote(request: pytest.FixtureRequest) -> Remote:
    kind = getattr(request, "param", "memory")
    if kind in ("ews", "graph"):
        sandbox = request.getfixturevalue("sandbox")
        user = sandbox.new_user("Anna Nowak", domain="brightwave.example")
        return (GraphRemote if kind == "graph" else SandboxRemote)(sandbox, user)
    return MemoryRemote.new("Anna Nowak", "brightwave.example")


@pytest.fixture
def mailbox(remote: Remote) -> SandboxUser:
    return remote.user


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory: pytest.TempPathFactory) -> dict[Tree, Path]:
    directory = tmp_path_factory.mktemp("migrated")
    found: dict[Tree, Path] = {}
    for tree in ("crm", "local"):
        found[tree] = directory / f"{tree}.sqlite3"
        open_database(f"sqlite:///{found[tree]}", tree).dispose()
    return found


@pytest.fixture
def workspace(remote: Remote, migrated_databases: dict[Tree, Path]) -> Iterator[Workspace]:
    paths = profile_paths().ensure()
    shutil.copyfile(migrated_databases["crm"], paths.crm_database)
    shutil.copyfile(migrated_databases["local"], paths.local_database)
    with Workspace.open() as opened:
        opened.initialise(remote.user.address, remote.user.display_name)
        save_account(opened, remote.account(), remote.user.password)
        yield opened


def engine_settings(backends: BackendFactory | None = None) -> EngineSettings:
    """Short waits, on the given backend (default: EWS, as the window's sandbox tests use)."""
    return EngineSettings(
        backends=backends or EwsFactory(FAST_RETRY), outbox_retry_pause=timedelta(0)
    )


@pytest.fixture
def engine(workspace: Workspace, remote: Remote) -> Iterator[SyncEngine]:
    opened = SyncEngine.open(workspace, engine_settings(remote.backends()))
    yield opened
    opened.close()


@dataclass
class Crm:
    workspace: Workspace

    def account(self, name: str, email: str) -> int:
        with self.workspace.crm.sessions.begin() as session:
            owner = self.workspace.owner(session)
            return create_account(session, name, [email], owner=owner).id

    def contact(self, first: str, last: str, email: str, account_id: int | None = None) -> int:
        with self.workspace.crm.sessions.begin() as session:
            owner = self.workspace.owner(session)
            company = session.get(Account, account_id) if account_id else None
            return create_contact(session, first, last, [email], owner=owner, account=company).id

    def email_activities(self) -> list[EmailActivity]:
        with self.workspace.crm.sessions() as session:
            return list(session.scalars(select(EmailActivity).order_by(EmailActivity.id)))

    def contacts(self) -> list[Contact]:
        with self.workspace.crm.sessions() as session:
            return list(
                session.scalars(
                    select(Contact).options(selectinload(Contact.addresses)).order_by(Contact.id)
                )
            )


@pytest.fixture
def crm(workspace: Workspace) -> Crm:
    return Crm(workspace)


def mime(
    sender: str,
    to: str,
    subject: str,
    body: str = "Dzień dobry,\n\nw załączeniu szczegóły.\n",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    sensitivity: str | None = None,
    sent: datetime | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    cc: str | None = None,
) -> bytes:
    """An RFC 5322 message; `attachments` are (file name, content type, content)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(sent or datetime(2026, 10, 5, 9, 30, tzinfo=UTC))
    domain = sender.rsplit("@", 1)[-1].strip(">")
    message["Message-ID"] = (
        message_id or f"<m{next(_MESSAGE_NUMBERS)}.{uuid.uuid4().hex[:8]}@{domain}>"
    )
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    if sensitivity:
        message["Sensitivity"] = sensitivity
    message.set_content(body)
    for name, content_type, content in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@pytest.fixture
def deliver(remote: Remote) -> Callable[..., str]:
    """Deliver a message to the mailbox's Inbox; returns its Message-ID."""

    def send(sender: str, subject: str, **headers: str) -> str:
        raw = mime(sender, f"Anna Nowak <{remote.user.address}>", subject, **headers)
        remote.deliver(raw)
        return " ".join(str(message_from_bytes(raw)["Message-ID"]).split())

    return send


@contextmanager
def statements_run(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Each statement this database engine runs inside the block, with its parameters."""
    run: list[tuple[str, Any]] = []

    def record(_connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        run.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", record)


def comes_true(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` holds within `seconds` (asked every 10 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def cached_items(workspace: Workspace, folder: str = "inbox") -> list[MailItem]:
    with workspace.local.sessions() as session:
        return list(
            session.scalars(
                select(MailItem)
                .join(MailFolder, MailItem.folder_id == MailFolder.id)
                .where(MailFolder.distinguished == folder)
                .order_by(MailItem.id)
            )
        )


def set_options(workspace: Workspace, **options: str) -> None:
    """Personal tracking options as `liaison options set` stores them (track="all", …)."""
    with workspace.local.sessions.begin() as session:
        for key, value in options.items():
            set_personal_option(session, key.replace("_", "-"), value)


def refuse_new_activities(workspace: Workspace) -> None:
    """A CRM that refuses every new email activity (as a full disk or a bad trigger would)."""
    with workspace.crm.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_activities BEFORE INSERT ON email_activities "
                "BEGIN SELECT RAISE(ABORT, 'the CRM refuses new activities'); END"
            )
        )


def liaison(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """Run `liaison ARGV...` with this stdin; the exit code, stdout and stderr."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def add_account(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    address: str,
    server: str,
    password: str,
    *options: str,
) -> tuple[int, str, str]:
    return liaison(
        capsys,
        monkeypatch,
        "account",
        "add",
        address,
        "--server",
        server,
        *options,
        "--password-stdin",
        stdin=password + "\n",
    )
