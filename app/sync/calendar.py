"""Appointments and tasks both ways between the CRM and Exchange, mapped 1:1.

`reconcile()` runs after pull, when the cache holds Exchange's current items:
1. An Exchange appointment or task the user tracked (the tracking category, or Liaison's mark
   asking for it) and not linked yet is linked to the CRM activity its mark names, else to a
   CRM activity with no link of the same kind, subject and start (what a crash between the CRM
   write and the link leaves), else created in the CRM.
2. A CRM appointment or task of the mailbox owner with no link gets a link and a CREATE_ITEM
   entry in the outbox, in one local transaction.
3. A linked pair is merged field by field against the snapshot of the last agreement
   (app.sync.conflicts): the CRM is written at once, Exchange through an UPDATE_ITEM entry, and
   values lost to a conflict go to the sync log.
Deletions follow app.sync.activity_deletion: an Exchange item deleted, or untracked by taking
its category off, unlinks its CRM activity for good (never recreated on Exchange); a CRM
activity deleted elsewhere leaves its Exchange item, untracked. Each says so in the sync log.
An unlinked Exchange item tracked again (its category put back, or restored from Deleted Items
with Liaison's mark) is linked to its activity again, with the Exchange values.

`push()` replays CREATE_ITEM, UPDATE_ITEM, DELETE_ITEM, UNTRACK_ITEM and EDIT_ITEM entries. A
create first looks for the entry's client id in the folder, so a replay after a crash adopts the
item it made before (and merges with it, in case the crash came before its exceptions were
written); a delete or untrack finds an item gone already and is done. An update or edit names
the change key it was made against, so a replay after a crash finds the item changed (by itself)
and merges instead of writing twice.

EDIT_ITEM is a change the user made in Liaison to an Exchange appointment or task that is not
tracked: there is no CRM activity, so it goes to Exchange directly, merged by the same rule with
whatever another client changed meanwhile.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Row, Select, Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from app.crm.models import Activity, ActivityParty, Appointment, Task
from app.crm.schedule import owned_by
from app.db import json_text
from app.db.chunks import IN_CLAUSE_SIZE
from app.mailbox import cache
from app.mailbox.models import ActivityLink, MailFolder, MailItem, OutboxEntry
from app.mailbox.remote import ItemKind, LinkState, RemoteMark
from app.mailbox.sync_options import SyncOptions
from app.sync import activity_fields as fields
from app.sync.activity_deletion import (
    ExchangeCopy,
    Unlinked,
    delete_crm_activity,
    enqueue_removal,
    mark_unlinked,
)
from app.sync.backend import ItemRef, MailBackend, MarkChange
from app.sync.conflicts import LostValue, MergeResult, merge
from app.sync.errors import (
    ChangeConflict,
    ItemGone,
    SyncError,
    check_cancel,
    is_item_problem,
    why_in_words,
)
from app.sync.outbox import (
    OutboxKind,
    enqueue,
    failure_note,
    log,
    mark_done,
    new_client_id,
    pending,
    record_failure,
)
from app.sync.progress import Phase, ProgressReporter, named
from app.workspace import Workspace

_FOLDERS = {ItemKind.APPOINTMENT: "calendar", ItemKind.TASK: "tasks"}
_KIND_OF_FOLDER = {folder: kind for kind, folder in _FOLDERS.items()}
_MODELS: dict[ItemKind, type[Appointment] | type[Task]] = {
    ItemKind.APPOINTMENT: Appointment,
    ItemKind.TASK: Task,
}
_KINDS = {"appointment": ItemKind.APPOINTMENT, "task": ItemKind.TASK}  # by Activity.type
_LINK_KINDS = (
    OutboxKind.CREATE_ITEM,
    OutboxKind.UPDATE_ITEM,
    OutboxKind.DELETE_ITEM,
    OutboxKind.UNTRACK_ITEM,
)
_ENTRY_KINDS = (*_LINK_KINDS, OutboxKind.EDIT_ITEM)
_WHEN = ("start", "end", *fields.WHEN_CONTEXT, "recurrence")
EDIT_ROUNDS = 3  # merges with another client's change to an untracked item, within one push


@dataclass(slots=True)
class CalendarCounts:
    changed: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class _Cached:
    """A cached appointment or task as the cache stores it (JSON text), read only when a
    merge or an adoption needs it: most syncs find most pairs as they were (see Agreed)."""

    remote_id: str
    change_key: str | None
    kind: ItemKind
    details: str | None
    stored_categories: str | None
    stored_mark: str | None

    @cached_property
    def values(self) -> dict[str, Any]:
        return fields.normalised(self.kind, _json(self.details) or {})

    @cached_property
    def categories(self) -> tuple[str, ...]:
        return tuple(_json(self.stored_categories) or ())

    @cached_property
    def mark(self) -> dict[str, Any]:
        return dict(_json(self.stored_mark) or {})


# A linked pair the last merge found in agreement, by link id: what the merge read (the link,
# the cached item, the CRM activity with its attendees, the tracking category), as stored. The
# engine keeps these between syncs, and a pair that reads the same again is not merged again:
# merging every pair at every sync made an empty sync's time grow with the calendar.
Agreed = dict[int, tuple[Any, ...]]


class CalendarSync:
    def __init__(
        self,
        backend: MailBackend,
        workspace: Workspace,
        account: str,
        options: SyncOptions,
        progress: ProgressReporter,
        cancel: threading.Event,
        retry_pause: timedelta,
        agreed: Agreed | None = None,
    ) -> None:
        self.backend = backend
        self.workspace = workspace
        self.account = account
        self.options = options  # as the sync read them when it began
        self.progress = progress
        self.cancel = cancel
        self.retry_pause = retry_pause
        self.agreed: Agreed = {} if agreed is None else agreed
        self.counts = CalendarCounts()

    # Reconcile

    def reconcile(self) -> None:
        self.progress.enter(Phase.CALENDAR)
        with self.workspace.local.sessions() as session:
            cached = self._cached_items(session)
            links = {
                row.activity_id: _LinkCopy(*row)
                for row in session.execute(_LINKS, {"account": self.account})
            }
            busy = {
                int(payload["link_id"])
                for payload in session.scalars(_BUSY_LINKS, {"account": self.account})
            }
        with self.workspace.crm.sessions() as crm:
            owner_id = self.workspace.owner(crm).id
            linkable = crm.execute(LINKABLE_ACTIVITIES, {"owner_id": owner_id}).all()
        # An item still linked, or unlinked with its mark or deletion still to be written, is
        # not adopted: that would undo the user's deletion before it reaches Exchange.
        settled = {
            link.remote_id
            for link in links.values()
            if link.remote_id and (not link.unlinked or link.id in busy)
        }
        for item in cached.values():
            check_cancel(self.cancel)
            if item.remote_id not in settled and _is_tracked(item, self.options):
                self._adopt_exchange_item(item, owner_id, links)
        self._link_new_crm_activities(linkable, links)
        live: list[tuple[_LinkCopy, _Cached]] = []
        for link in list(links.values()):
            if link.unlinked or link.id in busy or link.remote_id is None:
                self.agreed.pop(link.id, None)  # merged again once its entries are written
                continue
            item = cached.get(link.remote_id)
            if item is None:
                self._unlink(link, Unlinked.DELETED_IN_EXCHANGE)
            else:
                live.append((link, item))
        if not live:
            return
        with self.workspace.crm.sessions() as crm:
            stored = crm_state(crm, owner_id)
        unsettled: list[_Pair] = []
        for link, item in live:
            check_cancel(self.cancel)
            pair = _Pair(link, item, _read(link, item, self.options, stored.get(link.activity_id)))
            if self.agreed.get(link.id) == pair.read:
                continue
            if not _is_tracked(item, self.options):
                self._unlink(link, Unlinked.CATEGORY_REMOVED)
            else:
                unsettled.append(pair)
        for start in range(0, len(unsettled), IN_CLAUSE_SIZE):
            check_cancel(self.cancel)
            self._merge(unsettled[start : start + IN_CLAUSE_SIZE])

    def _cached_items(self, session: Session) -> dict[str, _Cached]:
        return {
            row.remote_id: _Cached(
                row.remote_id,
                row.change_key,
                _KIND_OF_FOLDER[row.distinguished],
                row.details,
                row.categories,
                row.mark,
            )
            for row in session.execute(CACHED_SCHEDULE, {"account": self.account})
        }

    def _adopt_exchange_item(
        self, item: _Cached, owner_id: int, links: dict[int, _LinkCopy]
    ) -> None:
        """A tracked Exchange item with no link: find or create its CRM activity, link them.
        An item unlinked before and tracked again gets its own activity back, with the values
        the user sees on Exchange now."""
        model = _MODELS[item.kind]
        with self.workspace.crm.sessions.begin() as crm:
            revived = _unlinked_pair(item, links)
            activity = crm.get(model, revived.activity_id) if revived is not None else None
            if activity is not None:
                fields.apply_to_crm(activity, item.values)
            else:
                revived = None
                activity = self._linkable_activity(crm, item, model, owner_id, links)
            if activity is None:
                activity = model(owner_id=owner_id, regarding_id=_regarding_id(item.mark))
                crm.add(activity)  # in the session first: attendees resolve to records
                fields.apply_to_crm(activity, item.values)
                crm.flush()
            activity_id = activity.id
            regarding = _regarding_text(activity)
        with self.workspace.local.sessions.begin() as session:
            link = session.get(ActivityLink, revived.id) if revived is not None else None
            if link is None:
                link = ActivityLink(
                    account=self.account,
                    activity_id=activity_id,
                    kind=item.kind.value,
                    client_id=new_client_id(),
                )
                session.add(link)
            link.remote_id, link.change_key, link.snapshot = (
                item.remote_id,
                item.change_key,
                item.values,
            )
            link.unlinked_at = link.unlinked_reason = None
            session.flush()
            links[activity_id] = _copy(link)
            enqueue(
                session,
                self.account,
                OutboxKind.UPDATE_ITEM,
                {"link_id": link.id, "fields": {}, "base": item.values, "mark": regarding},
            )
        self.counts.changed += 1

    def _linkable_activity(
        self,
        crm: Session,
        item: _Cached,
        model: type[Appointment] | type[Task],
        owner_id: int,
        links: dict[int, _LinkCopy],
    ) -> Appointment | Task | None:
        wanted = _marked_activity(item)
        if wanted is not None and wanted not in links:
            activity = crm.get(model, wanted)
            if activity is not None:
                return activity
        candidates = crm.scalars(
            select(model).where(model.owner_id == owner_id, model.subject == item.values["subject"])
        )
        for candidate in candidates:
            if candidate.id in links:
                continue
            if fields.normalised(item.kind, fields.crm_fields(candidate)).get("start") == (
                item.values.get("start")
            ):
                return candidate
        return None

    def _link_new_crm_activities(
        self, linkable: Sequence[Row[tuple[int, str]]], links: dict[int, _LinkCopy]
    ) -> None:
        """Link the owner's appointments and tasks (`linkable`) that have no link yet."""
        unlinked = [
            (activity_id, _KINDS[activity_type])
            for activity_id, activity_type in linkable
            if activity_id not in links
        ]
        if not unlinked:
            return
        with self.workspace.local.sessions.begin() as session:
            for activity_id, kind in unlinked:
                link = ActivityLink(
                    account=self.account,
                    activity_id=activity_id,
                    kind=kind.value,
                    client_id=new_client_id(),
                )
                session.add(link)
                session.flush()
                links[activity_id] = _copy(link)
                enqueue(session, self.account, OutboxKind.CREATE_ITEM, {"link_id": link.id})

    def _merge(self, pairs: Sequence[_Pair]) -> None:
        """Merge linked items with their CRM activities, the CRM read (and written) in one
        transaction for them all: read one by one, each link cost ~2 ms at every sync, empty
        ones included. Each link's own bookkeeping follows the CRM's commit (a crash between
        the two is merged again at the next sync, to the same result)."""
        merged: list[tuple[_Pair, dict[str, Any], MergeResult]] = []
        missing: list[_LinkCopy] = []
        with self.workspace.crm.sessions.begin() as crm:
            activities = _activities(crm, [pair.link for pair in pairs])
            for pair in pairs:
                link, item = pair.link, pair.item
                activity = activities.get(link.activity_id)
                if activity is None:
                    missing.append(link)
                    continue
                kind = ItemKind(link.kind)
                crm_values = fields.normalised(kind, fields.crm_fields(activity))
                base = fields.normalised(kind, link.snapshot or item.values)
                result = merge(base, crm_values, item.values)
                if result.to_crm:
                    fields.apply_to_crm(activity, result.to_crm)
                merged.append((pair, base, result))
        for link in missing:
            self._unlink(link, Unlinked.DELETED_IN_CRM)
        for pair, base, result in merged:
            self._keep_merged(pair, base, result)

    def _keep_merged(self, pair: _Pair, base: dict[str, Any], result: MergeResult) -> None:
        link, item = pair.link, pair.item
        kind = ItemKind(link.kind)
        self.agreed.pop(link.id, None)
        if not (result.to_crm or result.to_exchange or result.lost) and link.snapshot == (
            result.merged
        ):
            if link.change_key != item.change_key:
                self._save_link(link.id, item.change_key, result.merged)
            elif pair.read[-1] is not None:  # None: not the owner's now, read one by one
                self.agreed[link.id] = pair.read
            return
        with self.workspace.local.sessions.begin() as session:
            row = session.get(ActivityLink, link.id)
            if row is None:
                return
            row.change_key = item.change_key
            row.snapshot = result.merged
            if result.to_exchange:
                enqueue(
                    session,
                    self.account,
                    OutboxKind.UPDATE_ITEM,
                    {
                        "link_id": link.id,
                        "fields": _with_context(kind, result.to_exchange, result.merged),
                        "base": base,
                    },
                )
            if result.lost:
                self.counts.conflicts += 1
                _log_conflict(session, kind, link.activity_id, result.merged, result.lost)
        if result.to_crm or result.to_exchange:
            self.counts.changed += 1

    def _save_link(self, link_id: int, change_key: str | None, snapshot: dict[str, Any]) -> None:
        with self.workspace.local.sessions.begin() as session:
            row = session.get(ActivityLink, link_id)
            if row is not None:
                row.change_key = change_key
                row.snapshot = snapshot

    def _unlink(self, link: _LinkCopy, reason: Unlinked) -> None:
        self.agreed.pop(link.id, None)
        with self.workspace.local.sessions.begin() as session:
            row = session.get(ActivityLink, link.id)
            if row is None or not _mark_unlinked(session, row, reason):
                return
            if reason is Unlinked.DELETED_IN_CRM:
                enqueue_removal(session, row, _subject(link), delete_item=False)
            self.counts.changed += 1

    # Push

    def push(self) -> None:
        with self.workspace.local.sessions() as session:
            entries = [
                (entry.id, entry.kind, dict(entry.payload))
                for entry in session.scalars(
                    select(OutboxEntry)
                    .where(OutboxEntry.account == self.account, pending(*_ENTRY_KINDS))
                    .order_by(OutboxEntry.id)
                )
            ]
            if not entries:
                return
            folder_ids = {
                kind: folder.remote_id
                for kind, name in _FOLDERS.items()
                if (folder := cache.distinguished_folder(session, self.account, name)) is not None
            }
        self.progress.enter(Phase.CALENDAR)
        for entry_id, kind, payload in entries:
            check_cancel(self.cancel)
            try:
                if kind == OutboxKind.CREATE_ITEM.value:
                    self._create(entry_id, payload, self.options, folder_ids)
                elif kind == OutboxKind.UPDATE_ITEM.value:
                    self._update(entry_id, payload, self.options)
                elif kind == OutboxKind.EDIT_ITEM.value:
                    self._edit(entry_id, payload)
                else:
                    self._remove(entry_id, OutboxKind(kind), payload, self.options, folder_ids)
            except (ItemGone, ChangeConflict) as exc:
                self._settle(entry_id, payload, exc)
            except SyncError as exc:
                if not is_item_problem(exc):
                    raise
                self._failed(entry_id, payload, exc)
            self.progress.advance(1)

    def _create(
        self,
        entry_id: int,
        payload: dict[str, Any],
        options: SyncOptions,
        folder_ids: dict[ItemKind, str],
    ) -> None:
        with self.workspace.local.sessions() as session:
            link = session.get(ActivityLink, int(payload["link_id"]))
            copy = _copy(link) if link is not None else None
        if copy is None or copy.unlinked:
            return self._finish(entry_id)
        kind = ItemKind(copy.kind)
        with self.workspace.crm.sessions() as crm:
            activity = crm.get(_MODELS[kind], copy.activity_id)
            if activity is None:
                return self._finish(entry_id)
            values = fields.normalised(kind, fields.crm_fields(activity))
            regarding = _regarding_text(activity)
        folder_id = folder_ids.get(kind)
        if folder_id is None:
            return None  # the folder is not known before the first pull; next run
        ref = self.backend.find_by_client_id(folder_id, kind, copy.client_id)
        # Made by an earlier run that stopped before saying so: what it wrote is not known for
        # sure (a series' exceptions come after the item), so the next reconcile merges with
        # Exchange as it is, the CRM's values winning where they differ.
        agreed: dict[str, Any] | None = values if ref is None else None
        if ref is None:
            ref = self.backend.create_item(folder_id, kind, values, _mark(options, copy, regarding))
        with self.workspace.local.sessions.begin() as session:
            row = session.get(ActivityLink, copy.id)
            if row is not None:
                row.remote_id, row.change_key, row.snapshot = ref.id, ref.change_key, agreed
            entry = session.get(OutboxEntry, entry_id)
            if entry is not None:
                mark_done(entry)
        self.counts.changed += 1
        return None

    def _update(self, entry_id: int, payload: dict[str, Any], options: SyncOptions) -> None:
        with self.workspace.local.sessions() as session:
            link = session.get(ActivityLink, int(payload["link_id"]))
            copy = _copy(link) if link is not None else None
        if copy is None or copy.unlinked or copy.remote_id is None:
            return self._finish(entry_id)
        kind = ItemKind(copy.kind)
        ref = ItemRef(copy.remote_id, copy.change_key)
        if "mark" in payload:
            mark = _mark(options, copy, payload.get("mark"))
            written = self.backend.write_marks(
                [MarkChange(copy.remote_id, (options.tracking_category,), (), mark, kind)]
            )[copy.remote_id]
            if isinstance(written, Exception):
                raise written
            ref = written
        if payload.get("fields"):
            ref = self.backend.update_item(kind, ref, payload["fields"], None)
        with self.workspace.local.sessions.begin() as session:
            row = session.get(ActivityLink, copy.id)
            if row is not None:
                row.remote_id, row.change_key = ref.id, ref.change_key
            entry = session.get(OutboxEntry, entry_id)
            if entry is not None:
                mark_done(entry)
        return None

    def _edit(self, entry_id: int, payload: dict[str, Any]) -> None:
        """A change to an untracked Exchange item, made against the values and change key the
        user saw. Another client's change meanwhile (or this entry's own, written before a
        crash) makes the change key stale: the item is read again and merged with the user's
        change by the conflict rule, Liaison's edit standing for the CRM."""
        kind = ItemKind(payload["kind"])
        base = fields.normalised(kind, payload["base"])
        ours = fields.normalised(kind, {**payload["base"], **payload["fields"]})
        ref = ItemRef(payload["remote_id"], payload.get("change_key"))
        changed = {name: ours[name] for name in payload["fields"] if name in ours}
        try:
            for _ in range(EDIT_ROUNDS):
                try:
                    if changed:
                        self.backend.update_item(
                            kind, ref, _with_context(kind, changed, ours), None
                        )
                    break
                except ChangeConflict:
                    current = self.backend.items(kind, [ref.id]).get(ref.id)
                    if current is None:
                        raise ItemGone(f"Item {ref.id[-12:]} is gone") from None
                    theirs = fields.normalised(kind, dict(current.details or {}))
                    result = merge(base, ours, theirs)
                    if result.lost:
                        self._edit_lost(kind, result.merged, result.lost)
                    changed, ours, base = result.to_exchange, result.merged, theirs
                    ref = ItemRef(ref.id, current.change_key)
            else:
                # Changing under us round after round: tried again at the next sync.
                return self._failed(entry_id, payload, ChangeConflict("It kept changing"))
        except ItemGone:
            with self.workspace.local.sessions.begin() as session:
                log(
                    session,
                    "warning",
                    "edit-lost",
                    f"The Exchange {kind.value} {base.get('subject')!r} was deleted before "
                    "Liaison's change reached it.",
                    {"kind": kind.value, "subject": base.get("subject"), "fields": changed},
                )
        self._finish(entry_id)
        self.counts.changed += 1

    def _edit_lost(
        self, kind: ItemKind, merged: dict[str, Any], lost: tuple[LostValue, ...]
    ) -> None:
        self.counts.conflicts += 1
        with self.workspace.local.sessions.begin() as session:
            log(
                session,
                "warning",
                "edit-conflict",
                f"{kind.value.capitalize()} {merged.get('subject')!r} changed in Liaison and "
                "in Exchange; " + "; ".join(value.describe() for value in lost),
                {"kind": kind.value, "subject": merged.get("subject"), "lost": _lost(lost)},
            )

    def _remove(
        self,
        entry_id: int,
        kind: OutboxKind,
        payload: dict[str, Any],
        options: SyncOptions,
        folder_ids: dict[ItemKind, str],
    ) -> None:
        """A CRM appointment or task deleted in Liaison: its CRM activity goes (again, after a
        crash between the two writes of the deletion), then its Exchange item is deleted or
        loses Liaison's mark. An item no longer there is no error: the work is done."""
        item_kind = ItemKind(payload["kind"])
        if payload.get("created_at"):
            activity_id, subject = int(payload["activity_id"]), payload["subject"]
            delete_crm_activity(self.workspace, activity_id, subject, payload["created_at"])
        item_id = payload.get("remote_id")
        if item_id is None:
            folder_id = folder_ids.get(item_kind)
            if folder_id is None:
                return  # the folder is not known before the first pull; next run
            ref = self.backend.find_by_client_id(folder_id, item_kind, payload["client_id"])
            item_id = ref.id if ref is not None else None
        try:
            if item_id is not None and kind is OutboxKind.DELETE_ITEM:
                self.backend.delete_item(item_kind, item_id)
            elif item_id is not None:
                self._take_mark_off(item_id, item_kind, payload, options)
        except ItemGone:
            pass
        # Exchange has what it needs; the activity is gone, and its id may come back on a new
        # one, which the unlinked link must not hold back.
        self._finish(entry_id, forget_link=int(payload["link_id"]))
        self.counts.changed += 1

    def _take_mark_off(
        self, item_id: str, kind: ItemKind, payload: dict[str, Any], options: SyncOptions
    ) -> None:
        names = tuple(dict.fromkeys(filter(None, (options.tracking_category, payload["category"]))))
        activity, client_id = int(payload["activity_id"]), payload["client_id"]
        mark = RemoteMark(LinkState.UNTRACKED_BUT_WAS, activity, None, None, client_id)
        written = self.backend.write_marks([MarkChange(item_id, (), names, mark, kind)])[item_id]
        if isinstance(written, Exception):
            raise written

    def _settle(self, entry_id: int, payload: dict[str, Any], error: SyncError) -> None:
        """The Exchange item changed or vanished under us: drop the entry and go back to the
        last agreement, so the next reconcile merges with what Exchange has now (or, for an
        item gone, unlinks it for good)."""
        with self.workspace.local.sessions.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            link = session.get(ActivityLink, int(payload["link_id"]))
            if link is not None and payload.get("base") is not None:
                link.snapshot = payload["base"]
            if entry is None:
                return
            gone = isinstance(error, ItemGone) and entry.kind == OutboxKind.UPDATE_ITEM.value
            if gone and link is not None:
                _mark_unlinked(session, link, Unlinked.DELETED_IN_EXCHANGE)
            if isinstance(error, ChangeConflict):
                mark_done(entry)
            else:
                record_failure(session, entry, str(error), self.retry_pause)

    def _failed(self, entry_id: int, payload: dict[str, Any], error: SyncError) -> None:
        """The server refused this change (not a conflict): retried later, then given up,
        without holding back the other entries."""
        with self.workspace.local.sessions.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            if entry is None:
                return
            given_up = record_failure(session, entry, str(error), self.retry_pause)
            subject = (payload.get("base") or payload.get("fields") or {}).get("subject")
            shown = named(subject) if subject else "An appointment or task"
            note = failure_note(
                entry, f"{shown} could not be written to Exchange", why_in_words(error)
            )
            self.progress.notes.add(("outbox", entry_id), note, given_up)

    def _finish(self, entry_id: int, forget_link: int | None = None) -> None:
        with self.workspace.local.sessions.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            if entry is not None:
                mark_done(entry)
            link = session.get(ActivityLink, forget_link) if forget_link is not None else None
            if link is not None:
                session.delete(link)


