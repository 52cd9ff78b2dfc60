"""Pull: the folder hierarchy, then each synced folder's changes, into the local cache.

Per page of changes (up to PAGE_SIZE): read what the cache knows (a read, no lock), fetch the
bodies of new messages in one batch, let the tracker decide and write the CRM, then write the
items, their tracking state, the marks to queue and the folder's new sync state in one local
transaction. A crash anywhere repeats the page at the next run and never skips it.
The next page is asked for while this one is written, where the backend allows it
(app.sync.read_ahead): only a read goes early, what is written waits for its page.

A server that lost our sync state (ErrorInvalidSyncStateData) gets the folder synced again from
scratch: items are matched by id. Only once the whole folder has been listed are the cached
items it did not name removed (deleted on the server during the gap); their tracked activities
stay in the CRM. A resync cut off half-way deletes nothing and starts again at the next run.

A change the user made here and push has not written yet (app.sync.actions.pending_local) is
not undone by what the server still says: the row keeps its local folder, read state and flag
(a draft or a message in the Outbox, all it says), an item deleted here for good is not
brought back, and a copy or draft the server made for a row waiting for it takes that row.
Pull also notes who mail comes from and goes to (address completion), reads the attachments
of messages whose list the cache does not have yet, and asks the server once for its message
size limit.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.db.literals import constant
from app.db.value_lists import one_of
from app.mailbox import cache
from app.mailbox.attachments import stored
from app.mailbox.models import EvaluatedMessage, MailFolder, MailItem
from app.mailbox.remote import Body, ItemKind, RemoteItem
from app.sync.actions import (
    OUTBOX_PLACEHOLDER,
    PLACEHOLDER,
    PendingLocal,
    is_placeholder,
    pending_local,
    placeholder,
)
from app.sync.backend import DistinguishedFolder, ItemChanges, MailBackend
from app.sync.correlate import Recorrelation
from app.sync.errors import FolderGone, InvalidSyncState, check_cancel
from app.sync.mark_stream import MarkStream
from app.sync.outbox import (
    enqueue_correlate,
    enqueue_marks,
    log,
    pending_marks_among,
    sent_untracked,
)
from app.sync.progress import Phase, ProgressReporter, named
from app.sync.read_ahead import ReadAhead
from app.sync.tracker import (
    MAX_TRACK_FAILURES,
    FolderRule,
    MailTracker,
    Outcome,
    Seen,
    folder_rule,
    rule_of,
    store_outcome,
)
from app.tracking.model import Address, Folder, Rule
from app.workspace import Workspace

PAGE_SIZE = 512
ATTACHMENT_BATCH = 100  # messages whose attachment lists are read in one request
# The well-known folders the cache must know before the hierarchy's changes are read.
_WELL_KNOWN = {name.value for name in DistinguishedFolder if name is not DistinguishedFolder.ROOT}
# Synced first: new mail shows up before the rest of the mailbox catches up.
_FOLDER_ORDER = {"inbox": 0, "sentitems": 1, "calendar": 3, "tasks": 4}


@dataclass(frozen=True, slots=True)
class FolderTarget:
    """A folder to sync, copied out of the session that found it."""

    id: int
    remote_id: str
    name: str
    kind: ItemKind
    rule: FolderRule
    total: int
    fresh: bool  # never synced yet


# The next batch of messages that say they have attachments but whose list the cache lacks
# (`unreadable`: rows left out, their read failed in this run). Every sync asks, so it is built
# once, and the index ix_mail_items_attachments_unknown answers (its WHERE is this one's).
UNKNOWN_ATTACHMENT_LISTS = (
    select(MailItem.id, MailItem.remote_id)
    .where(
        MailItem.account == bindparam("account"),
        MailItem.has_attachments.is_(True),
        MailItem.attachments_fetched.is_(False),
        ~MailItem.remote_id.startswith(PLACEHOLDER),
        ~MailItem.remote_id.startswith(OUTBOX_PLACEHOLDER),
        MailItem.id.not_in(bindparam("unreadable", expanding=True)),
    )
    .limit(ATTACHMENT_BATCH)
)

# Messages whose tracking failed at an earlier sync and is tried again, with their folders.
# Every sync asks, so it is built once, and the index ix_mail_items_tracking_retried answers.
RETRIED_TRACKING = (
    select(MailItem, MailFolder)
    .join(MailFolder, MailItem.folder_id == MailFolder.id)
    .where(
        MailItem.account == bindparam("account"),
        # Constants in the SQL, as the index's WHERE has them (app.db.literals).
        MailItem.tracking_state == constant("pending"),
        MailItem.tracking_rule == constant("retrying"),
    )
)

# The account's folders, as the pull's targets need them (columns, not objects: every sync).
_FOLDER_TARGETS = (
    select(
        MailFolder.id,
        MailFolder.remote_id,
        MailFolder.display_name,
        MailFolder.distinguished,
        MailFolder.content,
        MailFolder.mapped_record_type,
        MailFolder.mapped_record_id,
        MailFolder.total_count,
        MailFolder.sync_state.is_(None).label("fresh"),
    )
    .where(MailFolder.account == bindparam("account"))
    .order_by(MailFolder.id)
)


class _Read(NamedTuple):
    page: ItemChanges
    # Bodies read with the page, when the cache holds none of the folder's: by item id, None
    # for an item the server no longer had.
    bodies: dict[str, Body | None] | None = None
    # The marks written beside the pull whose answers were in when the page was asked for
    # (MarkStream.answered): the page holds what the server made of each of them.
    answered: int = 0


class Puller:
    def __init__(
        self,
        backend: MailBackend,
        workspace: Workspace,
        account: str,
        tracker: MailTracker,
        progress: ProgressReporter,
        cancel: threading.Event,
        page_size: int = PAGE_SIZE,
        marks: MarkStream | None = None,
    ) -> None:
        self.backend = backend
        self.marks = marks  # writes the marks of each page as it is committed
        self.page_size = page_size
        self.workspace = workspace
        self.account = account
        self.tracker = tracker
        self.progress = progress
        self.cancel = cancel
        # Items decided in this run that may still wait for a retry (a failure, or an outcome
        # that left the row as it was): not retried in this run again. Only those: the ids of
        # every message a first sync decides were 7 MB at 10,000 messages.
        self._decided: set[str] = set()
        self._unreadable: set[int] = set()  # rows whose attachments could not be read this run

    def pull(self) -> None:
        self.hierarchy()
        self.folders()

    def folders(self, changed: Iterable[str] | None = None) -> None:
        """Every synced folder's changes (`changed`: only these folders, and those never synced,
        as the backend's change feed says), then the messages newly tracked mail made
        correlatable, then tracking that failed at an earlier sync, then the attachment lists
        the cache does not have yet."""
        only = None if changed is None else set(changed)
        for target in self.targets():
            if only is None or target.remote_id in only or target.fresh:
                self.folder(target)
        self.correlate_again()
        self.retry_tracking()
        self.attachment_lists()

    # Hierarchy

    def hierarchy(self) -> None:
        self.progress.enter(Phase.FOLDERS)
        local = self.workspace.local.sessions
        with local.begin() as session:
            state = cache.account_state(session, self.account)
            token = state.hierarchy_sync_state
            size_limit_known = state.message_size_limit is not None
            known = cache.distinguished_names(session, self.account) >= _WELL_KNOWN
        if not known:
            found = self.backend.distinguished_folders()
            with local.begin() as session:
                cache.upsert_folders(
                    session,
                    self.account,
                    (
                        (remote, name.value)
                        for name, remote in found.items()
                        if name is not DistinguishedFolder.ROOT
                    ),
                )
        if not size_limit_known:
            # 0: the server does not say (asked once; compose then assumes Exchange's default).
            limit = self.backend.message_size_limit() or 0
            with local.begin() as session:
                cache.account_state(session, self.account).message_size_limit = limit
        while True:
            check_cancel(self.cancel)
            try:
                changes = self.backend.folder_changes(token)
            except InvalidSyncState:
                if token is None:
                    raise
                token = None
                continue
            with local.begin() as session:
                cache.upsert_folders(session, self.account, ((r, None) for r in changes.changed))
                cache.remove_folders(session, self.account, changes.deleted)
                cache.account_state(session, self.account).hierarchy_sync_state = changes.sync_state
            token = changes.sync_state
            if not changes.more:
                return

    def targets(self) -> list[FolderTarget]:
        with self.workspace.local.sessions() as session:
            folders = session.execute(_FOLDER_TARGETS, {"account": self.account}).all()
        found = []
        for row in folders:
            kind = cache.kind_of(row.distinguished, row.content)
            if kind is None:
                continue
            rule = rule_of(
                row.distinguished, row.display_name, row.mapped_record_type, row.mapped_record_id
            )
            found.append(
                FolderTarget(
                    row.id,
                    row.remote_id,
                    row.display_name,
                    kind,
                    rule,
                    row.total_count,
                    bool(row.fresh),
                )
            )
        return sorted(found, key=_order)

    # Items

    def folder(self, target: FolderTarget) -> None:
        self.progress.enter(Phase.ITEMS, target.name, target.total)
        with self.workspace.local.sessions() as session:
            folder = session.get(MailFolder, target.id)
            token = folder.sync_state if folder else None
            # Read from nothing into an empty cache: the body of every message listed is asked
            # for next (a profile moved to another server keeps its bodies, and is not so).
            bodies_follow = (
                token is None
                and target.kind is ItemKind.MESSAGE
                and not cache.folder_total(session, target.id)
            )
        # Ids of the items a resync has listed so far; None while not resyncing.
        listed: set[str] | None = None

        def read(token: str | None) -> _Read:
            answered = self.marks.answered() if self.marks is not None else 0
            page = self.backend.item_changes(
                target.remote_id, target.kind, token, self.page_size, bodies_follow
            )
            if not bodies_follow or not page.created:
                return _Read(page, answered=answered)
            found = self.backend.bodies([remote.id for remote in page.created])
            bodies = {remote.id: found.get(remote.id) for remote in page.created}
            return _Read(page, bodies, answered)

        with ReadAhead(read, self.backend.reads_ahead) as pages:
            while True:
                check_cancel(self.cancel)
                try:
                    page, bodies, answered = pages.page(token)
                except InvalidSyncState:
                    if token is None:
                        raise
                    self._log_resync(target)
                    token, listed = None, set()
                    continue
                except FolderGone:
                    # Deleted on the server meanwhile; the next hierarchy sync removes it.
                    self.progress.notes.skip(
                        ("folder", target.remote_id),
                        f"The folder {named(target.name)} was skipped: it was deleted on the "
                        "server during the sync.",
                    )
                    return
                # The rest of the folder's changes, after a page of nothing but the echoes of
                # marks written in this sync, are more of them (app.sync.mark_stream); a resync
                # reads on, as it must list the whole folder.
                only_echoes = self._echoes_settled(page)
                last = not page.more or (only_echoes and listed is None)
                if not last:
                    pages.ask(page.sync_state)
                if listed is not None:
                    listed.update(remote.id for remote in (*page.created, *page.updated))
                    listed.update(item_id for item_id, _ in page.read_flags)
                self.apply(target, page, listed, bodies, self._overtaken(page, answered))
                token = page.sync_state
                if last:
                    return

    def _overtaken(self, page: ItemChanges, answered: int) -> set[str]:
        """The page's items that marks written beside the pull may have changed after the
        server made the page: what it says of their marks may be older than what is booked."""
        if self.marks is None or not page.updated:
            return set()
        return self.marks.answered_after(answered, (remote.id for remote in page.updated))

    def _echoes_settled(self, page: ItemChanges) -> bool:
        """Wait until the marks written in this sync to items the page lists are booked, so
        that apply passes over their echoes; whether the page lists nothing else."""
        if self.marks is None or not page.updated:
            return False
        echoes = self.marks.echoes(remote.id for remote in page.updated)
        if echoes:
            self.marks.settle()
        return (
            len(echoes) == len(page.updated)
            and not page.created
            and not page.deleted
            and not page.read_flags
        )

    def _log_resync(self, target: FolderTarget) -> None:
        with self.workspace.local.sessions.begin() as session:
            log(
                session,
                "warning",
                "resync",
                f"The server no longer knew where sync had got to in {target.name!r}; the folder "
                "is being read again from the start. Cached items the server no longer has are "
                "removed only once the whole folder has been read.",
                {"folder": target.name},
            )

    def apply(
        self,
        target: FolderTarget,
        page: ItemChanges,
        resync_listing: set[str] | None = None,
        bodies: dict[str, Body | None] | None = None,
        overtaken: set[str] | None = None,
    ) -> None:
        """Write one page. During a resync (`resync_listing`: the ids listed so far, this page
        included) the folder keeps its old sync state until the last page: a resync cut off
        starts again from scratch, so its end, where the items the server did not list are
        removed, is only reached on a whole listing. `bodies`: those read with the page.
        `overtaken`: items a mark was written to since the page was made; decided as if the
        mark still waited (their tracking is left alone: the server lists them again, after
        the mark)."""
        if not page.count and resync_listing is None:
            # Nothing listed: the page only moves the folder's sync state on (a first sync
            # meets one for every empty folder), with no CRM transaction and nothing counted.
            with self.workspace.local.sessions.begin() as session:
                cache.finish_empty_page(session, target.id, page.sync_state)
            return
        remotes = [*page.created, *self._changed(target, page.updated)]
        seen = self._seen(target, remotes, bodies or {}, overtaken or set())
        counted = dataclasses.replace(self.tracker.counts)
        try:
            with self.tracker.batch(entry.remote.message_id for entry in seen.values()):
                outcomes = {
                    item_id: self.tracker.decide(target.rule, entry)
                    for item_id, entry in seen.items()
                }
        except (CrmError, SQLAlchemyError):
            self.tracker.counts = counted
            outcomes = {
                item_id: self.tracker.decide(target.rule, entry) for item_id, entry in seen.items()
            }
        self._decided.update(i for i, outcome in outcomes.items() if _may_wait(outcome))
        with self.workspace.local.sessions.begin() as session:
            folder = session.get(MailFolder, target.id)
            if folder is None:
                return  # removed by the hierarchy meanwhile
            local = pending_local(session, self.account)
            self._write(session, folder, seen, outcomes, local)
            cache.set_read_flags(session, self.account, _not_kept(session, page.read_flags, local))
            if resync_listing is None:
                cache.delete_items(session, self.account, _deletable(session, page.deleted, local))
            elif not page.more:
                self._remove_unlisted(session, folder, resync_listing, local)
            cache.refresh_folder_counts(session, folder)
            if resync_listing is None or not page.more:
                cache.finish_page(folder, page.sync_state)
        if self.marks is not None:
            self.marks.queued()
        self.progress.advance(page.count)

    def _changed(self, target: FolderTarget, updated: list[RemoteItem]) -> list[RemoteItem]:
        """The updates the cache does not hold as they are. An item whose change key is the one
        cached, and whose read state, flag, categories and mark are too, has not changed since:
        most often the server's echo of a mark this client wrote and booked (after a first sync
        at "all", every message of the mailbox). Decided again and rewritten in both databases,
        the echo made the second sync as dear as the first. A folder mapped to a record applies
        its rule at every read (it wins over a regarding set by hand): all its updates count."""
        if not updated or target.rule.mapped_record is not None:
            return updated
        with self.workspace.local.sessions() as session:
            held = cache.held_as_they_are(session, self.account, [r.id for r in updated])
        return [
            remote
            for remote in updated
            if remote.change_key is None or held.get(remote.id) != cache.as_held(target.id, remote)
        ]

    def _remove_unlisted(
        self, session: Session, folder: MailFolder, listed: set[str], local: PendingLocal
    ) -> None:
        """The end of a resync: cached items of the folder that the whole listing did not
        name are gone from it on the server (deleted while the sync state was lost). Their
        tracked activities stay in the CRM. Rows waiting for the server (a copy, a draft, a
        message in the Outbox, one moved here) are not the server's to remove."""
        cached = session.execute(
            select(MailItem.id, MailItem.remote_id).where(MailItem.folder_id == folder.id)
        )
        gone = [
            row_id
            for row_id, remote_id in cached
            if remote_id not in listed
            and not is_placeholder(remote_id)
            and row_id not in local.content
            and row_id not in local.folder
        ]
        if gone:
            session.execute(delete(MailItem).where(one_of(MailItem.id, gone)))
            log(
                session,
                "info",
                "resync",
                f"{len(gone)} items of {folder.display_name!r} are no longer on the server and "
                "were removed from the cache; their tracked activities stay in the CRM.",
                {"folder": folder.display_name, "removed": len(gone)},
            )

    def _seen(
        self,
        target: FolderTarget,
        remotes: Sequence[RemoteItem],
        early: dict[str, Body | None],
        overtaken: set[str],
    ) -> dict[str, Seen]:
        with self.workspace.local.sessions() as session:
            rows = cache.items_by_remote_id(session, self.account, (r.id for r in remotes))
            newcomers = [r for r in remotes if r.id not in rows]
            twins = cache.items_by_message_id(
                session, self.account, (r.message_id for r in newcomers if r.message_id)
            )
            memories = cache.memories(
                session, self.account, (r.message_id for r in newcomers if r.message_id)
            )
            untracked = sent_untracked(
                session, (r.mark.client_id for r in newcomers if r.mark.client_id)
            )
            pending_items, pending_messages = pending_marks_among(
                session,
                self.account,
                (row.id for row in rows.values()),
                (r.message_id for r in remotes if r.message_id),
            )
            known = {
                remote.id: _known(
                    remote, rows.get(remote.id), twins, memories, remote.mark.client_id in untracked
                )
                for remote in remotes
            }
        bodies = self._bodies(target, remotes, rows, early)
        return {
            remote.id: Seen(
                remote=remote,
                body=bodies.get(remote.id),
                prior=known[remote.id].prior,
                evaluated=known[remote.id].evaluated,
                track_failures=known[remote.id].track_failures,
                mark_pending=known[remote.id].row_id in pending_items
                or (remote.message_id or "") in pending_messages
                or remote.id in overtaken,
            )
            for remote in remotes
        }

    def _bodies(
        self,
        target: FolderTarget,
        remotes: Sequence[RemoteItem],
        rows: dict[str, MailItem],
        early: dict[str, Body | None],
    ) -> dict[str, Body]:
        """The bodies the cache lacks: those read with the page, and the others now (an item
        gone since it was listed has none)."""
        if target.kind is not ItemKind.MESSAGE:
            return {}
        wanted = [
            remote.id
            for remote in remotes
            if remote.id not in rows or not rows[remote.id].body_fetched
        ]
        late = [item_id for item_id in wanted if item_id not in early]
        found = {item_id: body for item_id in wanted if (body := early.get(item_id)) is not None}
        return found | self.backend.bodies(late) if late else found

    def _write(
        self,
        session: Session,
        folder: MailFolder,
        seen: dict[str, Seen],
        outcomes: dict[str, Outcome],
        local: PendingLocal,
    ) -> None:
        remotes = [entry.remote for entry in seen.values() if entry.remote.id not in local.deleted]
        seen = {item_id: entry for item_id, entry in seen.items() if item_id not in local.deleted}
        rows = cache.items_by_remote_id(session, self.account, (r.id for r in remotes))
        rows.update(_waiting_rows(session, self.account, [r for r in remotes if r.id not in rows]))
        # A twin only lends its body to a new message whose own body could not be fetched.
        twins = cache.items_by_message_id(
            session,
            self.account,
            (
                entry.remote.message_id
                for entry in seen.values()
                if entry.remote.id not in rows and entry.remote.message_id and entry.body is None
            ),
        )
        memories = cache.memories(
            session, self.account, (r.message_id for r in remotes if r.message_id)
        )
        new_rows: list[dict[str, Any]] = []
        final: dict[str, dict[str, Any]] = {}
        for entry in seen.values():
            remote = entry.remote
            outcome = outcomes[remote.id]
            values = cache.item_values(folder.id, remote, entry.body)
            existing = rows.get(remote.id)
            if existing is None:
                values = cache.new_item_values(self.account, remote.id, values)
                if entry.prior is not None:
                    values.update(entry.prior.values())
                values["evaluated"] = entry.evaluated
                twin = (twins.get(remote.message_id or "") or [None])[0]
                if twin is not None and not values["body_fetched"] and twin.body_fetched:
                    values.update(
                        body_text=twin.body_text, body_html=twin.body_html, body_fetched=True
                    )
            else:
                values.update(
                    evaluated=existing.evaluated,
                    track_failures=existing.track_failures,
                    **cache.TrackingState.of(existing).values(),
                    id=existing.id,
                    remote_id=remote.id,
                )
                if values["internet_message_id"] is None:
                    values["internet_message_id"] = existing.internet_message_id
                for column in local.kept(existing.id):
                    values.pop(column, None)
            if outcome.state is not None:
                values.update(outcome.state.values())
            if outcome.evaluated:
                values["evaluated"] = True
            if outcome.track_failures is not None:
                values["track_failures"] = outcome.track_failures
            if existing is None:
                new_rows.append(values)
            else:
                cache.update_item(existing, {k: v for k, v in values.items() if k != "id"})
            final[remote.id] = values
        session.flush()
        for remote_id, item_id in cache.insert_items(session, self.account, new_rows).items():
            final[remote_id]["id"] = item_id
        self._remember(session, memories, final.values())
        cache.remember_correspondents(session, self.account, _correspondents(folder, remotes))
        marks = []
        for entry in seen.values():
            outcome = outcomes[entry.remote.id]
            values = final[entry.remote.id]
            if outcome.mark is not None:
                marks.append((values, outcome.mark))
            self._report_problems(
                session, outcome, values["subject"], values["internet_message_id"]
            )
        enqueue_marks(session, self.account, marks)
        new = [o.correlate_with for o in outcomes.values() if o.correlate_with is not None]
        enqueue_correlate(session, self.account, new)

    def _remember(
        self,
        session: Session,
        memories: dict[str, EvaluatedMessage],
        rows: Iterable[dict[str, Any]],
    ) -> None:
        """Remember every evaluated message by Message-ID, with its activity when tracked."""
        first_seen: dict[str, int | None] = {}
        for values in rows:
            message_id = values.get("internet_message_id")
            if not values.get("evaluated") or not message_id:
                continue
            memory = memories.get(message_id)
            if memory is None:
                first_seen[message_id] = values.get("activity_id") or first_seen.get(message_id)
            elif values.get("activity_id") is not None:
                memory.activity_id = values["activity_id"]
        cache.insert_memories(session, self.account, first_seen)

    def correlate_again(self) -> None:
        """Messages a message tracked since made correlatable, decided again (app.sync.
        correlate)."""
        Recorrelation(self.workspace, self.account, self.tracker, self.cancel).run(self._store)

    def _store(self, row_id: int, outcome: Outcome) -> None:
        with self.workspace.local.sessions.begin() as session:
            row = session.get(MailItem, row_id)
            if row is not None:
                store_outcome(session, row, outcome)
                self._report_problems(session, outcome, row.subject, row.internet_message_id)

    # Attachment lists the cache does not have yet

    def attachment_lists(self) -> None:
        """Messages that say they have attachments but whose list the cache lacks (cached by an
        older version, moved since, saved as drafts): their lists are read in batches."""
        while True:
            check_cancel(self.cancel)
            with self.workspace.local.sessions() as session:
                wanted = list(
                    session.execute(
                        UNKNOWN_ATTACHMENT_LISTS,
                        {"account": self.account, "unreadable": list(self._unreadable)},
                    )
                )
            if not wanted:
                return
            bodies = self.backend.bodies([remote_id for _, remote_id in wanted])
            with self.workspace.local.sessions.begin() as session:
                for row_id, remote_id in wanted:
                    row = session.get(MailItem, row_id)
                    body = bodies.get(remote_id)
                    if row is None or body is None or row.remote_id != remote_id:
                        self._unreadable.add(row_id)  # gone meanwhile: the next sync sees
                        continue
                    row.attachments = [stored(a) for a in body.attachments]
                    row.attachments_fetched = True
                    if not row.body_fetched:
                        row.body_text, row.body_html, row.body_fetched = body.text, body.html, True

    # Retrying tracking that failed at an earlier sync

    def retry_tracking(self) -> None:
        with self.workspace.local.sessions() as session:
            waiting = list(session.execute(RETRIED_TRACKING, {"account": self.account}))
            work = [
                (
                    row.id,
                    cache.remote_from_row(row),
                    folder_rule(folder),
                    row.track_failures,
                    Body(row.body_text, row.body_html),
                )
                for row, folder in waiting
                if row.remote_id not in self._decided
            ]
        for row_id, remote, rule, failures, body in work:
            check_cancel(self.cancel)
            outcome = self.tracker.decide(
                rule, Seen(remote, body, None, False, failures, mark_pending=False)
            )
            self._store(row_id, outcome)

    def _report_problems(
        self, session: Session, outcome: Outcome, subject: str, message_id: str | None
    ) -> None:
        """Tracking that failed, in the sync log (with the CRM's reason) and in the report."""
        if not outcome.problems:
            return
        given_up = outcome.state is not None and outcome.state.tracking_state == "failed"
        for problem in outcome.problems:
            log(
                session,
                "error" if given_up else "warning",
                "tracking",
                problem,
                {"message_id": message_id},
            )
        shown = named(subject)
        attempts = outcome.track_failures or 0
        key = ("tracking", message_id or subject)
        if given_up:
            failed = self.tracker.sync_options.failed_category
            self.progress.notes.give_up(
                key,
                f"{shown} could not be tracked in the CRM after {attempts} attempts; "
                f"it shows the category {failed!r}.",
            )
        else:
            self.progress.notes.skip(
                key,
                f"{shown} could not be tracked in the CRM yet; attempt {attempts} of "
                f"{MAX_TRACK_FAILURES}, tried again at the next sync.",
            )


