"""The built-in demo: Brightwave's quarter in a sandbox mailbox, beside a CRM that matches it.

`liaison --demo` and the first-start screen use this. The demo has a profile of its own
("demo"), so trying it never touches the user's real profile. Its EWS server (exchange_sandbox) runs
in this process on a loopback port and keeps its mailboxes in the demo profile's data folder, so
what the user does in the demo survives a restart. The app reaches it through exchangelib like any
Exchange server: nothing in the sync path knows it is a demo.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import func, select

from app.accounts import load_account, new_account, save_account
from app.crm.csv_import import import_csv
from app.crm.models import Record
from app.crm.records import find_record_by_name
from app.crm.schedule import AppointmentEdit, TaskEdit, save_appointment, save_task
from app.demo_dates import shifted_copy
from app.private_files import private_folder, tighten_tree
from app.secrets import remember_for_session
from app.services.tracking import TrackingService
from app.shipped import demo_data_dir
from app.workspace import Workspace
from exchange_sandbox.seed import DemoSeeder, SeedError
from exchange_sandbox.server import SandboxServer
from exchange_sandbox.sqlite_store import StoreFileError, open_store

DEMO_PROFILE = "demo"
DEMO_TIME_ZONE = "Europe/Warsaw"  # where Brightwave's meetings happen
CRM_FILES = ("users", "queues", "accounts", "contacts", "leads", "opportunities")

log = logging.getLogger(__name__)


class DemoDataError(Exception):
    """The demo files are missing or damaged (a broken installation)."""


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    email: str
    password: str


@dataclass(frozen=True, slots=True)
class DemoMailbox:
    owner: DemoPerson
    colleagues: tuple[DemoPerson, ...]


@dataclass
class DemoSession:
    """The opened demo profile and the sandbox server it syncs with; close() stops both."""

    workspace: Workspace
    server: SandboxServer

    def close(self) -> None:
        try:
            self.workspace.close()
        finally:
            self.server.stop()


def prepare_demo(profile: str = DEMO_PROFILE, daily_backup: bool = True) -> DemoSession:
    """Open the demo profile on a running demo server; the first sync is the window's to run.
    `daily_backup` as for Workspace.open."""
    mailbox = load_demo_mailbox()
    workspace = Workspace.open(profile, daily_backup)
    # The demo's quarter moved to end this week (app/demo_dates.py); read only when the
    # mailbox and the CRM are first filled.
    with tempfile.TemporaryDirectory(prefix="liaison-demo-") as current:
        folder = Path(current)
        try:
            shifted_copy(demo_data_dir(), folder, date.today())
            server = start_demo_server(workspace.paths.data_dir / "sandbox", folder)
        except BaseException:
            workspace.close()
            raise
        try:
            workspace.initialise(mailbox.owner.email, mailbox.owner.name)
            seed_demo_crm(workspace, folder)
            connect_demo_account(workspace, server, mailbox.owner)
        except BaseException:
            workspace.close()
            server.stop()
            raise
    return DemoSession(workspace, server)


def start_demo_server(data_dir: Path, source: Path | None = None) -> SandboxServer:
    """The demo's EWS server on a free loopback port, seeded on its first start from `source`
    (the demo files as shipped by default)."""
    try:
        store = open_store(private_folder(data_dir))
    except StoreFileError as exc:
        raise DemoDataError(f"The demo mailbox cannot be opened: {exc}") from exc
    # The sandbox makes its files under the umask; SQLite gives a later -wal the file's mode.
    tighten_tree(data_dir)
    server = SandboxServer(store=store)
    if not store.mailboxes:
        try:
            DemoSeeder(store, server.services.transport, source or demo_data_dir()).seed()
        except SeedError as exc:
            raise DemoDataError(f"The demo mailbox cannot be filled: {exc}") from exc
    return server.start()


def connect_demo_account(workspace: Workspace, server: SandboxServer, owner: DemoPerson) -> None:
    """Point the demo profile at this run's server; the password lives only in this process."""
    account = new_account(owner.email, server=server.url)
    remember_for_session(workspace.paths, account.secret_key, owner.password)
    current = load_account(workspace)
    if current is None or current.server_url != account.server_url:
        save_account(workspace, account, secret=None)


