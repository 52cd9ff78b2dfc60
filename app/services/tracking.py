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

from app.accounts import load_account
from app.crm.activities import (
    HOW_AUTOMATIC,
    HOW_MANUAL,
    TrackOutcome,
    activity_by_message_id,
    apply_decision,
    set_regarding,
    untrack,
)
from app.crm.errors import CrmError
from app.crm.index_loader import load_tracking_index
from app.crm.models import SystemUser
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.crm.search import RecordKey
from app.mailbox.cache import TrackingState
from app.mailbox.mime import parse_message
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.personal_options import load_personal_options
from app.mailbox.sync_options import load_sync_options
from app.services.base import ProfileService
from app.services.folders import FolderTrackingService
from app.sync.outbox import MarkState, enqueue_mark
from app.sync.outgoing import ComposedMessage
from app.sync.requests import TrackingRequests
from app.sync.sent import queue_email
from app.sync.tracker import MailTracker
from app.tracking.ids import normalise_message_id
from app.tracking.model import (
    Address,
    Decision,
    Folder,
    ParsedMessage,
    PersonalOptions,
    RecordRef,
    RecordType,
)
from app.tracking.pipeline import decide, manual_decision
from app.tracking.plan import Asked, RegardingKey, Request, TrackingStatus
from app.tracking.reasons import Reason, Why
from app.workspace import Workspace


@dataclass(frozen=True, slots=True)
class TrackResult:
    """A decision to track and the activity the CRM keeps for it."""

    decision: Decision
    outcome: TrackOutcome | None

    def as_json(self) -> dict[str, Any]:
        """The activity it was stored as (the decision is the caller's to word)."""
        if self.outcome is None:
            return {}
        created = self.outcome.created_record
        return {
            "activity_id": self.outcome.activity.id,
            "linked_existing": self.outcome.linked_existing,
            "created": {"type": created.type, "id": created.id, "name": created.display_name}
            if created
            else None,
        }


class TrackingService:
    """The tracking rules on a message saved as a file (`liaison explain|track|untrack|
    set-regarding FILE`). A message the mailbox cache has (found by its Internet Message-ID)
    takes the window's path (MailboxTracking), so the Exchange item follows at the next sync;
    one never synced is decided in the CRM alone, and its first sync links to what the CRM
    holds."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.mailbox = MailboxTracking(workspace)

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

    def track(self, raw: bytes, regarding: tuple[str, str] | None = None) -> ItemTracking:
        """Track by hand, regarding TYPE and KEY if given."""
        parsed = self.read(raw)
        item_id = self.mailbox.find(parsed.facts.message_id)
        if item_id is not None:
            return self.mailbox.track(item_id, regarding)
        result = self.track_manually(raw, regarding)
        assert result.outcome is not None  # a manual decision always tracks
        activity = result.outcome.activity
        return ItemTracking(
            None, TrackingStatus.TRACKED, activity.id, result.decision.regarding, result
        )

    def set_regarding(self, raw: bytes, regarding: tuple[str, str] | None) -> ItemTracking:
        """Set Regarding by hand (None: regarding nothing); a message not tracked is tracked."""
        parsed = self.read(raw)
        item_id = self.mailbox.find(parsed.facts.message_id)
        if item_id is not None:
            return self.mailbox.set_regarding(item_id, regarding)
        with self.workspace.crm.sessions.begin() as session:
            activity = activity_by_message_id(session, parsed.facts.message_id)
            if activity is not None and activity.tracked:
                record = get_record(session, *regarding) if regarding else None
                set_regarding(session, activity, record)
                shown = record_ref(record) if record else None
                return ItemTracking(None, TrackingStatus.TRACKED, activity.id, shown)
        return self.track(raw, regarding)

    def untrack(self, raw: bytes, delete: bool = False) -> ItemTracking:
        """Untrack by hand: the activity stays, unlinked, or with `delete` goes."""
        parsed = self.read(raw)
        item_id = self.mailbox.find(parsed.facts.message_id)
        if item_id is not None:
            return self.mailbox.untrack(item_id, delete)
        with self.workspace.crm.sessions.begin() as session:
            self.workspace.owner(session)
            activity_id = untrack(session, parsed.facts.message_id, delete).id
        return ItemTracking(None, TrackingStatus.NONE, activity_id, None)

    def track_manually(self, raw: bytes, regarding: tuple[str, str] | None = None) -> TrackResult:
        """Track by hand in the CRM alone (a message no mailbox of this profile has)."""
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
    its reasons: a rule that saw only part of the message says so."""
    cut = tuple(
        Reason(Why.ADDRESSES_CUT, name=header, count=parsed.cut_at) for header in parsed.cut_headers
    )
    return dataclasses.replace(decision, reasons=(*decision.reasons, *cut)) if cut else decision


@dataclass(frozen=True, slots=True)
class ItemTracking:
    """A cached item's tracking after the user's request, as the window and the CLI show it."""

    item_id: int | None  # None: a message the mailbox cache does not have (the CRM alone)
    state: TrackingStatus
    activity_id: int | None
    regarding: RecordRef | None
    result: TrackResult | None = None  # Track: the decision and the activity it stored

    def as_json(self) -> dict[str, Any]:
        found = self.result.as_json() if self.result is not None else {}
        return {
            **found,
            "item_id": self.item_id,
            "state": self.state.value,
            "activity_id": self.activity_id,
            "regarding": self.regarding.as_json() if self.regarding else None,
        }


