"""The in-memory server: its mailboxes, its faults, and the mail that left it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.accounts import AccountSettings
from app.sync.backend import OutgoingMessage, RemoteMark
from app.sync.errors import AuthenticationFailed, MailboxAccessDenied, ServerUnreachable
from app.sync.memory.mailbox import MemoryMailbox

T = TypeVar("T")


class Busy(Exception):
    """The server asked for a pause before the next request (Exchange's ErrorServerBusy)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"server busy for {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message that left the server for recipients it does not hold."""

    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str


class MemoryServer:
    """Mailboxes by address, the server's state (up, busy) and what left it."""

    def __init__(self) -> None:
        # One lock for the server and its mailboxes; waiting on it wakes at every change.
        self.changed = threading.Condition(threading.RLock())
        self._mailboxes: dict[str, MemoryMailbox] = {}
        self._up = True
        self._busy: list[float] = []
        self.calls = 0  # requests answered or refused, as a server's log counts them
        self.outbound: list[SentMessage] = []

    def add_mailbox(self, address: str, password: str, display_name: str) -> MemoryMailbox:
        with self.changed:
            mailbox = MemoryMailbox(address, password, display_name, self.changed)
            self._mailboxes[address.casefold()] = mailbox
            return mailbox

    def mailbox(self, address: str) -> MemoryMailbox:
        with self.changed:
            return self._mailboxes[address.casefold()]

    # Faults

    def go_down(self) -> None:
        with self.changed:
            self._up = False

    def come_back(self) -> None:
        with self.changed:
            self._up = True

    def throttle(self, count: int = 1, back_off_ms: int = 200) -> None:
        """The next `count` requests are told to wait `back_off_ms` (ErrorServerBusy)."""
        with self.changed:
            self._busy.extend([back_off_ms / 1000] * count)

    # Serving

    def call(self, operation: Callable[[], T]) -> T:
        with self.changed:
            self._answer()
            if self._busy:
                raise Busy(self._busy.pop(0))
            return operation()

    def sign_in(self, account: AccountSettings, password: str) -> MemoryMailbox:
        with self.changed:
            self._answer()
            user = self._mailboxes.get(account.username.casefold())
            if user is None or user.password != password:
                raise AuthenticationFailed(
                    "The server refused the user name or password: check them and run "
                    "`liaison account add` again"
                )
            mailbox = self._mailboxes.get(account.address.casefold())
            if mailbox is not user:
                raise MailboxAccessDenied(
                    f"The server accepted the login but does not open {account.address}: "
                    "check the address and that the user may open it"
                )
            return mailbox

    def send(
        self,
        sender: MemoryMailbox,
        outgoing: OutgoingMessage,
        mark: RemoteMark,
        sent_folder_id: str,
    ) -> None:
        """File the sender's copy, deliver to the recipients this server holds, and record
        what leaves for the others."""
        filed = sender.file_sent(outgoing, mark, sent_folder_id)
        message = filed.remote
        outside: list[str] = []
        everyone = (*message.to, *message.cc, *message.bcc)
        for recipient in dict.fromkeys(a.email.casefold() for a in everyone):
            mailbox = self._mailboxes.get(recipient)
            if mailbox is None:
                outside.append(recipient)
                continue
            mailbox.receive(filed)
        if outside:
            self.outbound.append(
                SentMessage(
                    sender.address, tuple(outside), message.subject, message.message_id or ""
                )
            )

    def _answer(self) -> None:
        self.calls += 1
        if not self._up:
            raise ServerUnreachable("Cannot reach the server: the connection was refused")
