"""Carrying out the tracking plan on mail as sync sees it, and the CRM writes that follow.

`app.tracking.plan` decides what to do about each message (who may change its tracking, in
which order: the user, a mapped folder, Liaison's own mark, another client's category, the
automatic pipeline); `MailTracker` gathers the facts and does what the plan says. One
`MailTracker` per sync run (or per request of the user): the tracking index is loaded from the
CRM once, on first use, and kept up to date as activities and records are created.

Each tracked message gets its own CRM transaction (or a page of them shares one), written before
the local cache: after a crash between the two, the next run finds the activity by Message-ID
and links to it, so nothing is created twice. A message whose CRM write fails is retried at
later syncs and marked "could not track" after MAX_TRACK_FAILURES.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.activities import (
    HOW_AUTOMATIC,
    HOW_MANUAL,
    TrackOutcome,
    activity_by_message_id,
    apply_decision,
    email_values,
    party_values,
    set_regarding,
    untrack,
)
from app.crm.errors import CrmError
from app.crm.index_loader import (
    activities_by_id,
    load_tracking_index,
    tracked_activity,
    tracked_from_values,
)
from app.crm.models import Activity, Record, SystemUser
from app.crm.org import load_org_settings
from app.crm.page_writes import NewActivity
from app.crm.records import get_record, record_ref
from app.mailbox.cache import TrackingState, remember
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.personal_options import load_personal_options
from app.mailbox.remote import Body, ItemKind, LinkState, RemoteItem
from app.mailbox.sync_options import SyncOptions
from app.sync.outbox import MarkState, enqueue_correlate, enqueue_mark, queued_message_id
from app.sync.tracked_page import TrackedPage
from app.team.capture import is_replica
from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Decision,
    Folder,
    MessageFacts,
    OrgSettings,
    ParsedMessage,
    PersonalOptions,
    RecordRef,
    Rule,
    Sensitivity,
)
from app.tracking.pipeline import decide, manual_decision
from app.tracking.plan import (
    Action,
    Asked,
    ItemFacts,
    Known,
    MarkLink,
    Plan,
    RegardingKey,
    Step,
    TrackingStatus,
    plan,
)
from app.tracking.reasons import Reason, Why
from app.workspace import Workspace

log = logging.getLogger(__name__)

MAX_TRACK_FAILURES = 5


@dataclass(frozen=True, slots=True)
class FolderRule:
    """Where a message is: its role for the pipeline, and the record its folder tracks to."""

    role: Folder
    name: str
    mapped_record: RegardingKey | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """A message as this page of sync sees it, with what the cache knew of it before."""

    remote: RemoteItem
    body: Body | None
    prior: TrackingState | None
    evaluated: bool
    track_failures: int
    mark_pending: bool  # a mark for it waits in the outbox: the server copy is not ours yet
    asked: Asked | None = None  # the user's request (window or CLI)
    correlatable: bool = False  # a later message made it correlatable: decide it again


@dataclass(slots=True)
class Outcome:
    """What changes in the cache for one message, and which mark to queue."""

    state: TrackingState | None = None  # None: leave the tracking fields as they are
    evaluated: bool = False
    mark: MarkState | None = None
    track_failures: int | None = None
    problems: list[str] = field(default_factory=list)
    decision: Decision | None = None  # the decision stored in the CRM, when it was tracked
    stored: TrackOutcome | None = None  # the activity it is tracked as
    # The activity of a message the cache now knows as tracked (or one that just learned its
    # Message-ID or conversation): the messages it makes correlatable are decided again
    # (app.sync.correlate).
    correlate_with: int | None = None


def store_outcome(session: Session, row: MailItem, outcome: Outcome) -> None:
    """Write one message's outcome in the cache and queue its mark (the local half of a
    tracking change; pages of sync write theirs in bulk)."""
    if outcome.state is not None:
        outcome.state.apply(row)
    row.evaluated = row.evaluated or outcome.evaluated
    if outcome.track_failures is not None:
        row.track_failures = outcome.track_failures
    session.flush()
    if outcome.mark is not None:
        enqueue_mark(session, row, outcome.mark)
    if outcome.correlate_with is not None:
        enqueue_correlate(session, row.account, [outcome.correlate_with])
    if row.evaluated:
        remember(session, row.account, row.internet_message_id, row.activity_id, {})


def folder_rule(folder: MailFolder | None) -> FolderRule:
    """The rule of the folder a message is in: its role for the pipeline, and the record it
    tracks its mail regarding, if the user mapped it."""
    if folder is None:
        return FolderRule(Folder.OTHER, "")
    return rule_of(
        folder.distinguished,
        folder.display_name,
        folder.mapped_record_type,
        folder.mapped_record_id,
    )


def rule_of(
    distinguished: str | None, name: str, record_type: str | None, record_id: int | None
) -> FolderRule:
    """folder_rule, from the folder's columns."""
    mapped = (record_type, record_id) if record_type and record_id is not None else None
    return FolderRule(_ROLES.get(distinguished or "", Folder.OTHER), name, mapped)