def _may_wait(outcome: Outcome) -> bool:
    """Whether the row may still wait for a retry of its tracking after this outcome."""
    return outcome.state is None or outcome.state.rule == Rule.RETRYING


def _waiting_rows(
    session: Session, account: str, newcomers: Sequence[RemoteItem]
) -> dict[str, MailItem]:
    """Rows waiting for these new server items: a copy or a draft made here, whose client id
    the server's item carries (push did not hear of it, a crash or a timeout between)."""
    wanted = {
        placeholder(remote.mark.client_id): remote.id
        for remote in newcomers
        if remote.mark.client_id
    }
    if not wanted:
        return {}
    found = cache.items_by_remote_id(session, account, wanted)
    return {wanted[remote_id]: row for remote_id, row in found.items()}


def _not_kept(
    session: Session, flags: Sequence[tuple[str, bool]], local: PendingLocal
) -> list[tuple[str, bool]]:
    """Read flags from the server, but not over a read state changed here and not yet sent."""
    if not flags or not local.read:
        return list(flags)
    kept = _remote_ids(session, local.read)
    return [(remote_id, read) for remote_id, read in flags if remote_id not in kept]


def _deletable(session: Session, deleted: Sequence[str], local: PendingLocal) -> list[str]:
    """Items deleted on the server, but not a draft whose changes here wait to be saved (the
    save makes it again: what the user wrote is not lost)."""
    if not deleted or not local.content:
        return list(deleted)
    kept = _remote_ids(session, local.content)
    return [remote_id for remote_id in deleted if remote_id not in kept]


