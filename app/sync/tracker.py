"""The tracking pipeline on mail as sync sees it, and the CRM writes that follow from it.

One `MailTracker` per sync run: the tracking index is loaded from the CRM once, on first use,
and kept up to date as activities and records are created, never reloaded per message.

For each message (in this order):
1. Folder-level tracking: mail in a folder mapped to a record is tracked regarding that record;
   the folder's rule wins over a regarding set by hand.
2. Liaison's mark asked for tracking (link state "pending", e.g. an email sent from the app):
   tracked by hand regarding the record the mark names.
3. Another client (a phone, web mail) added the tracking category: tracked by hand. It removed
   the category from an item Liaison had marked: untracked (the activity stays).
4. New mail in the Inbox or Sent Items not evaluated before: the automatic pipeline, once.

Each tracked message gets its own CRM transaction, written before the local cache: after a crash
between the two, the next run finds the activity by Message-ID and links to it, so nothing is
created twice. A message whose CRM write fails is retried at later syncs and marked "could not
track" after MAX_TRACK_FAILURES.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.activities import (
    HOW_AUTOMATIC,
    HOW_MANUAL,
    activity_by_message_id,
    apply_decision,
    untrack,
)
from app.crm.errors import CrmError
from app.crm.index_loader import load_tracking_index, tracked_activity
from app.crm.models import Activity, Record, SystemUser
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.mailbox.cache import TrackingState
from app.mailbox.personal_options import load_personal_options
from app.mailbox.remote import Body, ItemKind, LinkState, RemoteItem
from app.mailbox.sync_options import SyncOptions
from app.sync.outbox import MarkState
from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Decision,
    Folder,
    MessageFacts,
    OrgSettings,
    ParsedMessage,
    PersonalOptions,
    RecordRef,
    Sensitivity,
)
from app.tracking.pipeline import decide, manual_decision
from app.workspace import Workspace

log = logging.getLogger(__name__)

MAX_TRACK_FAILURES = 5


@dataclass(frozen=True, slots=True)
class FolderRule:
    """Where a message is: its role for the pipeline, and the record its folder tracks to."""

    role: Folder
    name: str
    mapped_record: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """A message as this page of sync sees it, with what the cache knew of it before."""

    remote: RemoteItem
    body: Body | None
    prior: TrackingState | None
    evaluated: bool
    track_failures: int
    mark_pending: bool  # a mark for it waits in the outbox: the server copy is not ours yet


@dataclass(slots=True)
class Outcome:
    """What changes in the cache for one message, and which mark to queue."""

    state: TrackingState | None = None  # None: leave the tracking fields as they are
    evaluated: bool = False
    mark: MarkState | None = None
    track_failures: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TrackingCounts:
    evaluated: int = 0
    tracked: int = 0
    untracked: int = 0
    failed: int = 0


def facts_of(remote: RemoteItem, role: Folder) -> MessageFacts:
    try:
        sensitivity = Sensitivity(remote.sensitivity)
    except ValueError:
        sensitivity = Sensitivity.NORMAL
    return MessageFacts(
        message_id=remote.message_id,
        subject=remote.subject,
        sender=remote.sender,
        to=remote.to,
        cc=remote.cc,
        in_reply_to=remote.in_reply_to,
        references=remote.references,
        conversation_id=remote.conversation_id,
        conversation_index=remote.conversation_index,
        sent_at=remote.sent_at,
        received_at=remote.received_at,
        is_draft=remote.is_draft,
        sensitivity=sensitivity,
        folder=role,
    )


class MailTracker:
    def __init__(self, workspace: Workspace, sync_options: SyncOptions) -> None:
        self.workspace = workspace
        self.sync_options = sync_options
        self.counts = TrackingCounts()
        self._index: TrackingIndex | None = None
        self._batch: Session | None = None
        # Held for the batch: the session's identity map keeps no strong reference, so without
        # it every tracked message would load the owner again.
        self._batch_owner: SystemUser | None = None
        self._options: PersonalOptions | None = None
        self._org: OrgSettings | None = None
        self._user: RecordRef | None = None

    # Loaded once per run, on first use: a run with no new mail never reads the CRM.

    def _load(self) -> tuple[TrackingIndex, PersonalOptions, OrgSettings, RecordRef]:
        if self._index is None or self._options is None or self._org is None or self._user is None:
            with self.workspace.crm.sessions() as session:
                self._index = load_tracking_index(session)
                self._org = load_org_settings(session)
                self._user = record_ref(self.workspace.owner(session))
            with self.workspace.local.sessions() as session:
                self._options = load_personal_options(session)
        return self._index, self._options, self._org, self._user

    def forget_index(self) -> None:
        """After a CRM write failed half-way the index may hold what the CRM does not."""
        self._index = None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Decide a page of messages in one CRM transaction, committed at the end.

        Any failure inside aborts the whole batch (nothing of it is in the CRM, the index is
        reloaded): decide the page again outside a batch, one transaction per message, so one
        bad message cannot hold the others back.
        """
        try:
            with self.workspace.crm.sessions.begin() as session:
                self._batch = session
                yield
        except BaseException:
            self.forget_index()
            raise
        finally:
            self._batch = None
            self._batch_owner = None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Session]:
        if self._batch is not None:
            yield self._batch
            return
        with self.workspace.crm.sessions.begin() as session:
            yield session

    def _owner(self, session: Session) -> SystemUser:
        if session is not self._batch:
            return self.workspace.owner(session)
        if self._batch_owner is None:
            self._batch_owner = self.workspace.owner(session)
        return self._batch_owner

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Session]:
        if self._batch is not None:
            yield self._batch
            return
        with self.workspace.crm.sessions() as session:
            yield session

    @property
    def track_sent(self) -> bool:
        return self._load()[1].track_sent

    # Deciding

    def decide(self, rule: FolderRule, seen: Seen) -> Outcome:
        remote = seen.remote
        if remote.kind is not ItemKind.MESSAGE:
            return Outcome()
        prior = seen.prior or TrackingState("none")
        has_category = self._has_category(remote)
        marked_tracked = remote.mark.link_state is LinkState.TRACKED
        try:
            if rule.mapped_record is not None:
                wanted = rule.mapped_record
                if (
                    prior.tracking_state == "tracked"
                    and (
                        prior.regarding_type,
                        prior.regarding_id,
                    )
                    == wanted
                ):
                    return Outcome(evaluated=True)
                return self._track_by_hand(
                    rule,
                    seen,
                    wanted,
                    evidence=f"Filed in folder {rule.name!r}, which tracks its mail "
                    "regarding {regarding}",
                )
            if remote.mark.link_state is LinkState.PENDING and prior.tracking_state != "tracked":
                return self._track_by_hand(
                    rule,
                    seen,
                    _parse_regarding(remote.mark.regarding),
                    evidence="Tracked as asked when it was sent, regarding {regarding}",
                )
            if seen.mark_pending and seen.prior is None:
                # A copy the cache has not seen of a message whose mark is not written yet:
                # moved on the server before Liaison wrote it. The CRM knows how it is tracked.
                restored = self._tracked_in_crm(seen)
                if restored is not None:
                    return restored
            if not seen.mark_pending:
                if has_category and not marked_tracked and prior.tracking_state != "tracked":
                    return self._track_by_hand(
                        rule,
                        seen,
                        None,
                        evidence="Tracked from another client, which added the category "
                        f"{self.sync_options.tracking_category!r}; {{regarding}}",
                    )
                if marked_tracked and not has_category:
                    return self._untrack_by_hand(seen)
                if marked_tracked and prior.tracking_state != "tracked":
                    return self._restore_from_mark(rule, seen)
            if not seen.evaluated and rule.role in (Folder.INBOX, Folder.SENT):
                return self._evaluate(rule, seen)
        except (CrmError, SQLAlchemyError) as exc:
            if self._batch is not None:
                raise
            return self._failed(seen, str(exc))
        return Outcome()

    def _has_category(self, remote: RemoteItem) -> bool:
        names = {self.sync_options.tracking_category}
        if remote.mark.category:
            names.add(remote.mark.category)
        return any(category in names for category in remote.categories)

    def _evaluate(self, rule: FolderRule, seen: Seen) -> Outcome:
        index, options, org, user = self._load()
        facts = facts_of(seen.remote, rule.role)
        decision = decide(facts, index, options, org, user)
        self.counts.evaluated += 1
        if not decision.track:
            return Outcome(
                state=TrackingState("none", rule=decision.rule.value),
                evaluated=True,
            )
        return self._store(rule, seen, decision, HOW_AUTOMATIC)

    def _track_by_hand(
        self, rule: FolderRule, seen: Seen, regarding: tuple[str, int] | None, evidence: str
    ) -> Outcome:
        index, options, org, user = self._load()
        facts = facts_of(seen.remote, rule.role)
        target = self._record(regarding) if regarding else None
        decision = manual_decision(facts, index, options, org, user, regarding=target)
        shown = decision.regarding
        decision = dataclasses.replace(
            decision,
            evidence=evidence.format(
                regarding=f"regarding {shown.type.value} {shown.name}"
                if shown
                else "no regarding record"
            ),
        )
        if facts.message_id:
            index.unmark_manually_untracked(facts.message_id)
        return self._store(rule, seen, decision, HOW_MANUAL)

    def _tracked_in_crm(self, seen: Seen) -> Outcome | None:
        """The message's tracked activity in the CRM, as the cache keeps it; None without."""
        with self._reading() as session:
            activity = activity_by_message_id(session, seen.remote.message_id)
            if activity is not None and activity.tracked:
                return Outcome(state=_tracked_state(activity, activity.rule), evaluated=True)
        return None

    def _restore_from_mark(self, rule: FolderRule, seen: Seen) -> Outcome:
        """Our own mark is on the item but the cache does not know it (a new install, a move):
        link to the activity the CRM has, or track again if the CRM lost it."""
        restored = self._tracked_in_crm(seen)
        if restored is not None:
            return restored
        return self._track_by_hand(
            rule,
            seen,
            _parse_regarding(seen.remote.mark.regarding),
            evidence="Tracked again from Liaison's mark on the item, {regarding}",
        )

    def _untrack_by_hand(self, seen: Seen) -> Outcome:
        index, *_ = self._load()
        message_id = seen.remote.message_id
        with self._writing() as session:
            activity = activity_by_message_id(session, message_id)
            if activity is not None and activity.tracked:
                untrack(session, message_id, delete=False)
                index.remove_activity(activity.id)
        if message_id:
            index.mark_manually_untracked(message_id)
        self.counts.untracked += 1
        return Outcome(
            state=TrackingState("none", rule="untracked-by-category"),
            evaluated=True,
            mark=MarkState.UNTRACKED,
        )

    def _store(self, rule: FolderRule, seen: Seen, decision: Decision, how: str) -> Outcome:
        index, *_ = self._load()
        remote = seen.remote
        parsed = ParsedMessage(
            facts_of(remote, rule.role),
            seen.body.text if seen.body else None,
            seen.body.html if seen.body else None,
        )
        outgoing = rule.role is Folder.SENT or (
            rule.role is Folder.OTHER
            and remote.sender is not None
            and self.workspace.is_own_address(remote.sender.email)
        )
        try:
            with self._writing() as session:
                user = self._owner(session)
                outcome = apply_decision(session, parsed, decision, user, how, outgoing)
                assert outcome is not None  # only decisions to track reach here
                activity = outcome.activity
                tracked = tracked_activity(activity)
                created = outcome.created_record
                created_entry = (record_ref(created), list(created.emails)) if created else None
                state = _tracked_state(activity, decision.rule.value)
        except Exception:
            self.forget_index()
            raise
        index.add_activity(tracked)
        if created_entry is not None:
            index.add_record(*created_entry)
        self.counts.tracked += 1
        return Outcome(state=state, evaluated=True, mark=MarkState.TRACKED, track_failures=0)

    def _failed(self, seen: Seen, reason: str) -> Outcome:
        failures = seen.track_failures + 1
        self.counts.failed += 1
        subject = seen.remote.subject or "(no subject)"
        if failures >= MAX_TRACK_FAILURES:
            return Outcome(
                state=TrackingState("failed", rule="could-not-track"),
                evaluated=True,
                mark=MarkState.FAILED,
                track_failures=failures,
                problems=[f"Could not track {subject!r} after {failures} attempts: {reason}"],
            )
        return Outcome(
            state=TrackingState("pending", rule="retrying"),
            track_failures=failures,
            problems=[f"Could not track {subject!r} yet (attempt {failures}): {reason}"],
        )

    def _record(self, regarding: tuple[str, int]) -> RecordRef | None:
        with self._reading() as session:
            try:
                record: Record = get_record(session, regarding[0], str(regarding[1]))
            except CrmError:
                return None
            return record_ref(record)


def _parse_regarding(text: str | None) -> tuple[str, int] | None:
    if not text or ":" not in text:
        return None
    record_type, _, record_id = text.partition(":")
    return (record_type, int(record_id)) if record_id.isdigit() else None


def _tracked_state(activity: Activity, rule: str | None) -> TrackingState:
    regarding = activity.regarding
    return TrackingState(
        "tracked",
        activity.id,
        regarding.type if regarding else None,
        regarding.id if regarding else None,
        regarding.display_name if regarding else None,
        rule,
    )
