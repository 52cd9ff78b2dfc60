"""Deciding again the messages a message tracked since has made correlatable.

Mail is read folder by folder and page by page, so a reply can be decided before the message it
answers is tracked (the Inbox is read before Sent Items; the original may be tracked by hand, or
by another client's category, syncs later). Each newly tracked activity is noted in the outbox
in the transaction that records it as tracked (OutboxKind.CORRELATE); after the folders, every
cached message the pipeline left untracked for want of a correlation, received within
CORRELATION_WINDOW (90 days, as Dynamics), that correlates with one of the noted activities is
decided again by the pipeline. What that tracks is noted in turn, so a whole thread follows.
The notes are done only once every such message is decided: a crash repeats the pass, never
skips it, and a message tracked by it is not tracked twice (it is no longer untracked).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select

from app.db.literals import constant
from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import Body, RemoteItem
from app.sync.errors import check_cancel
from app.sync.outbox import OutboxKind, due_entries, mark_done
from app.sync.tracker import FolderRule, MailTracker, Outcome, Seen, folder_rule
from app.tracking.correlation import correlatable
from app.tracking.index import TrackingIndex
from app.tracking.model import Address, MessageFacts, Rule
from app.tracking.plan import TrackingStatus
from app.workspace import Workspace

CORRELATION_WINDOW = timedelta(days=90)

_NOT_CORRELATED = cache.TrackingState(TrackingStatus.NONE, rule=Rule.NOT_TRACKED)


class Recorrelation:
    def __init__(
        self, workspace: Workspace, account: str, tracker: MailTracker, cancel: threading.Event
    ) -> None:
        self.workspace = workspace
        self.account = account
        self.tracker = tracker
        self.cancel = cancel

    def run(self, store: Callable[[int, Outcome], None]) -> None:
        """Decide the messages again; `store` writes each outcome in the cache."""
        with self.workspace.local.sessions() as session:
            notes = due_entries(session, self.account, (OutboxKind.CORRELATE,))
            note_ids = [note.id for note in notes]
            activity_ids = sorted({i for note in notes for i in note.payload["activity_ids"]})
        if not note_ids:
            return
        recent = self.tracker.recently_tracked(activity_ids)
        if recent.activity_count():
            for row_id, remote, rule, failures, body in self._correlatable(recent):
                check_cancel(self.cancel)
                seen = Seen(remote, body, _NOT_CORRELATED, True, failures, False, correlatable=True)
                store(row_id, self.tracker.decide(rule, seen))
        with self.workspace.local.sessions.begin() as session:
            for note in session.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(note_ids))):
                mark_done(note)

    def _correlatable(
        self, recent: TrackingIndex
    ) -> list[tuple[int, RemoteItem, FolderRule, int, Body]]:
        """Cached messages the pipeline's rules left untracked, within the window, that
        correlate with one of the `recent` activities. Most correlate with none: they are
        read as a few columns first, whole only when they do."""
        now = _now()
        org = self.tracker.org
        with self.workspace.local.sessions() as session:
            # Streamed: held at once, the rows of a first sync's 30,000 messages were its
            # peak of memory (their recipients as parsed JSON, 1.4 kB a message).
            candidates = session.execute(
                select(*_CORRELATION_COLUMNS)
                .where(
                    MailItem.account == self.account,
                    MailItem.tracking_state == constant(TrackingStatus.NONE.value),
                    MailItem.tracking_rule == constant(Rule.NOT_TRACKED.value),
                    MailItem.received_at >= now - CORRELATION_WINDOW,
                )
                .execution_options(yield_per=_STREAMED)
            )
            wanted = [row.id for row in candidates if correlatable(_facts(row), recent, org, now)]
            found = session.execute(
                select(MailItem, MailFolder)
                .join(MailFolder, MailItem.folder_id == MailFolder.id)
                .where(MailItem.id.in_(wanted))
            )
            return [
                (row.id, cache.remote_from_row(row), folder_rule(folder), row.track_failures,
                 Body(row.body_text, row.body_html))
                for row, folder in found
            ]  # fmt: skip


_STREAMED = 500  # candidate rows read at a time
# What correlation looks at: no bodies, no ORM objects, for the many messages it passes over.
_CORRELATION_COLUMNS = (
    MailItem.id,
    MailItem.subject,
    MailItem.sender_email,
    MailItem.to_recipients,
    MailItem.cc_recipients,
    MailItem.in_reply_to,
    MailItem.references,
    MailItem.conversation_id,
    MailItem.conversation_index,
    MailItem.internet_message_id,
    MailItem.received_at,
)


def _facts(row: Row[Any]) -> MessageFacts:
    def addresses(values: list[dict[str, str]] | None) -> tuple[Address, ...]:
        return tuple(Address(value["email"]) for value in values or ())

    return MessageFacts(
        message_id=row.internet_message_id,
        subject=row.subject,
        sender=Address(row.sender_email) if row.sender_email else None,
        to=addresses(row.to_recipients),
        cc=addresses(row.cc_recipients),
        in_reply_to=row.in_reply_to,
        references=tuple((row.references or "").split()),
        conversation_id=row.conversation_id,
        conversation_index=row.conversation_index,
        received_at=row.received_at,
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