def _remote_ids(session: Session, row_ids: set[int]) -> set[str]:
    return set(session.scalars(select(MailItem.remote_id).where(MailItem.id.in_(list(row_ids)))))


def _correspondents(
    folder: MailFolder, remotes: Iterable[RemoteItem]
) -> Iterable[tuple[Address, datetime | None]]:
    """Who mail comes from; in Sent Items, whom it went to."""
    for remote in remotes:
        if remote.kind is not ItemKind.MESSAGE:
            continue
        moment = remote.sent_at or remote.received_at
        if folder.distinguished == "sentitems":
            for address in (*remote.to, *remote.cc, *remote.bcc):
                yield address, moment
        elif remote.sender is not None:
            yield remote.sender, moment


@dataclass(frozen=True, slots=True)
class _Known:
    row_id: int | None
    prior: cache.TrackingState | None
    evaluated: bool
    track_failures: int


def _known(
    remote: RemoteItem,
    row: MailItem | None,
    twins: dict[str, list[MailItem]],
    memories: dict[str, object],
    decided_when_queued: bool,
) -> _Known:
    """What the cache knew of this item: its own row, else a twin (same Message-ID, e.g. the
    copy it was moved from), else the message's memory. `decided_when_queued`: an email the
    user sent untracked, known by the send's client id on it."""
    if row is not None:
        return _Known(row.id, cache.TrackingState.of(row), row.evaluated, row.track_failures)
    message_id = remote.message_id or ""
    twin = next(iter(twins.get(message_id, ())), None)
    if twin is not None:
        return _Known(None, cache.TrackingState.of(twin), twin.evaluated, twin.track_failures)
    return _Known(None, None, message_id in memories or decided_when_queued, 0)


def _order(target: FolderTarget) -> tuple[int, str]:
    distinguished = {
        Folder.INBOX: "inbox",
        Folder.SENT: "sentitems",
    }.get(target.rule.role)
    if target.kind is ItemKind.APPOINTMENT:
        distinguished = "calendar"
    elif target.kind is ItemKind.TASK:
        distinguished = "tasks"
    return _FOLDER_ORDER.get(distinguished or "", 2), target.name
