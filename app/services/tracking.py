"""Explain, track and untrack a message against a profile: the engine's decision plus the store.

The CLI and the window use the same calls (`TrackingService` on a saved message,
`MailboxTracking` on a cached one, `TrackingActions` as the window asks), so a message is decided
the same way wherever it comes from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.activities import (
    HOW_AUTOMATIC,
    HOW_MANUAL,
    TrackOutcome,
    activity_by_message_id,
    apply_decision,
    set_regarding,
    untrack,
)
from app.crm.decisions import decision_to_json
from app.crm.errors import CrmError
from app.crm.index_loader import load_tracking_index
from app.crm.models import SystemUser
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.crm.search import RecordKey
from app.crm.tokens import issue_token
from app.mailbox.cache import TrackingState, remember, remote_from_row
from app.mailbox.mime import parse_message
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.personal_options import load_personal_options
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.mail import TrackingState as ShownState
from app.sync.outbox import MarkState, OutboxKind, enqueue, enqueue_mark
from app.sync.tracker import facts_of
from app.tracking.model import (
    Address,
    Decision,
    Folder,
    ParsedMessage,
    PersonalOptions,
    RecordRef,
)
from app.tracking.pipeline import decide, manual_decision
from app.tracking.tokens import append_token, find_token
from app.workspace import Workspace


@dataclass(frozen=True, slots=True)
class TrackResult:
    decision: Decision
    outcome: TrackOutcome | None

    def as_json(self) -> dict[str, Any]:
        result = decision_to_json(self.decision)
        if self.outcome is not None:
            result["activity_id"] = self.outcome.activity.id
            result["linked_existing"] = self.outcome.linked_existing
            created = self.outcome.created_record
            result["created"] = (
                {"type": created.type, "id": created.id, "name": created.display_name}
                if created
                else None
            )
        return result


class TrackingService:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def read(self, raw: bytes) -> ParsedMessage:
        """Parse a message; the owner's own mail counts as sent, everyone else's as received."""
        parsed = parse_message(raw)
        sender = parsed.facts.sender
        if sender is not None and self.workspace.is_own_address(sender.email):
            return dataclasses.replace(
                parsed, facts=dataclasses.replace(parsed.facts, folder=Folder.SENT)
            )
        return parsed

    def explain(self, raw: bytes) -> Decision:
        parsed = self.read(raw)
        with self.workspace.crm.sessions() as session:
            return self._decide(session, parsed, self.workspace.owner(session))

    def track_automatically(self, raw: bytes) -> TrackResult:
        parsed = self.read(raw)
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            decision = self._decide(session, parsed, user)
            outcome = apply_decision(
                session, parsed, decision, user, HOW_AUTOMATIC, self._outgoing(parsed)
            )
            return TrackResult(decision, outcome)

    def track_manually(self, raw: bytes, regarding: tuple[str, str] | None = None) -> TrackResult:
        parsed = self.read(raw)
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            target: RecordRef | None = None
            if regarding is not None:
                target = record_ref(get_record(session, *regarding))
            index = load_tracking_index(session)
            decision = with_notes(
                manual_decision(
                    parsed.facts,
                    index,
                    self._options(),
                    load_org_settings(session),
                    record_ref(user),
                    regarding=target,
                ),
                parsed,
            )
            outcome = apply_decision(
                session, parsed, decision, user, HOW_MANUAL, self._outgoing(parsed)
            )
            return TrackResult(decision, outcome)

    def untrack(self, raw: bytes, delete: bool = False) -> int:
        parsed = self.read(raw)
        with self.workspace.crm.sessions.begin() as session:
            self.workspace.owner(session)
            return untrack(session, parsed.facts.message_id, delete).id

    def _decide(self, session: Session, parsed: ParsedMessage, user: SystemUser) -> Decision:
        decision = decide(
            parsed.facts,
            load_tracking_index(session),
            self._options(),
            load_org_settings(session),
            record_ref(user),
        )
        return with_notes(decision, parsed)

    def _options(self) -> PersonalOptions:
        with self.workspace.local.sessions() as session:
            return load_personal_options(session)

    def _outgoing(self, parsed: ParsedMessage) -> bool:
        return parsed.facts.folder is Folder.SENT


def with_notes(decision: Decision, parsed: ParsedMessage) -> Decision:
    """The decision with what parsing left out of the message (a cut address list) added to
    its evidence: a rule that saw only part of the message says so."""
    if not parsed.notes:
        return decision
    return dataclasses.replace(decision, evidence=" ".join((decision.evidence, *parsed.notes)))


@dataclass(frozen=True, slots=True)
class ItemTracking:
    """A cached item's tracking state after a manual action, as the CRM pane shows it."""

    item_id: int
    tracking_state: str
    activity_id: int | None
    regarding: RecordRef | None
    evidence: str