@dataclass(frozen=True)
class _LinkCopy:
    id: int
    activity_id: int
    kind: str
    remote_id: str | None
    change_key: str | None
    client_id: str
    stored_snapshot: str | None  # JSON text, as stored
    unlinked: bool

    @cached_property
    def snapshot(self) -> dict[str, Any] | None:
        return _json(self.stored_snapshot) or None


def _copy(link: ActivityLink) -> _LinkCopy:
    return _LinkCopy(
        link.id,
        link.activity_id,
        link.kind,
        link.remote_id,
        link.change_key,
        link.client_id,
        json_text.dumps(link.snapshot) if link.snapshot else None,
        link.unlinked_at is not None,
    )


@dataclass(frozen=True, slots=True)
class _Pair:
    link: _LinkCopy
    item: _Cached
    read: tuple[Any, ...]  # what a merge of the pair reads, as stored (see Agreed)


def _text(column: Any) -> Any:
    """A JSON column as the text it is stored as: compared as it is, read only when needed."""
    return type_coerce(column, Text).label(column.key)


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


# The calendar's and the task list's items, in one question (every sync asks it).
CACHED_SCHEDULE = (
    select(
        MailFolder.distinguished,
        MailItem.remote_id,
        MailItem.change_key,
        _text(MailItem.details),
        _text(MailItem.categories),
        _text(MailItem.remote_mark).label("mark"),
    )
    .join(MailFolder, MailItem.folder_id == MailFolder.id)
    .where(
        MailFolder.account == bindparam("account"),
        MailFolder.distinguished.in_(list(_FOLDERS.values())),
    )
)
# An account's links, and those with entries still to write: every sync reads them.
_LINKS = select(
    ActivityLink.id,
    ActivityLink.activity_id,
    ActivityLink.kind,
    ActivityLink.remote_id,
    ActivityLink.change_key,
    ActivityLink.client_id,
    _text(ActivityLink.snapshot),
    ActivityLink.unlinked_at.is_not(None),
).where(ActivityLink.account == bindparam("account"))
_BUSY_LINKS = select(OutboxEntry.payload).where(
    OutboxEntry.account == bindparam("account"), pending(*_LINK_KINDS)
)
_STORED = {
    kind: tuple(getattr(model, name) for name in fields.CRM_COLUMNS[kind])
    for kind, model in _MODELS.items()
}