_ROLES = {"inbox": Folder.INBOX, "sentitems": Folder.SENT}


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
        self._page: TrackedPage | None = None
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
    def batch(self, message_ids: Iterable[str | None] = ()) -> Iterator[None]:
        """Decide a page of messages (these Message-IDs) in one CRM transaction, committed at
        the end, their new activities inserted together (app.sync.tracked_page).

        Any failure inside aborts the whole batch (nothing of it is in the CRM, the index is
        reloaded): decide the page again outside a batch, one transaction per message, so one
        bad message cannot hold the others back.
        """
        try:
            with self.workspace.crm.sessions.begin() as session:
                self._batch = session
                # A team replica records its writes from the ORM's events: it keeps the ORM.
                if not is_replica(session.connection()):
                    self._page = TrackedPage.look_up(session, message_ids)
                yield
                if self._page is not None:
                    self._page.write(session, self._owner(session))
        except BaseException:
            self.forget_index()
            raise
        finally:
            self._batch = None
            self._batch_owner = None
            self._page = None

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

    @property
    def org(self) -> OrgSettings:
        return self._load()[2]

    def recently_tracked(self, activity_ids: list[int]) -> TrackingIndex:
        """These activities, those still tracked, as an index of their own; the run's index
        learns them too (one tracked by the window during the sync is news to it)."""
        index, *_ = self._load()
        recent = TrackingIndex()
        known = [index.activity(activity_id) for activity_id in activity_ids]
        for activity in known:
            if activity is not None:
                recent.add_indexed_activity(activity)
        missing = [i for i, found in zip(activity_ids, known, strict=True) if found is None]
        if missing:
            with self._reading() as session:
                for stored in activities_by_id(session, missing):
                    if stored.tracked:
                        tracked = tracked_activity(stored)
                        recent.add_activity(tracked)
                        index.add_activity(tracked)
        return recent

    # Deciding

    def decide(self, rule: FolderRule, seen: Seen) -> Outcome:
        """The plan for one message, carried out. A CRM failure during sync is counted against
        the message (retried at later syncs); one during the user's request is theirs to see."""
        try:
            return self._carry_out(plan(self.facts(rule, seen)), rule, seen)
        except (CrmError, SQLAlchemyError) as exc:
            if self._batch is not None or seen.asked is not None:
                raise
            return self._failed(seen, str(exc))

    def facts(self, rule: FolderRule, seen: Seen) -> ItemFacts:
        remote = seen.remote
        prior = seen.prior
        return ItemFacts(
            role=rule.role,
            folder=rule.name,
            prior=Known(
                _status(prior.tracking_state),
                _key(prior.regarding_type, prior.regarding_id),
                untracked_by_hand=prior.rule == Rule.UNTRACKED,
            )
            if prior is not None
            else None,
            evaluated=seen.evaluated,
            mark=_mark_link(remote.mark.link_state),
            mark_regarding=_parse_regarding(remote.mark.regarding),
            category=self.sync_options.tracking_category,
            has_category=self._has_category(remote),
            mark_waiting=seen.mark_pending,
            folder_regarding=rule.mapped_record,
            asked=seen.asked,
            correlatable=seen.correlatable,
            is_message=remote.kind is ItemKind.MESSAGE,
        )

    def _carry_out(self, chosen: Plan, rule: FolderRule, seen: Seen) -> Outcome:
        action = chosen.action
        if action is Action.KEEP:
            return Outcome(evaluated=True)
        if action is Action.TRACK_BY_HAND:
            assert chosen.reason is not None
            return self._track_by_hand(rule, seen, chosen.regarding, chosen.reason)
        if action is Action.SET_REGARDING:
            return self._set_regarding(rule, seen, chosen.regarding)
        if action in (Action.UNTRACK, Action.DELETE):
            return self._untrack(seen, chosen)
        if action is Action.RESTORE:
            assert chosen.fallback is not None
            asked = seen.remote.mark.link_state is LinkState.PENDING
            restored = self._sent_from_liaison(seen) if asked else self._tracked_in_crm(seen)
            if restored is None:
                return self._carry_out(chosen.fallback, rule, seen)
            if asked:
                restored.mark = MarkState.TRACKED  # the mark asked; Liaison answers
            return restored
        if action is Action.EVALUATE:
            return self._evaluate(rule, seen)
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
                state=TrackingState(TrackingStatus.NONE, rule=decision.rule), evaluated=True
            )
        return self._store(rule, seen, facts, decision, HOW_AUTOMATIC)

    def _track_by_hand(
        self, rule: FolderRule, seen: Seen, regarding: RegardingKey | None, cause: Reason
    ) -> Outcome:
        index, options, org, user = self._load()
        facts = facts_of(seen.remote, rule.role)
        target = self._record(regarding) if regarding else None
        decision = manual_decision(facts, index, options, org, user, regarding=target, cause=cause)
        if facts.message_id:
            index.unmark_manually_untracked(facts.message_id)
        return self._store(rule, seen, facts, decision, HOW_MANUAL)

    def _set_regarding(
        self, rule: FolderRule, seen: Seen, regarding: RegardingKey | None
    ) -> Outcome:
        """The user's Set Regarding on a tracked message; one the CRM does not have tracked
        (the cache was behind it) is tracked by hand regarding the record."""
        with self._writing() as session:
            activity = activity_by_message_id(session, seen.remote.message_id)
            if activity is None or not activity.tracked:
                activity = None
            else:
                record = get_record(session, regarding[0], str(regarding[1])) if regarding else None
                set_regarding(session, activity, record)
                tracked = tracked_activity(activity)
                state = _tracked_state(activity, activity.rule)
        if activity is None:
            return self._track_by_hand(rule, seen, regarding, Reason(Why.BY_HAND))
        if self._index is not None:
            self._index.add_activity(tracked)
        return Outcome(state=state, evaluated=True, mark=MarkState.TRACKED, track_failures=0)

    def _tracked_in_crm(self, seen: Seen) -> Outcome | None:
        """The message's tracked activity in the CRM, as the cache keeps it; None without."""
        with self._reading() as session:
            activity = activity_by_message_id(session, seen.remote.message_id)
            if activity is not None and activity.tracked:
                state = _tracked_state(activity, activity.rule)
                return Outcome(state=state, evaluated=True, correlate_with=activity.id)
        return None

    def _sent_from_liaison(self, seen: Seen) -> Outcome | None:
        """Mail sent from Liaison, seen in Sent Items: the activity stored when it was queued
        (app.sync.sent), found by the Message-ID Liaison gave the message, or, should the
        server have given it another, by the send's client id its mark carries. The activity
        takes what only the server's copy knows: that Message-ID, the conversation."""
        remote = seen.remote
        with self.workspace.local.sessions() as local:
            queued = queued_message_id(local, remote.mark.client_id) or remote.message_id
        with self._writing() as session:
            activity = activity_by_message_id(session, queued)
            if activity is None or not activity.tracked:
                return None
            activity.message_id = remote.message_id or activity.message_id
            activity.conversation_id = activity.conversation_id or remote.conversation_id
            activity.conversation_index = activity.conversation_index or remote.conversation_index
            session.flush()
            tracked = tracked_activity(activity)
            state = _tracked_state(activity, activity.rule)
        if self._index is not None:
            self._index.add_activity(tracked)
        return Outcome(state=state, evaluated=True, correlate_with=tracked.id)

    def _untrack(self, seen: Seen, chosen: Plan) -> Outcome:
        """Untracked (the activity kept, unlinked) or deleted; automatic rules leave the message
        alone after. Done already (a request replayed after a crash): nothing to do again."""
        message_id = seen.remote.message_id
        delete = chosen.action is Action.DELETE
        with self._writing() as session:
            activity = activity_by_message_id(session, message_id)
            if activity is not None and (activity.tracked or delete):
                untrack(session, message_id, delete=delete)
                if self._index is not None:
                    self._index.remove_activity(activity.id)
        if message_id and self._index is not None:
            self._index.mark_manually_untracked(message_id)
        self.counts.untracked += 1
        rule = (
            Rule.UNTRACKED_BY_CATEGORY if chosen.step is Step.CATEGORY_REMOVED else Rule.UNTRACKED
        )
        return Outcome(
            state=TrackingState(TrackingStatus.NONE, rule=rule),
            evaluated=True,
            mark=MarkState.UNTRACKED,
        )

    def _store(
        self, rule: FolderRule, seen: Seen, facts: MessageFacts, decision: Decision, how: str
    ) -> Outcome:
        index, *_ = self._load()
        remote = seen.remote
        parsed = ParsedMessage(
            facts,
            seen.body.text if seen.body else None,
            seen.body.html if seen.body else None,
        )
        outgoing = rule.role is Folder.SENT or (
            rule.role is Folder.OTHER
            and remote.sender is not None
            and self.workspace.is_own_address(remote.sender.email)
        )
        page = self._page
        if page is not None and page.takes(remote.message_id, decision, how):
            return self._store_in_page(page, parsed, decision, how, outgoing, remote.message_id)
        try:
            with self._writing() as session:
                user = self._owner(session)
                if self._page is not None:
                    self._page.write(session, user)
                stored = apply_decision(session, parsed, decision, user, how, outgoing)
                assert stored is not None  # only decisions to track reach here
                activity = stored.activity
                tracked = tracked_activity(activity)
                created = stored.created_record
                created_entry = (record_ref(created), list(created.emails)) if created else None
                state = _tracked_state(activity, decision.rule.value)
        except Exception:
            self.forget_index()
            raise
        index.add_activity(tracked)
        if created_entry is not None:
            index.add_record(*created_entry)
        self.counts.tracked += 1
        return Outcome(
            state=state,
            evaluated=True,
            mark=MarkState.TRACKED,
            track_failures=0,
            decision=decision,
            stored=stored,
            # Linked to an existing activity too: a request replayed after a crash, or a copy,
            # may be the first the cache hears of it.
            correlate_with=tracked.id,
        )

    def _store_in_page(
        self,
        page: TrackedPage,
        parsed: ParsedMessage,
        decision: Decision,
        how: str,
        outgoing: bool,
        message_id: str | None,
    ) -> Outcome:
        """A new activity given its id now and written with the rest of the page."""
        assert self._batch is not None
        index, *_ = self._load()
        again = page.stored.get(message_id) if message_id else None
        if again is not None:  # a second copy of a message this page tracked: linked to it
            state = dataclasses.replace(again, rule=decision.rule.value)
        else:
            user = self._owner(self._batch)
            activity_id = page.new_id(self._batch)
            values = email_values(parsed, decision, user, how, outgoing)
            parties = party_values(decision.parties, decision, None)
            page.waiting.append(NewActivity.of(activity_id, values, parties))
            regarding = decision.regarding
            state = TrackingState(
                TrackingStatus.TRACKED,
                activity_id,
                regarding.type.value if regarding else None,
                regarding.id if regarding else None,
                regarding.name if regarding else None,
                decision.rule.value,
            )
            index.add_activity(tracked_from_values(activity_id, values, regarding, parties))
            if message_id:
                page.stored[message_id] = state
        self.counts.tracked += 1
        return Outcome(
            state=state,
            evaluated=True,
            mark=MarkState.TRACKED,
            track_failures=0,
            decision=decision,
            correlate_with=state.activity_id,
        )

    def _failed(self, seen: Seen, reason: str) -> Outcome:
        failures = seen.track_failures + 1
        self.counts.failed += 1
        subject = seen.remote.subject or "(no subject)"
        if failures >= MAX_TRACK_FAILURES:
            return Outcome(
                state=TrackingState(TrackingStatus.FAILED, rule=Rule.COULD_NOT_TRACK),
                evaluated=True,
                mark=MarkState.FAILED,
                track_failures=failures,
                problems=[f"Could not track {subject!r} after {failures} attempts: {reason}"],
            )
        return Outcome(
            state=TrackingState(TrackingStatus.PENDING, rule=Rule.RETRYING),
            track_failures=failures,
            problems=[f"Could not track {subject!r} yet (attempt {failures}): {reason}"],
        )

    def _record(self, regarding: RegardingKey) -> RecordRef | None:
        with self._reading() as session:
            try:
                record: Record = get_record(session, regarding[0], str(regarding[1]))
            except CrmError:
                return None
            return record_ref(record)


def _parse_regarding(text: str | None) -> RegardingKey | None:
    if not text or ":" not in text:
        return None
    record_type, _, record_id = text.partition(":")
    return (record_type, int(record_id)) if record_id.isdigit() else None


def _status(text: str) -> TrackingStatus:
    try:
        return TrackingStatus(text)
    except ValueError:
        return TrackingStatus.NONE


def _key(record_type: str | None, record_id: int | None) -> RegardingKey | None:
    return (record_type, record_id) if record_type and record_id is not None else None


def _mark_link(link_state: LinkState | None) -> MarkLink:
    return _MARK_LINKS[link_state] if link_state is not None else MarkLink.NONE


_MARK_LINKS = {
    LinkState.PENDING: MarkLink.PENDING,
    LinkState.TRACKED: MarkLink.TRACKED,
    LinkState.UNTRACKED_BUT_WAS: MarkLink.UNTRACKED,
}


def _tracked_state(activity: Activity, rule: str | None) -> TrackingState:
    regarding = activity.regarding
    return TrackingState(
        TrackingStatus.TRACKED,
        activity.id,
        regarding.type if regarding else None,
        regarding.id if regarding else None,
        regarding.display_name if regarding else None,
        rule,
    )