def load_demo_mailbox(folder: Path | None = None) -> DemoMailbox:
    path = (folder or demo_data_dir()) / "mailbox.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        owner = DemoPerson(**{key: data["owner"][key] for key in ("name", "email", "password")})
        colleagues = tuple(
            DemoPerson(**{key: person[key] for key in ("name", "email", "password")})
            for person in data.get("colleagues", [])
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DemoDataError(f"The demo mailbox description {path} cannot be read: {exc}") from exc
    return DemoMailbox(owner, colleagues)


def seed_demo_crm(workspace: Workspace, folder: Path | None = None) -> bool:
    """Fill an empty demo CRM from the demo files; False when it holds records already."""
    folder = folder or demo_data_dir()
    with workspace.crm.sessions.begin() as session:
        # The owner is the only record of a fresh profile.
        if (session.scalar(select(func.count()).select_from(Record)) or 0) > 1:
            return False
        owner = workspace.owner(session)
        for kind in CRM_FILES:
            path = folder / "crm" / f"{kind}.csv"
            if not path.exists():
                continue
            # The owner already exists as a user; that row and nothing else may be "bad".
            report = import_csv(session, kind, path, owner, skip_bad=True)
            unexpected = [bad for bad in report.bad_rows if "exists already" not in bad.reason]
            if unexpected:
                raise DemoDataError(f"{path}:{unexpected[0].line}: {unexpected[0].reason}")
    _track_demo_history(workspace, folder)
    _track_demo_activities(workspace, folder)
    return True


def _track_demo_history(workspace: Workspace, folder: Path) -> None:
    """Track the messages the demo CRM had tracked before the demo starts, so replies correlate."""
    listing = folder / "tracked.json"
    if not listing.exists():
        return
    try:
        entries = json.loads(listing.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DemoDataError(f"{listing} is damaged: {exc}") from exc
    files = _messages_by_id(folder / "mail")
    service = TrackingService(workspace)
    for entry in entries:
        path = files.get(entry["message_id"])
        if path is None:
            raise DemoDataError(f"{listing}: no demo message has Message-ID {entry['message_id']}")
        service.track_manually(path.read_bytes(), _regarding_key(workspace, entry["regarding"]))


def _track_demo_activities(workspace: Workspace, folder: Path) -> None:
    """The appointments and tasks the demo CRM tracks: the first sync creates them in Exchange
    (sync links every CRM appointment and task of the owner that has no Exchange item yet)."""
    listing = folder / "tracked_activities.json"
    if not listing.exists():
        return
    try:
        entries = json.loads(listing.read_text(encoding="utf-8"))
        with workspace.crm.sessions.begin() as session:
            owner = workspace.owner(session)
            for entry in entries:
                _type, record_id = _regarding_key(workspace, entry["regarding"])
                common = {
                    "subject": entry["subject"],
                    "body": entry.get("body", ""),
                    "regarding_id": int(record_id),
                }
                if entry["kind"] == "appointment":
                    edit = AppointmentEdit(
                        **common,
                        start=datetime.fromisoformat(entry["start"]),
                        end=datetime.fromisoformat(entry["end"]),
                        location=entry.get("location", ""),
                        time_zone=DEMO_TIME_ZONE,
                    )
                    save_appointment(session, owner, None, edit)
                else:
                    due = datetime.combine(date.fromisoformat(entry["due"]), time(), UTC)
                    task = TaskEdit(
                        **common,
                        due=due,
                        status=entry.get("status", "NotStarted"),
                        percent_complete=int(entry.get("percent_complete", 0)),
                    )
                    save_task(session, owner, None, task)
    except (ValueError, KeyError, TypeError) as exc:
        raise DemoDataError(f"{listing} is damaged: {exc}") from exc


def _regarding_key(workspace: Workspace, regarding: dict[str, str]) -> tuple[str, str]:
    with workspace.crm.sessions() as session:
        record = find_record_by_name(session, regarding["type"], regarding["name"])
        if record is None:
            raise DemoDataError(f"the demo CRM has no {regarding['type']} {regarding['name']!r}")
        return regarding["type"], str(record.id)


def _messages_by_id(mail_folder: Path) -> dict[str, Path]:
    parser = BytesHeaderParser(policy=default_policy)
    found: dict[str, Path] = {}
    for path in sorted(mail_folder.rglob("*.eml")):
        with path.open("rb") as handle:
            message_id = parser.parse(handle).get("Message-ID")
        if message_id:
            found[str(message_id).strip()] = path
    return found