def crm_state(crm: Session, owner_id: int) -> dict[int, tuple[Any, ...]]:
    """The columns fields.crm_fields reads of the owner's appointments and tasks, as stored,
    with their parties, by activity id: what tells whether anyone changed an activity since the
    last merge, read as rows (made into objects and compared field by field, every activity
    cost ~0.2 ms at every sync). Every one of them is linked (or is being linked) anyway."""
    stored: dict[int, tuple[Any, ...]] = {}
    for kind in _MODELS:
        stored.update(
            (row[0], tuple(row[1:])) for row in crm.execute(activity_rows(kind, owner_id))
        )
    parties: dict[int, list[tuple[Any, ...]]] = {}
    for activity_id, *party in crm.execute(party_rows(owner_id)):
        parties.setdefault(activity_id, []).append(tuple(party))
    return {
        activity_id: (*row, tuple(parties.get(activity_id, ())))
        for activity_id, row in stored.items()
    }


# The owner's appointments and tasks are read at every sync; each read below is found by the
# (owner, type) index, so it never walks the owner's email activities (a mailbox's thousands).


# The owner's appointments and tasks: id and activity type (every sync asks).
LINKABLE_ACTIVITIES = select(Activity.id, Activity.type).where(
    Activity.owner_id == bindparam("owner_id"), Activity.type.in_(list(_KINDS))
)