class MailboxTracking:
    """Track, Set Regarding and Untrack on items of the local mailbox cache, and email sent from
    the app. Each action writes the CRM first, then the cache and an outbox entry in one local
    transaction; sync writes the mark on the Exchange item. Works offline: the outbox waits.
    The desktop window calls these from a worker thread (they touch both databases).
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def track(self, item_id: int, regarding: tuple[str, str] | None = None) -> ItemTracking:
        """Track by hand (wins over every automatic rule); regarding TYPE and KEY if given."""
        row, rule = self._item(item_id)
        remote = remote_from_row(row)
        facts = facts_of(remote, rule)
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            target = record_ref(get_record(session, *regarding)) if regarding else None
            index = load_tracking_index(session)
            decision = manual_decision(
                facts,
                index,
                self._options(),
                load_org_settings(session),
                record_ref(user),
                regarding=target,
            )
            parsed = ParsedMessage(facts, row.body_text, row.body_html)
            outgoing = facts.folder is Folder.SENT or (
                remote.sender is not None and self.workspace.is_own_address(remote.sender.email)
            )
            outcome = apply_decision(session, parsed, decision, user, HOW_MANUAL, outgoing)
            assert outcome is not None
            activity = outcome.activity
            shown = record_ref(activity.regarding) if activity.regarding else None
            state = TrackingState(
                "tracked",
                activity.id,
                shown.type.value if shown else None,
                shown.id if shown else None,
                shown.name if shown else None,
                decision.rule.value,
            )
        self._store(item_id, state, MarkState.TRACKED)
        return ItemTracking(item_id, "tracked", state.activity_id, shown, decision.evidence)

    def set_regarding(self, item_id: int, regarding: tuple[str, str] | None) -> ItemTracking:
        """Set Regarding by hand on a tracked item (None: regarding nothing)."""
        row, _ = self._item(item_id)
        with self.workspace.crm.sessions.begin() as session:
            activity = activity_by_message_id(session, row.internet_message_id)
            if activity is None or not activity.tracked:
                raise CrmError("Track the message first, then set what it is regarding")
            record = get_record(session, *regarding) if regarding else None
            set_regarding(session, activity, record)
            shown = record_ref(record) if record else None
            state = TrackingState(
                "tracked",
                activity.id,
                shown.type.value if shown else None,
                shown.id if shown else None,
                shown.name if shown else None,
                "manual",
            )
        self._store(item_id, state, MarkState.TRACKED)
        evidence = f"Regarding set by hand to {shown.name}" if shown else "Regarding cleared"
        return ItemTracking(item_id, "tracked", state.activity_id, shown, evidence)

    def untrack(self, item_id: int) -> ItemTracking:
        """Untrack by hand: the activity stays in the CRM, unlinked; rules leave it alone."""
        row, _ = self._item(item_id)
        with self.workspace.crm.sessions.begin() as session:
            activity_id = untrack(session, row.internet_message_id, delete=False).id
        self._store(item_id, TrackingState("none", rule="untracked"), MarkState.UNTRACKED)
        return ItemTracking(item_id, "none", activity_id, None, "Untracked by hand")

    def map_folder(self, folder_id: int, record: tuple[str, str] | None) -> None:
        """Track all mail filed in this folder (under the Inbox) regarding a record, or stop.

        The folder is read again at the next sync, so mail already in it is tracked too.
        """
        with self.workspace.crm.sessions() as session:
            target = get_record(session, *record) if record else None
            mapped = (target.type, target.id) if target else (None, None)
        with self.workspace.local.sessions.begin() as session:
            folder = session.get(MailFolder, folder_id)
            if folder is None:
                raise CrmError(f"No folder {folder_id} in the mailbox cache")
            if target is not None:
                check_mappable(session, folder)
            folder.mapped_record_type, folder.mapped_record_id = mapped
            folder.sync_state = None

    def send(
        self,
        to: Sequence[Address],
        subject: str,
        body_text: str,
        regarding: tuple[str, str] | None = None,
        cc: Sequence[Address] = (),
        body_html: str | None = None,
    ) -> str:
        """Queue an email with this org's tracking token in the subject, sent by the next sync
        and tracked regarding the record; returns the subject as sent."""
        if not to:
            raise CrmError("An email needs at least one recipient")
        address = self.workspace.owner_address or ""
        with self.workspace.crm.sessions.begin() as session:
            user = self.workspace.owner(session)
            record = get_record(session, *regarding) if regarding else None
            token = issue_token(session, user, load_org_settings(session)).token
            full_subject = append_token(subject, token)
            regarding_text = f"{record.type}:{record.id}" if record else None
        with self.workspace.local.sessions.begin() as session:
            enqueue(
                session,
                address,
                OutboxKind.SEND,
                {
                    "subject": full_subject,
                    "to": [{"email": a.email, "name": a.name} for a in to],
                    "cc": [{"email": a.email, "name": a.name} for a in cc],
                    "body_text": body_text,
                    "body_html": body_html,
                    "regarding": regarding_text,
                },
            )
        return full_subject

    def tracked_subject(self, subject: str) -> str:
        """The subject a tracked email is sent with: with this org's tracking token, the one
        it carries already (a reply's or forward's, the original's) or a new one."""
        with self.workspace.crm.sessions.begin() as session:
            org = load_org_settings(session)
            if find_token(subject, org) is not None:
                return subject
            token = issue_token(session, self.workspace.owner(session), org).token
        return append_token(subject, token)

    def relabel_tracked(self) -> int:
        """After the tracking category was renamed: queue a mark for every tracked item, so
        the next sync puts the new name where the old one was. Returns how many."""
        address = self.workspace.owner_address or ""
        with self.workspace.local.sessions.begin() as session:
            tracked = list(
                session.scalars(
                    select(MailItem).where(
                        MailItem.account == address, MailItem.tracking_state == "tracked"
                    )
                )
            )
            for row in tracked:
                enqueue_mark(session, row, MarkState.TRACKED)
        return len(tracked)

    def _item(self, item_id: int) -> tuple[MailItem, Folder]:
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                raise CrmError(f"No item {item_id} in the mailbox cache")
            folder = session.get(MailFolder, row.folder_id)
            role = {"inbox": Folder.INBOX, "sentitems": Folder.SENT}.get(
                folder.distinguished if folder else "", Folder.OTHER
            )
            if not row.internet_message_id:
                raise CrmError("Only email messages can be tracked")
            session.expunge(row)
            return row, role

    def _store(self, item_id: int, state: TrackingState, mark: MarkState) -> None:
        with self.workspace.local.sessions.begin() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                return
            state.apply(row)
            row.evaluated = True
            session.flush()
            enqueue_mark(session, row, mark)
            remember(session, row.account, row.internet_message_id, state.activity_id, {})

    def _options(self) -> PersonalOptions:
        with self.workspace.local.sessions() as session:
            return load_personal_options(session)


MAX_MAPPED_FOLDERS = 25


def check_mappable(session: Session, folder: MailFolder) -> None:
    """Only folders under the Inbox, and at most MAX_MAPPED_FOLDERS of them, as the reference."""
    folders = {
        f.ews_id: f
        for f in session.scalars(select(MailFolder).where(MailFolder.account == folder.account))
    }
    inbox = next((f for f in folders.values() if f.distinguished == "inbox"), None)
    parent = folders.get(folder.parent_ews_id or "")
    while parent is not None and parent is not inbox:
        parent = folders.get(parent.parent_ews_id or "")
    if inbox is None or parent is not inbox:
        raise CrmError(
            f"Only folders under the Inbox can track mail; {folder.display_name!r} is not"
        )
    mapped = [f for f in folders.values() if f.mapped_record_type and f.id != folder.id]
    if len(mapped) >= MAX_MAPPED_FOLDERS:
        raise CrmError(f"At most {MAX_MAPPED_FOLDERS} folders can track mail regarding a record")


class TrackingActions(ProfileService):
    """Track, Set Regarding and Untrack as the window asks for them (MailboxTracking does the
    work). Slow on a big CRM (the tracking index is loaded): the window calls these off its
    thread."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._tracking = MailboxTracking(workspace)

    def track(self, item_id: int, regarding: RecordKey | None) -> None:
        self._tracking.track(item_id, key_text(regarding))

    def set_regarding(self, item_id: int, regarding: RecordKey) -> None:
        """Set Regarding wins over what correlation found; an untracked message is tracked."""
        with self.workspace.local.sessions() as local:
            item = local.get(MailItem, item_id)
            if item is None:
                raise ServiceError("This message is no longer in the mailbox")
            tracked = item.tracking_state == ShownState.TRACKED.value
        if tracked:
            self._tracking.set_regarding(item_id, key_text(regarding))
        else:
            self.track(item_id, regarding)

    def untrack(self, item_id: int) -> None:
        """The activity stays in the CRM, unlinked; automatic rules leave the message alone."""
        self._tracking.untrack(item_id)


def key_text(key: RecordKey | None) -> tuple[str, str] | None:
    """A record key as the tracking calls take it: (type, id as text)."""
    return (key.type.value, str(key.id)) if key is not None else None
