"""The user's tracking requests on a cached message (Track, Set Regarding, Untrack, Untrack and
delete), from the window and the CLI alike: one path, safe across the two databases.

1. The request is written to the outbox (one local transaction).
2. The tracker carries out the plan (app.tracking.plan: the user's request wins over every rule)
   in the CRM. The CRM writes are idempotent: a Message-ID has one activity, so tracking it again
   links to it, and untracking or deleting what is untracked or deleted already changes nothing.
3. The cache's tracking state, the mark the next push writes on the Exchange item and the end of
   the request are written in one local transaction.

The CRM and the local state are two databases with no transaction spanning both. A crash after
step 1 (before, during or after the CRM write) leaves the request pending in the outbox: the next
sync carries out every pending request again from step 2 (`replay`) before it pushes or pulls, so
the CRM, the cache and the Exchange item end up as the user asked, each change made once. A
request the CRM refuses when it is made (an unknown record) is ended at once and the user told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import Body
from app.sync.outbox import (
    OutboxKind,
    due_entries,
    enqueue,
    mark_done,
    record_failure,
)
from app.sync.tracker import MailTracker, Outcome, Seen, folder_rule, store_outcome
from app.tracking.plan import Asked, RegardingKey, Request
from app.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Carried:
    """A request carried out: the cached item as it is now, and what the tracker did."""

    item_id: int
    outcome: Outcome


class TrackingRequests:
    def __init__(self, workspace: Workspace, account: str, tracker: MailTracker) -> None:
        self.workspace = workspace
        self.account = account
        self.tracker = tracker

    def submit(self, item_id: int, asked: Asked) -> Carried:
        """Carry out the user's request now (steps 1 to 3). A refusal of the CRM ends the
        request and reaches the caller; the cache and the server are then as they were."""
        with self.workspace.local.sessions.begin() as session:
            row = _row(session, item_id)
            entry = enqueue(session, self.account, OutboxKind.REQUEST, _payload(row, asked))
            session.flush()
            entry_id = entry.id
        try:
            return self._carry_out(entry_id, item_id, asked)
        except CrmError as exc:
            # Refused as it was made: the user is told now, and nothing is left to do.
            with self.workspace.local.sessions.begin() as session:
                refused = session.get(OutboxEntry, entry_id)
                if refused is not None:
                    mark_done(refused)
                    refused.last_error = str(exc)
            raise

    def replay(self) -> int:
        """Carry out the requests a crash left pending (steps 2 and 3); how many."""
        with self.workspace.local.sessions() as session:
            pending = [
                (entry.id, dict(entry.payload))
                for entry in due_entries(session, self.account, (OutboxKind.REQUEST,))
            ]
        for entry_id, payload in pending:
            try:
                self._carry_out(entry_id, int(payload["mail_item_id"]), _asked(payload))
            except (CrmError, SQLAlchemyError) as exc:
                # Tried again at the next sync, given up (and logged) after a few attempts.
                with self.workspace.local.sessions.begin() as session:
                    entry = session.get(OutboxEntry, entry_id)
                    if entry is not None:
                        record_failure(session, entry, str(exc), timedelta(0))
        return len(pending)

    def _carry_out(self, entry_id: int, item_id: int, asked: Asked) -> Carried:
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                # Gone from the mailbox since: its activity, as far as the request reached,
                # stays in the CRM; nothing is left here to mark.
                outcome = Outcome()
            else:
                rule = folder_rule(session.get(MailFolder, row.folder_id))
                seen = _seen(row, asked)
        if row is not None:
            outcome = self.tracker.decide(rule, seen)
        with self.workspace.local.sessions.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            row = session.get(MailItem, item_id)
            if row is not None:
                store_outcome(session, row, outcome)
            if entry is not None:
                mark_done(entry)
        return Carried(item_id, outcome)


def _row(session: Session, item_id: int) -> MailItem:
    row = session.get(MailItem, item_id)
    if row is None:
        raise CrmError("This message is no longer in the mailbox")
    if not row.internet_message_id:
        raise CrmError("Only email messages can be tracked")
    return row


def _seen(row: MailItem, asked: Asked) -> Seen:
    return Seen(
        remote=cache.remote_from_row(row),
        body=Body(row.body_text, row.body_html),
        prior=cache.TrackingState.of(row),
        evaluated=row.evaluated,
        track_failures=row.track_failures,
        mark_pending=False,
        asked=asked,
    )


def _payload(row: MailItem, asked: Asked) -> dict[str, object]:
    regarding = asked.regarding
    return {
        "mail_item_id": row.id,
        "message_id": row.internet_message_id,
        "request": asked.request.value,
        "regarding": f"{regarding[0]}:{regarding[1]}" if regarding else None,
    }


def _asked(payload: dict[str, object]) -> Asked:
    text = payload.get("regarding")
    regarding: RegardingKey | None = None
    if isinstance(text, str) and ":" in text:
        record_type, _, record_id = text.partition(":")
        regarding = (record_type, int(record_id))
    return Asked(Request(str(payload["request"])), regarding)