def activity_rows(kind: ItemKind, owner_id: int) -> Select[Any]:
    """The owner's appointments (or tasks): id, then the columns merging reads."""
    model = _MODELS[kind]
    return select(model.id, *_STORED[kind]).where(*owned_by(model, owner_id))


def party_rows(owner_id: int) -> Select[Any]:
    """The parties of the owner's appointments and tasks: activity id, then what merging reads."""
    return (
        select(
            ActivityParty.activity_id,
            ActivityParty.role,
            ActivityParty.email,
            ActivityParty.display_name,
            ActivityParty.response,
        )
        .join(Activity, Activity.id == ActivityParty.activity_id)
        .where(Activity.owner_id == owner_id, Activity.type.in_(list(_KINDS)))
        .order_by(ActivityParty.id)
    )


def _read(
    link: _LinkCopy, item: _Cached, options: SyncOptions, activity: tuple[Any, ...] | None
) -> tuple[Any, ...]:
    """What merging the pair reads, as stored (see Agreed)."""
    return (
        link.change_key,
        link.stored_snapshot,
        item.change_key,
        item.details,
        item.stored_categories,
        item.stored_mark,
        options.tracking_category,
        activity,
    )


def _activities(crm: Session, links: Sequence[_LinkCopy]) -> dict[int, Appointment | Task]:
    """The CRM activities of these links, by id, with the parties an appointment's attendees
    are read from (loaded with them, not one query per appointment)."""
    found: dict[int, Appointment | Task] = {}
    for kind, model in _MODELS.items():
        ids = [link.activity_id for link in links if link.kind == kind.value]
        if ids:
            query = select(model).where(model.id.in_(ids)).options(selectinload(model.parties))
            found.update((activity.id, activity) for activity in crm.scalars(query))
    return found


