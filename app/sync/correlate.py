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

from sqlalchemy import select

from app.mailbox import cache
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import Body, RemoteItem
from app.sync.errors import check_cancel
from app.sync.outbox import OutboxKind, due_entries, mark_done
from app.sync.tracker import FolderRule, MailTracker, Outcome, Seen, facts_of, folder_rule
from app.tracking.correlation import correlatable
from app.tracking.model import Rule
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
            now = _now()
            for row_id, remote, rule, failures, body in self._not_correlated(now):
                check_cancel(self.cancel)
                facts = facts_of(remote, rule.role)
                if correlatable(facts, recent, self.tracker.org, now):
                    seen = Seen(
                        remote, body, _NOT_CORRELATED, True, failures, False, correlatable=True
                    )
                    store(row_id, self.tracker.decide(rule, seen))
        with self.workspace.local.sessions.begin() as session:
            for note in session.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(note_ids))):
                mark_done(note)

    def _not_correlated(self, now: datetime) -> list[tuple[int, RemoteItem, FolderRule, int, Body]]:
        """Cached messages the pipeline's rules left untracked, within the window."""
        with self.workspace.local.sessions() as session:
            found = session.execute(
                select(MailItem, MailFolder)
                .join(MailFolder, MailItem.folder_id == MailFolder.id)
                .where(
                    MailItem.account == self.account,
                    MailItem.tracking_state == TrackingStatus.NONE.value,
                    MailItem.tracking_rule == Rule.NOT_TRACKED.value,
                    MailItem.received_at >= now - CORRELATION_WINDOW,
                )
            )
            return [
                (row.id, cache.remote_from_row(row), folder_rule(folder), row.track_failures,
                 Body(row.body_text, row.body_html))
                for row, folder in found
            ]  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