class MailboxTracking:
    """Track, Set Regarding and Untrack on items of the local mailbox cache, for the window and
    the CLI alike, and email sent from the app. Every request takes one path (app.sync.requests):
    written to the outbox, carried out in the CRM, then the cache and the mark for the Exchange
    item in one local transaction; sync writes the mark. Works offline: the outbox waits.
    The window calls these from a worker thread (they touch both databases).
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def track(self, item_id: int, regarding: tuple[str, str] | None = None) -> ItemTracking:
        """Track by hand (wins over every automatic rule); regarding TYPE and KEY if given."""
        return self._request(item_id, Asked(Request.TRACK, self._record_key(regarding)))

    def set_regarding(self, item_id: int, regarding: tuple[str, str] | None) -> ItemTracking:
        """Set Regarding by hand (None: regarding nothing); a message not tracked yet is
        tracked regarding the record."""
        return self._request(item_id, Asked(Request.SET_REGARDING, self._record_key(regarding)))

    def untrack(self, item_id: int, delete: bool = False) -> ItemTracking:
        """Untrack by hand: the activity stays in the CRM, unlinked (or is deleted, with
        `delete`); automatic rules leave the message alone after."""
        message_id = self._message_id(item_id)
        with self.workspace.crm.sessions() as session:
            activity = activity_by_message_id(session, message_id)
            if activity is None or not (activity.tracked or delete):
                raise CrmError("This message is not tracked")
        return self._request(item_id, Asked(Request.DELETE if delete else Request.UNTRACK))

    def find(self, message_id: str | None) -> int | None:
        """The cached item of a message, by Internet Message-ID (the Inbox's copy first)."""
        account = load_account(self.workspace)
        if not message_id or account is None:
            return None
        with self.workspace.local.sessions() as session:
            found = session.scalars(
                select(MailItem.id)
                .join(MailFolder, MailItem.folder_id == MailFolder.id)
                .where(
                    MailItem.account == account.address,
                    MailItem.internet_message_id.in_(_written_forms(message_id)),
                )
                .order_by((MailFolder.distinguished == "inbox").desc(), MailItem.id)
            ).first()
        return found

    def _request(self, item_id: int, asked: Asked) -> ItemTracking:
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                raise CrmError(f"No message {item_id} in the mailbox cache")
            account = row.account
            options = load_sync_options(session)
        tracker = MailTracker(self.workspace, options)
        carried = TrackingRequests(self.workspace, account, tracker).submit(item_id, asked)
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            state = TrackingState.of(row) if row is not None else TrackingState("none")
        outcome = carried.outcome
        shown = (
            RecordRef(
                RecordType(state.regarding_type), state.regarding_id, state.regarding_name or ""
            )
            if state.regarding_type and state.regarding_id is not None
            else None
        )
        result = (
            TrackResult(outcome.decision, outcome.stored) if outcome.decision is not None else None
        )
        return ItemTracking(
            item_id, TrackingStatus(state.tracking_state), state.activity_id, shown, result
        )

    def _record_key(self, regarding: tuple[str, str] | None) -> RegardingKey | None:
        """The record's type and id; an unknown record is refused in words."""
        if regarding is None:
            return None
        with self.workspace.crm.sessions() as session:
            record = get_record(session, *regarding)
            return (record.type, record.id)

    def _message_id(self, item_id: int) -> str | None:
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                raise CrmError(f"No message {item_id} in the mailbox cache")
            return row.internet_message_id

    def map_folder(self, folder_id: int, record: tuple[str, str] | None) -> None:
        """Track all mail filed in this folder (under the Inbox) regarding a record, or stop
        (app.services.folders)."""
        FolderTrackingService(self.workspace).map_folder(folder_id, record)

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
        and tracked regarding the record from now on (app.sync.sent); returns the subject as
        sent."""
        if not to:
            raise CrmError("An email needs at least one recipient")
        record = None
        if regarding is not None:
            with self.workspace.crm.sessions() as session:
                record = record_ref(get_record(session, *regarding))
        message = ComposedMessage(
            subject, to=tuple(to), cc=tuple(cc), text=body_text, html=body_html
        )
        account = self.workspace.owner_address or ""
        return queue_email(self.workspace, account, message, True, record).subject

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


def _written_forms(message_id: str) -> list[str]:
    """A Message-ID as a mailbox may have kept it: in angle brackets (as written), or not."""
    bare = normalise_message_id(message_id)
    return [message_id.strip(), bare, f"<{bare}>"]


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
        self._tracking.set_regarding(item_id, key_text(regarding))

    def untrack(self, item_id: int, delete: bool = False) -> None:
        """The activity stays in the CRM, unlinked (or, with `delete`, is deleted); automatic
        rules leave the message alone."""
        self._tracking.untrack(item_id, delete)


def key_text(key: RecordKey | None) -> tuple[str, str] | None:
    """A record key as the tracking calls take it: (type, id as text)."""
    return (key.type.value, str(key.id)) if key is not None else None