def _is_tracked(item: _Cached, options: SyncOptions) -> bool:
    """Tracked: the tracking category is on it (Liaison writes the two together, so an item
    marked tracked without it had the category taken off), or Liaison's mark asks to track it."""
    names = {options.tracking_category}
    if item.mark.get("category"):
        names.add(item.mark["category"])
    asked = item.mark.get("link_state") == LinkState.PENDING
    return asked or any(category in names for category in item.categories)


def _marked_activity(item: _Cached) -> int | None:
    """The CRM activity Liaison's mark links the item to. A mark that says the item was
    untracked names an activity that may be gone, its id given to another since."""
    wanted = item.mark.get("activity_id")
    tracked = item.mark.get("link_state") in (LinkState.TRACKED, LinkState.PENDING)
    return wanted if tracked and isinstance(wanted, int) else None


def _unlinked_pair(item: _Cached, links: dict[int, _LinkCopy]) -> _LinkCopy | None:
    """The unlinked link of this Exchange item: the same item, or the activity its mark names."""
    wanted = _marked_activity(item)
    for link in links.values():
        same = link.remote_id == item.remote_id or link.activity_id == wanted
        if link.unlinked and link.kind == item.kind.value and same:
            return link
    return None


def _subject(link: _LinkCopy) -> str:
    return str((link.snapshot or {}).get("subject") or "")


