"""What can stop a sync, in words a user can act on.

The engine turns each into a state: credentials and certificates need the user (needs-attention),
an unreachable or overloaded server is a passing condition (offline), a cancel is neither.
"""

from __future__ import annotations

import threading


class SyncError(Exception):
    """Sync cannot go on; the message says why and what to do."""


class AuthenticationFailed(SyncError):
    """The server refused the credentials (HTTP 401 or an account locked out)."""


class SignInNeeded(AuthenticationFailed):
    """The account's sign-in (Microsoft 365) has lapsed or was refused: only the user, signing
    in again, can give sync a new token."""

    def __init__(self, why: str = "") -> None:
        text = "Sign in again to Microsoft 365"
        super().__init__(f"{text}: {why}" if why else f"{text}.")


class CertificateProblem(SyncError):
    """The server's TLS certificate cannot be verified."""


class ServerUnreachable(SyncError):
    """No answer, a refused connection, or a server that stayed busy longer than we wait."""


class MailboxAccessDenied(SyncError):
    """The credentials are good but do not open this mailbox."""


class ServerFailure(SyncError):
    """The server answered with an error sync cannot work around."""


class SyncCancelled(SyncError):
    """The user cancelled; nothing is wrong."""

    def __init__(self) -> None:
        super().__init__("Sync was cancelled")


def check_cancel(cancel: threading.Event) -> None:
    """Stop the sync at this point if the user has cancelled it."""
    if cancel.is_set():
        raise SyncCancelled()


class InvalidSyncState(SyncError):
    """The server no longer knows our sync state for a folder: resync it from scratch."""


class ItemGone(SyncError):
    """The item is not on the server any more."""


class FolderGone(SyncError):
    """The folder is not on the server any more (deleted since the hierarchy was read)."""


class ChangeConflict(SyncError):
    """The item changed on the server since we read it (its change key is stale)."""


class MessageTooLarge(SyncError):
    """The server refuses a message this large (Exchange's ErrorMessageSizeExceeded)."""


class UnfinishedMove(SyncError):
    """A move to Microsoft 365 rewrote the cache to Graph's ids but did not keep the account:
    only running the move again (or signing in again in the account dialog) finishes it."""


NEEDS_ATTENTION: tuple[type[SyncError], ...] = (
    AuthenticationFailed,
    CertificateProblem,
    MailboxAccessDenied,
    UnfinishedMove,
)


def is_item_problem(exc: SyncError) -> bool:
    """An error about one change or item, not about the server or the user's credentials: it
    is counted against its outbox entry (retried later, then given up) and the sync goes on."""
    return not isinstance(exc, (ServerUnreachable, SyncCancelled, *NEEDS_ATTENTION))


def why_in_words(exc: SyncError) -> str:
    """Why a change to one item failed, for the sync report (the exception goes to the log)."""
    if isinstance(exc, ChangeConflict):
        return "it kept changing on the server"
    if isinstance(exc, ItemGone):
        return "it is no longer on the server"
    if isinstance(exc, MessageTooLarge):
        return "it is larger than the server accepts"
    return "the server refused the change"
