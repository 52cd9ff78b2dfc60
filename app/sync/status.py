"""Where sync stands, in one vocabulary for the engine, the CLI and the window.

Free of exchangelib and Qt, so the window can show a status before either sync or the server
has been touched.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


class SyncState(enum.StrEnum):
    NOT_CONFIGURED = "not-configured"  # the profile has no mail account
    CONNECTING = "connecting"  # no sync has ended since the app started
    ONLINE = "online"
    SYNCING = "syncing"
    OFFLINE = "offline"  # the server cannot be reached; changes wait in the outbox
    NEEDS_ATTENTION = "needs-attention"  # credentials, certificate or mailbox access


class Attention(enum.StrEnum):
    """What needs the user when sync stops for them, so the window can say it in its own
    language; the engine's message keeps the server's words for the log."""

    SIGN_IN = "sign-in"  # the password or token was refused, or none is kept
    CERTIFICATE = "certificate"
    MAILBOX_ACCESS = "mailbox-access"
    UNFINISHED_MOVE = "unfinished-move"  # a move to Microsoft 365 rewrote the cache only


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: SyncState
    last_sync: datetime | None
    pending_changes: int
    message: str | None = None  # why offline or what needs attention, in words


@dataclass(frozen=True, slots=True)
class SyncReport:
    state: SyncState
    message: str
    items: int = 0  # changes pulled
    evaluated: int = 0  # messages the tracking pipeline decided
    tracked: int = 0
    untracked: int = 0
    marks_written: int = 0
    sent: int = 0
    appointments_and_tasks: int = 0
    conflicts: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    # What the run gave up on for good, and what it skipped this time, one sentence each.
    given_up: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    # Set when nothing was done because another sync of the profile runs: which one.
    running_elsewhere: str | None = None
    # Set with NEEDS_ATTENTION: what the user must see to.
    attention: Attention | None = None

    @property
    def ok(self) -> bool:
        return self.state is SyncState.ONLINE and not self.cancelled


ReportCallback = Callable[[SyncReport], None]
