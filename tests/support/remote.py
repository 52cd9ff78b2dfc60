"""The mail server behind a test, seen from outside Liaison: "another client" and the switchboard.

Sync tests and the backend contract suite run the same behaviour against two servers: the
in-memory server (app.sync.memory, milliseconds) and the EWS sandbox over HTTP (end to end).
A `Remote` gives a test what it needs of either, in neutral words:

- `user`, `account()` and `backends(max_wait=...)`: the mailbox, the account settings a profile
  keeps for it, and the backend factory that reaches it (fast retries for tests).
- As another client (Outlook, a phone): `deliver(raw)`, `items(folder)`, `create_folder`,
  `delete_folder`, `set_categories`, `set_read`, `set_flag`, `move`, `delete`, `create` and
  `edit` of appointments and tasks, `attachment(folder, subject, name)` (an attachment's
  content). Items are
  named by folder and subject; folders by distinguished name ("inbox", "sentitems",
  "calendar", "tasks", "msgfolderroot") or by the display name they were created with.
  Appointment and task fields use app.sync.activity_fields' names and values.
- The server's side: `go_down()`, `come_back()`, `throttle(count, back_off_ms)`,
  `limit_send_size(bytes)` (an administrator's limit on the messages the mailbox sends),
  `requests_seen` and `outbound()` (mail that left for elsewhere).

The EWS side reads and writes with exchangelib directly, as an independent client would, not
through the backend under test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from typing import Any, Protocol

from exchangelib import Account, CalendarItem, EWSDate, EWSDateTime, Folder, Message
from exchangelib import Task as ExchangeTask

from app.accounts import AccountSettings, new_account
from app.sync.activity_fields import iso, parse_iso
from app.sync.backend import BackendFactory, FlagStatus, ItemKind
from app.sync.ews.connect import RetrySettings
from app.sync.ews.factory import EwsFactory
from app.sync.graph.factory import GraphFactory
from app.sync.graph.tokens import StaticTokenSource, TokenSource
from app.sync.memory import MemoryFactory, MemoryMailbox, MemoryServer
from tests.support.sandbox import Sandbox, SandboxUser, local_part

FIRST_RETRY = 0.05


@dataclass(frozen=True)
class Seen:
    """An item as another client reads it; `fields` holds an appointment's or task's fields
    (subject, start, end, location / subject, due, status, percent_complete, priority). A
    message says its read state, flag, Bcc, threading headers, attachments (names) and body
    text."""

    subject: str
    categories: tuple[str, ...]
    message_id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    is_read: bool = False
    flag: FlagStatus = FlagStatus.NONE
    bcc: tuple[str, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    body: str = ""


class Remote(Protocol):
    user: SandboxUser

    def account(self) -> AccountSettings: ...

    def backends(self, max_wait: float = 3.0) -> BackendFactory: ...

    def deliver(self, raw: bytes) -> None: ...

    def items(self, folder: str) -> list[Seen]: ...

    def create_folder(self, name: str, parent: str = "inbox") -> None: ...

    def delete_folder(self, name: str) -> None: ...

    def set_categories(self, folder: str, subject: str, categories: Sequence[str]) -> None: ...

    def set_read(self, folder: str, subject: str, read: bool) -> None: ...

    def set_flag(self, folder: str, subject: str, flag: FlagStatus) -> None: ...

    def attachment(self, folder: str, subject: str, name: str) -> bytes: ...

    def move(self, folder: str, subject: str, to: str) -> None: ...

    def delete(self, folder: str, subject: str) -> None: ...

    def create(
        self, folder: str, kind: ItemKind, fields: dict[str, Any], categories: Sequence[str] = ()
    ) -> None: ...

    def edit(self, folder: str, subject: str, /, **fields: Any) -> None: ...

    def go_down(self) -> None: ...

    def come_back(self) -> None: ...

    def throttle(self, count: int, back_off_ms: int) -> None: ...

    def limit_send_size(self, size: int) -> None: ...

    @property
    def requests_seen(self) -> int: ...

    def outbound(self) -> list[str]:
        """The subject of each message this mailbox sent to recipients on other servers."""
        ...


# The in-memory server


class MemoryRemote:
    @classmethod
    def new(cls, name: str, domain: str) -> MemoryRemote:
        """A mailbox on a server of its own."""
        address = f"{local_part(name)}@{domain}"
        return cls(MemoryServer(), SandboxUser(address, "Jesien-2026!", name))

    def __init__(self, server: MemoryServer, user: SandboxUser) -> None:
        self.server = server
        self.user = user
        self.mailbox: MemoryMailbox = server.add_mailbox(
            user.address, user.password, user.display_name
        )

    def account(self) -> AccountSettings:
        return new_account(self.user.address)

    def backends(self, max_wait: float = 3.0) -> BackendFactory:
        return MemoryFactory(self.server, max_wait=max_wait, first_retry=FIRST_RETRY)

    def deliver(self, raw: bytes) -> None:
        self.mailbox.deliver(raw)

    def items(self, folder: str) -> list[Seen]:
        return [
            Seen(
                item.remote.subject,
                item.remote.categories,
                item.remote.message_id,
                _shown(item.remote.kind, item.remote.details),
                item.remote.is_read,
                item.remote.flag,
                tuple(a.email for a in item.remote.bcc),
                item.remote.in_reply_to,
                item.remote.references,
                tuple(a.name for a in item.body.attachments),
                item.body.text or "",
            )
            for item in self.mailbox.stored(folder)
        ]

    def create_folder(self, name: str, parent: str = "inbox") -> None:
        self.mailbox.create_folder(name, parent)

    def delete_folder(self, name: str) -> None:
        self.mailbox.delete_folder(name)

    def _id(self, folder: str, subject: str) -> str:
        (found,) = [item.id for item in self.mailbox.items(folder) if item.subject == subject]
        return found

    def set_categories(self, folder: str, subject: str, categories: Sequence[str]) -> None:
        self.mailbox.set_categories(self._id(folder, subject), categories)

    def set_read(self, folder: str, subject: str, read: bool) -> None:
        self.mailbox.set_read(self._id(folder, subject), read)

    def set_flag(self, folder: str, subject: str, flag: FlagStatus) -> None:
        self.mailbox.set_flag(self._id(folder, subject), flag)

    def attachment(self, folder: str, subject: str, name: str) -> bytes:
        (item,) = [i for i in self.mailbox.stored(folder) if i.remote.subject == subject]
        (found,) = [c for c in item.attachments if c.name == name]
        return found.data

    def move(self, folder: str, subject: str, to: str) -> None:
        self.mailbox.move(self._id(folder, subject), to)

    def delete(self, folder: str, subject: str) -> None:
        self.mailbox.delete(self._id(folder, subject))

    def create(
        self, folder: str, kind: ItemKind, fields: dict[str, Any], categories: Sequence[str] = ()
    ) -> None:
        self.mailbox.create(folder, kind, fields, categories)

    def edit(self, folder: str, subject: str, /, **fields: Any) -> None:
        self.mailbox.edit(self._id(folder, subject), **fields)

    def go_down(self) -> None:
        self.server.go_down()

    def come_back(self) -> None:
        self.server.come_back()

    def throttle(self, count: int, back_off_ms: int) -> None:
        self.server.throttle(count, back_off_ms)

    def limit_send_size(self, size: int) -> None:
        self.mailbox.max_send_size = size

    @property
    def requests_seen(self) -> int:
        return self.server.calls

    def outbound(self) -> list[str]:
        return [sent.subject for sent in self.server.outbound if sent.sender == self.user.address]


# The EWS sandbox, through exchangelib as any other EWS client


class SandboxRemote:
    def __init__(self, sandbox: Sandbox, user: SandboxUser) -> None:
        self.sandbox = sandbox
        self.user = user
        self.client: Account = sandbox.account(user)
        self._folders: dict[str, Folder] = {}

    def account(self) -> AccountSettings:
        return new_account(self.user.address, self.sandbox.url)

    def backends(self, max_wait: float = 3.0) -> BackendFactory:
        return EwsFactory(RetrySettings(max_wait=max_wait, first_retry=FIRST_RETRY, timeout=10.0))

    def deliver(self, raw: bytes) -> None:
        self.sandbox.server.deliver(self.user.address, raw)

    def _folder(self, name: str) -> Folder:
        well_known = {
            "inbox": self.client.inbox,
            "sentitems": self.client.sent,
            "drafts": self.client.drafts,
            "deleteditems": self.client.trash,
            "junkemail": self.client.junk,
            "calendar": self.client.calendar,
            "tasks": self.client.tasks,
            "msgfolderroot": self.client.msg_folder_root,
        }
        return well_known.get(name) or self._folders[name]

    def _item(self, folder: str, subject: str) -> Any:
        (found,) = [item for item in self._folder(folder).all() if item.subject == subject]
        return found

    def items(self, folder: str) -> list[Seen]:
        return [_seen(item) for item in self._folder(folder).all().order_by("datetime_received")]

    def create_folder(self, name: str, parent: str = "inbox") -> None:
        created = Folder(parent=self._folder(parent), name=name)
        created.save()
        self._folders[name] = created

    def delete_folder(self, name: str) -> None:
        self._folders.pop(name).delete()

    def set_categories(self, folder: str, subject: str, categories: Sequence[str]) -> None:
        item = self._item(folder, subject)
        item.categories = list(categories)
        item.save(update_fields=["categories"])

    def set_read(self, folder: str, subject: str, read: bool) -> None:
        item = self._item(folder, subject)
        item.is_read = read
        item.save(update_fields=["is_read"])

    def set_flag(self, folder: str, subject: str, flag: FlagStatus) -> None:
        """As a MAPI client flags a message: PidTagFlagStatus (absent, 1 complete, 2 flagged)."""
        item = self._item(folder, subject)
        item.mapi_flag_status = {FlagStatus.COMPLETE: 1, FlagStatus.FLAGGED: 2}.get(flag)
        item.save(update_fields=["mapi_flag_status"])

    def attachment(self, folder: str, subject: str, name: str) -> bytes:
        (found,) = [a for a in self._item(folder, subject).attachments if a.name == name]
        return bytes(found.content)

    def move(self, folder: str, subject: str, to: str) -> None:
        self._item(folder, subject).move(self._folder(to))

    def delete(self, folder: str, subject: str) -> None:
        self._item(folder, subject).delete()

    def create(
        self, folder: str, kind: ItemKind, fields: dict[str, Any], categories: Sequence[str] = ()
    ) -> None:
        item_class = CalendarItem if kind is ItemKind.APPOINTMENT else ExchangeTask
        item = item_class(account=self.client, folder=self._folder(folder), **_ews_values(fields))
        if categories:
            item.categories = list(categories)
        item.save()

    def edit(self, folder: str, subject: str, /, **fields: Any) -> None:
        item = self._item(folder, subject)
        values = _ews_values(fields)
        for name, value in values.items():
            setattr(item, name, value)
        item.save(update_fields=list(values))

    def go_down(self) -> None:
        self.sandbox.server.go_down()

    def come_back(self) -> None:
        self.sandbox.server.come_back()

    def throttle(self, count: int, back_off_ms: int) -> None:
        self.sandbox.server.faults.throttle(count=count, back_off_ms=back_off_ms)

    def limit_send_size(self, size: int) -> None:
        self.sandbox.server.set_max_send_size(self.user.address, size)

    @property
    def requests_seen(self) -> int:
        return self.sandbox.server.faults.requests_seen

    def outbound(self) -> list[str]:
        return [
            str(message_from_bytes(sent.mime, policy=policy.default)["Subject"])
            for sent in self.sandbox.server.outbound
            if sent.sender == self.user.address
        ]


class GraphRemote(SandboxRemote):
    """The same sandbox mailbox, with the backend under test on its Graph endpoint; "another
    client" still works through EWS (one store behind both protocols). The account's secret
    is its password: the token source hands the backend a token for it, or one the server
    refuses when the password is wrong (as a failed sign-in leaves it)."""

    def account(self) -> AccountSettings:
        return replace(new_account(self.user.address), server_url=self.sandbox.server.graph_url)

    def backends(self, max_wait: float = 3.0) -> BackendFactory:
        def tokens(account: AccountSettings, secret: Any) -> TokenSource:
            if secret() != self.user.password:
                return StaticTokenSource("sbx.refused")
            return StaticTokenSource(self.sandbox.server.graph_tokens.issue(self.user.address))

        return GraphFactory(tokens, max_wait=max_wait, first_retry=FIRST_RETRY, timeout=10.0)

    def fail_in_batch(self, count: int = 1, status: int = 500) -> None:
        """The next `count` requests inside a $batch fail in their own response."""
        self.sandbox.server.faults.fail_in_batch(count, status)


_SHOWN = {
    ItemKind.MESSAGE: (),
    ItemKind.APPOINTMENT: ("subject", "start", "end", "location"),
    ItemKind.TASK: ("subject", "due", "status", "percent_complete", "priority"),
}


def _shown(kind: ItemKind, details: dict[str, Any] | None) -> dict[str, Any]:
    """The fields `Seen` shows of an appointment or task."""
    return {name: (details or {})[name] for name in _SHOWN[kind]}


def _moment(value: Any) -> str | None:
    if isinstance(value, datetime):
        return iso(datetime.fromtimestamp(value.timestamp(), UTC))
    if isinstance(value, date):
        return iso(datetime(value.year, value.month, value.day, tzinfo=UTC))
    return None


def _seen(item: Any) -> Seen:
    categories = tuple(item.categories or ())
    if isinstance(item, CalendarItem):
        fields = {
            "subject": item.subject or "",
            "start": _moment(item.start),
            "end": _moment(item.end),
            "location": item.location or "",
        }
        return Seen(item.subject or "", categories, fields=fields)
    if isinstance(item, ExchangeTask):
        fields = {
            "subject": item.subject or "",
            "due": _moment(item.due_date),
            "status": item.status,
            "percent_complete": int(item.percent_complete or 0),
            "priority": item.importance,
        }
        return Seen(item.subject or "", categories, fields=fields)
    if not isinstance(item, Message):
        return Seen(item.subject or "", categories)
    return Seen(
        item.subject or "",
        categories,
        item.message_id,
        is_read=bool(item.is_read),
        flag={1: FlagStatus.COMPLETE, 2: FlagStatus.FLAGGED}.get(
            item.mapi_flag_status, FlagStatus.NONE
        ),
        bcc=tuple(m.email_address for m in item.bcc_recipients or ()),
        in_reply_to=item.in_reply_to,
        references=tuple((item.references or "").split()),
        attachments=tuple(a.name for a in item.attachments or ()),
        body=str(item.text_body or item.body or ""),
    )


def _ews_values(fields: dict[str, Any]) -> dict[str, Any]:
    """exchangelib attributes for appointment and task fields in activity_fields' terms."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        moment = parse_iso(value) if name in ("start", "end", "due") else None
        if name in ("start", "end") and moment is not None:
            values[name] = EWSDateTime.from_datetime(moment.astimezone(UTC))
        elif name == "due" and moment is not None:
            values["due_date"] = EWSDate.from_date(moment.date())
        elif name == "percent_complete":
            values[name] = Decimal(value)
        elif name == "priority":
            values["importance"] = value
        else:
            values[name] = value
    return values