def _mark_unlinked(session: Session, row: ActivityLink, reason: Unlinked) -> bool:
    link = _copy(row)
    # An activity deleted by someone else: nobody chose to delete its Exchange item.
    kept = ExchangeCopy.KEPT if reason is Unlinked.DELETED_IN_CRM and link.remote_id else None
    message = _unlinked_message(link, reason)
    return mark_unlinked(session, row, reason, _subject(link), message, kept)


def _unlinked_message(link: _LinkCopy, reason: Unlinked) -> str:
    what = f"{link.kind} {_subject(link)!r}"
    if reason is Unlinked.DELETED_IN_EXCHANGE:
        return (
            f"The Exchange {what} was deleted; its CRM activity stays, no longer linked, and is "
            "not put back on Exchange."
        )
    if reason is Unlinked.CATEGORY_REMOVED:
        return (
            f"The tracking category was taken off the Exchange {what}; its CRM activity stays, "
            "no longer linked."
        )
    return f"The CRM {what} was deleted; its Exchange item stays, no longer tracked."


def _with_context(
    kind: ItemKind, changed: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """The fields to write, with what says how to read the times when times are written."""
    if kind is not ItemKind.APPOINTMENT or not set(changed) & set(_WHEN):
        return dict(changed)
    return {
        **{name: values.get(name) for name in ("start", "end", *fields.WHEN_CONTEXT)},
        **changed,
    }


def _lost(lost: tuple[LostValue, ...]) -> list[dict[str, Any]]:
    return [
        {
            "field": value.field,
            "kept": value.kept.value,
            "kept_value": value.kept_value,
            "lost_value": value.lost_value,
        }
        for value in lost
    ]


def _log_conflict(
    session: Session,
    kind: ItemKind,
    activity_id: int,
    merged: dict[str, Any],
    lost: tuple[LostValue, ...],
) -> None:
    log(
        session,
        "warning",
        "conflict",
        f"{kind.value.capitalize()} {merged.get('subject')!r} changed in the CRM and in "
        "Exchange; " + "; ".join(value.describe() for value in lost),
        {
            "activity_id": activity_id,
            "kind": kind.value,
            "subject": merged.get("subject"),
            "lost": _lost(lost),
        },
    )


def _regarding_id(mark: dict[str, Any]) -> int | None:
    text = mark.get("regarding") or ""
    _, _, record_id = text.partition(":")
    return int(record_id) if record_id.isdigit() else None


def _regarding_text(activity: Activity) -> str | None:
    regarding = activity.regarding
    return f"{regarding.type}:{regarding.id}" if regarding is not None else None


def _mark(options: SyncOptions, link: _LinkCopy, regarding: str | None) -> RemoteMark:
    return RemoteMark(
        LinkState.TRACKED,
        link.activity_id,
        regarding,
        options.tracking_category,
        link.client_id,
    )
