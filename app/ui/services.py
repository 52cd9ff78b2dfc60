"""What the window asks of the rest of the app, and the implementation on a real profile.

Widgets see only these Protocols and the plain values they return: no session, no SQL, no
exchangelib. `WorkspaceServices` implements them on an opened `Workspace` with the read-only views
of the mailbox cache (app.mailbox.views), the CRM queries (app.crm.search), the personal options,
and the sync engine for everything that changes the mailbox.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, TypedDict, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.accounts import (
    AccountSettings,
    load_account,
    load_account_secret,
    new_account,
    save_account,
)
from app.config import ProfilePaths, save_settings
from app.crm.models import ActivityParty, Appointment, Task
from app.crm.records import (
    create_contact,
    create_lead,
    get_record,
    records_with_address,
)
from app.crm.search import (
    ActivityFacts,
    RecordDetails,
    RecordHit,
    RecordKey,
    RecordRow,
    RecordSearchIndex,
    RecordSummary,
    ScheduledActivity,
    email_activity_facts,
    record_details,
    record_listing_ids,
    record_rows,
    record_summary,
    records_for_addresses,
    scheduled_activities,
    unlinked_activities,
)
from app.mailbox.cache import TrackingState as CacheState
from app.mailbox.models import MailItem
from app.mailbox.personal_options import load_personal_options, set_personal_option
from app.mailbox.sync_options import load_sync_options, set_sync_option
from app.mailbox.views import (
    FolderSummary,
    ListingQuery,
    MessageDetails,
    MessageRow,
    ScheduledItem,
    TaskItem,
    calendar_items,
    linked_activities,
    list_folders,
    listing_ids,
    message_details,
    message_rows,
    sync_facts,
    task_items,
    task_order,
)
from app.sync.outbox import MarkState, enqueue_mark, pending_mark_targets
from app.tracking.addresses import is_valid_email, normalise_email, parse_address_list
from app.tracking.model import (
    Address,
    AutoCreate,
    PersonalOptions,
    RecordType,
)
from app.tracking.names import new_record_for
from app.tracking_service import MailboxTracking
from app.workspace import Workspace

if TYPE_CHECKING:
    # Imported for the type only: exchangelib loads when sync starts, not with the window.
    from app.sync.engine import EngineSettings

UI_LANGUAGE_KEY = "ui_language"
UNTRACKED_BY_HAND = "untracked"  # the rule MailboxTracking.untrack leaves on the item
APPEARANCE_KEY = "ui_appearance"


class ServiceError(Exception):
    """An action could not be done; the message says why in words for the window."""


# Values the window shows


class TrackingState(enum.StrEnum):
    NONE = "none"
    PENDING = "pending"
    TRACKED = "tracked"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PartyFact:
    role: str  # sender | to | cc
    address: Address
    records: tuple[RecordSummary, ...]  # empty: unknown to the CRM


@dataclass(frozen=True, slots=True)
class CrmPaneFacts:
    item_id: int
    state: TrackingState
    regarding: RecordSummary | None
    rule: str | None
    evidence: str | None
    how: str | None  # automatic | manual
    tracked_at: datetime | None
    parties: tuple[PartyFact, ...]
    mark_waiting: bool = False  # the change is in the outbox, not on the server yet

    @property
    def is_tracked(self) -> bool:
        return self.state in (TrackingState.TRACKED, TrackingState.PENDING)

    @property
    def sender(self) -> PartyFact | None:
        return next((party for party in self.parties if party.role == "sender"), None)


class ConnectionState(enum.StrEnum):
    NOT_CONFIGURED = "not-configured"
    CONNECTING = "connecting"  # no sync has run in this session yet
    ONLINE = "online"
    SYNCING = "syncing"
    OFFLINE = "offline"
    NEEDS_ATTENTION = "needs-attention"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: ConnectionState
    last_sync: datetime | None
    pending_changes: int
    message: str | None = None  # why offline or what needs attention, in words


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: str  # connecting | pushing | folders | items | calendar | waiting | done
    folder: str | None
    done: int  # changes applied to this folder so far
    total: int | None  # items in the folder, when the server says
    note: str = ""  # e.g. why sync is waiting


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    state: ConnectionState
    message: str
    items: int
    tracked: int
    cancelled: bool


@dataclass(frozen=True, slots=True)
class OptionsForm:
    """Everything the personal options dialog edits, in one value."""

    tracking: PersonalOptions
    sync_interval_minutes: int
    language: str  # "system", "en" or "pl"
    appearance: str  # "system", "light" or "dark"


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    name: str  # DNS, TLS, Credentials, Mailbox, Server version
    passed: bool
    detail: str
    advice: str  # what to do, for a failed check


@dataclass(frozen=True, slots=True)
class AccountForm:
    address: str
    server: str | None  # None: find it by autodiscover
    username: str
    auth: str  # basic | ntlm | oauth
    secret: str  # a password, or an OAuth access token
    verify_tls: bool = True


CheckCallback = Callable[[ConnectionCheck], None]


@dataclass(frozen=True, slots=True)
class EmailDraft:
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    regarding: RecordKey | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityDraft:
    """An appointment or task as its dialog edits it. With `activity_id` it is the CRM activity
    (sync carries the change to Exchange); with only `item_id` an untracked Exchange item, of
    which only the regarding record can be set (that tracks it); with neither, a new one."""

    subject: str
    body: str = ""
    regarding: RecordKey | None = None
    regarding_name: str = ""
    item_id: int | None = None
    activity_id: int | None = None

    @property
    def editable(self) -> bool:
        return self.activity_id is not None or self.item_id is None


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentDraft(ActivityDraft):
    start: datetime
    end: datetime
    location: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskDraft(ActivityDraft):
    due: datetime | None
    status: str = "NotStarted"


ProgressCallback = Callable[[SyncProgress], None]
OutcomeCallback = Callable[[SyncOutcome], None]


# The Protocols


class MailService(Protocol):
    def account_address(self) -> str | None: ...
    def folders(self) -> list[FolderSummary]: ...
    def listing(self, query: ListingQuery) -> Sequence[int]: ...
    def rows(self, ids: Sequence[int]) -> list[MessageRow]: ...
    def message(self, item_id: int) -> MessageDetails | None: ...
    def crm_facts(self, message: MessageDetails) -> CrmPaneFacts: ...


class CrmService(Protocol):
    def prepare_search(self) -> None: ...
    def refresh_search(self) -> None: ...
    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]: ...
    def record_listing(self, record_type: RecordType, search: str = "") -> Sequence[int]: ...
    def record_rows(self, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]: ...
    def record(self, key: RecordKey) -> RecordDetails | None: ...
    def create_record_for(self, address: Address, record_type: RecordType) -> RecordSummary: ...


class TrackingActions(Protocol):
    def track(self, item_id: int, regarding: RecordKey | None) -> None: ...
    def set_regarding(self, item_id: int, regarding: RecordKey) -> None: ...
    def untrack(self, item_id: int) -> None: ...


class SyncRunner(Protocol):
    """The sync engine's scheduler, as the window's sync thread drives it."""

    def run(self, stop: threading.Event, progress: ProgressCallback, done: OutcomeCallback) -> None:
        """Sync now and then on the schedule until `stop` is set; called on the sync thread."""

    def sync_now(self) -> None: ...
    def close(self) -> None: ...


class SyncService(Protocol):
    def sync_status(self) -> SyncStatus: ...
    def sync_runner(self) -> SyncRunner | None: ...


class ScheduleService(Protocol):
    def calendar_entries(self, start: datetime, end: datetime) -> list[ScheduledItem]: ...
    def tasks(self) -> list[TaskItem]: ...
    def appointment_draft(self, entry: ScheduledItem) -> AppointmentDraft: ...
    def task_draft(self, task: TaskItem) -> TaskDraft: ...
    def save_appointment(self, draft: AppointmentDraft) -> None: ...
    def save_task(self, draft: TaskDraft) -> None: ...


class SettingsService(Protocol):
    def profile_paths(self) -> ProfilePaths: ...
    def options(self) -> OptionsForm: ...
    def save_options(self, form: OptionsForm) -> None: ...


class AccountService(Protocol):
    def account_form(self) -> AccountForm | None: ...
    def test_account(self, form: AccountForm, on_check: CheckCallback) -> list[ConnectionCheck]:
        """Each check in order, up to the first failure; slow: called off the window's thread."""

    def save_account(self, form: AccountForm) -> None: ...


class WindowServices(
    MailService,
    CrmService,
    TrackingActions,
    ScheduleService,
    SyncService,
    SettingsService,
    AccountService,
    Protocol,
):
    """Everything the main window needs."""


class WorkspaceServices:
    """The window's services on one opened profile; `engine_settings` tunes the sync engine
    (retry waits), the defaults suit a real server."""

    def __init__(self, workspace: Workspace, engine_settings: EngineSettings | None = None) -> None:
        self.workspace = workspace
        self._engine_settings = engine_settings
        self._search_index: RecordSearchIndex | None = None
        self._search_lock = threading.Lock()
        self._tracking = MailboxTracking(workspace)
        self._connection_state = ConnectionState.CONNECTING
        self._state_message = ""

    # Mail

    def account_address(self) -> str | None:
        account = load_account(self.workspace)
        return account.address if account is not None else None

    def folders(self) -> list[FolderSummary]:
        with self.workspace.local.sessions() as session:
            return list_folders(session, self.account_address())

    def listing(self, query: ListingQuery) -> Sequence[int]:
        with self.workspace.local.sessions() as session:
            return listing_ids(session, query)

    def rows(self, ids: Sequence[int]) -> list[MessageRow]:
        with self.workspace.local.sessions() as session:
            return message_rows(session, ids)

    def message(self, item_id: int) -> MessageDetails | None:
        with self.workspace.local.sessions() as session:
            return message_details(session, item_id)

    def crm_facts(self, message: MessageDetails) -> CrmPaneFacts:
        """The CRM pane's facts for a message the window has read already (not read again)."""
        addresses = _message_addresses(message)
        with self.workspace.local.sessions() as session:
            waiting_items, _ = pending_mark_targets(session, self.account_address() or "")
        with self.workspace.crm.sessions() as session:
            activity = (
                email_activity_facts(session, message.activity_id)
                if message.activity_id is not None
                else None
            )
            resolved = records_for_addresses(session, [address.email for _, address in addresses])
        state = _state(message.tracking_state)
        untracked_by_hand = activity is not None and not activity.tracked
        if untracked_by_hand:
            state = TrackingState.NONE
            activity = None
        return CrmPaneFacts(
            item_id=message.id,
            state=state,
            regarding=_regarding(message, activity) if state is not TrackingState.NONE else None,
            rule=UNTRACKED_BY_HAND
            if untracked_by_hand
            else (activity.rule if activity is not None else None) or message.tracking_rule,
            evidence=activity.evidence if activity is not None else None,
            how=activity.how if activity is not None else None,
            tracked_at=activity.tracked_at if activity is not None else None,
            parties=_parties(addresses, resolved, activity),
            mark_waiting=message.id in waiting_items,
        )

    # CRM

    def prepare_search(self) -> None:
        """Build the record search index now (slow once, then instant); safe from any thread."""
        with self._search_lock:
            if self._search_index is None:
                with self.workspace.crm.sessions() as session:
                    self._search_index = RecordSearchIndex.build(session)

    def search_records(self, text: str, limit: int = 50) -> list[RecordHit]:
        self.prepare_search()
        with self._search_lock:  # a refresh on another thread may be adding records
            assert self._search_index is not None
            return self._search_index.search(text, limit)

    def refresh_search(self) -> None:
        with self._search_lock:
            if self._search_index is not None:
                with self.workspace.crm.sessions() as session:
                    self._search_index.refresh(session)

    def record_listing(self, record_type: RecordType, search: str = "") -> Sequence[int]:
        with self.workspace.crm.sessions() as session:
            return record_listing_ids(session, record_type, search)

    def record_rows(self, record_type: RecordType, ids: Sequence[int]) -> list[RecordRow]:
        with self.workspace.crm.sessions() as session:
            return record_rows(session, record_type, ids)

    def record(self, key: RecordKey) -> RecordDetails | None:
        with self.workspace.crm.sessions() as session:
            return record_details(session, key)

    def create_record_for(self, address: Address, record_type: RecordType) -> RecordSummary:
        """A contact or lead for an unknown address, named from the display name or address;
        the address's unresolved parties are linked to it."""
        kind = AutoCreate.LEAD if record_type is RecordType.LEAD else AutoCreate.CONTACT
        new = new_record_for(address, kind)
        if new is None:
            raise ServiceError(f"Cannot create a {record_type.value} for {address.email}")
        with self.workspace.crm.sessions.begin() as session:
            if records_with_address(session, new.email):
                raise ServiceError(f"{new.email} already belongs to a CRM record")
            owner = self.workspace.owner(session)
            if new.type is RecordType.LEAD:
                record = create_lead(
                    session, new.first_name, new.last_name, [new.email], owner, company=new.company
                )
            else:
                record = create_contact(session, new.first_name, new.last_name, [new.email], owner)
            session.execute(
                update(ActivityParty)
                .where(
                    ActivityParty.normalized == normalise_email(new.email),
                    ActivityParty.record_id.is_(None),
                )
                .values(record_id=record.id)
            )
            summary = record_summary(record)
        self.refresh_search()
        return summary

    # Tracking by hand and sending (app.tracking_service.MailboxTracking): the CRM first, then
    # the cached item and its outbox entry in one local transaction; sync writes the mark.
    # Slow on a big CRM (the tracking index is loaded): the window calls these off its thread.

    def track(self, item_id: int, regarding: RecordKey | None) -> None:
        self._tracking.track(item_id, _key_text(regarding))
        self.refresh_search()

    def set_regarding(self, item_id: int, regarding: RecordKey) -> None:
        """Set Regarding wins over what correlation found; an untracked message is tracked."""
        with self.workspace.local.sessions() as local:
            tracked = self._item(local, item_id).tracking_state == TrackingState.TRACKED.value
        if tracked:
            self._tracking.set_regarding(item_id, _key_text(regarding))
        else:
            self.track(item_id, regarding)

    def untrack(self, item_id: int) -> None:
        """The activity stays in the CRM, unlinked; automatic rules leave the message alone."""
        self._tracking.untrack(item_id)

    def send_email(self, draft: EmailDraft) -> str:
        """Queue the message (tracking token in the subject, tracked regarding the record);
        the next sync sends it. Returns the subject as it will be sent."""
        to = _addresses(draft.to)
        if not to:
            raise ServiceError("Add at least one recipient")
        return self._tracking.send(
            to,
            draft.subject,
            draft.body,
            regarding=_key_text(draft.regarding),
            cc=_addresses(draft.cc),
        )

    def _item(self, session: Session, item_id: int) -> MailItem:
        item = session.get(MailItem, item_id)
        if item is None:
            raise ServiceError("This message is no longer in the mailbox")
        return item

    # Calendar and tasks: the cache shows Exchange's items, the CRM those not on Exchange yet.
    # Changes are made to the CRM activity; sync carries them to Exchange through the outbox.

    def calendar_entries(self, start: datetime, end: datetime) -> list[ScheduledItem]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            links = linked_activities(session, address)
            cached = calendar_items(session, address, start, end, links)
        with self.workspace.crm.sessions() as session:
            crm = scheduled_activities(session, [e.activity_id for e in cached if e.activity_id])
            waiting = unlinked_activities(
                session, self.workspace.owner(session).id, "appointment", set(links.values())
            )
        entries = [_with_crm_link(entry, crm.get(entry.activity_id or 0)) for entry in cached]
        for activity in waiting:
            if activity.start is None or activity.end is None:
                continue
            begins, ends = _aware(activity.start), _aware(activity.end)
            if begins < end and (ends > start or begins >= start):
                entries.append(_unsynced_appointment(activity, begins, ends))
        entries.sort(key=lambda entry: (entry.start, entry.subject))
        return entries

    def tasks(self) -> list[TaskItem]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            links = linked_activities(session, address)
            cached = task_items(session, address, links)
        with self.workspace.crm.sessions() as session:
            crm = scheduled_activities(session, [t.activity_id for t in cached if t.activity_id])
            waiting = unlinked_activities(
                session, self.workspace.owner(session).id, "task", set(links.values())
            )
        tasks = [_with_crm_link(task, crm.get(task.activity_id or 0)) for task in cached]
        tasks.extend(_unsynced_task(activity) for activity in waiting)
        tasks.sort(key=task_order)
        return tasks

    def appointment_draft(self, entry: ScheduledItem) -> AppointmentDraft:
        activity = self._scheduled(entry.activity_id)
        if activity is not None and activity.start is not None and activity.end is not None:
            return AppointmentDraft(
                start=_aware(activity.start),
                end=_aware(activity.end),
                location=activity.location,
                **_activity_fields(activity, entry.item_id),
            )
        return AppointmentDraft(
            start=entry.start, end=entry.end, location=entry.location, **_cached_fields(entry)
        )

    def task_draft(self, task: TaskItem) -> TaskDraft:
        activity = self._scheduled(task.activity_id)
        if activity is not None:
            return TaskDraft(
                due=_aware(activity.due) if activity.due else None,
                status=activity.status,
                **_activity_fields(activity, task.item_id),
            )
        return TaskDraft(due=task.due, status=task.status, **_cached_fields(task))

    def save_appointment(self, draft: AppointmentDraft) -> None:
        if not draft.editable:
            self._track_exchange_item(draft.item_id, draft.regarding)
            return
        with self.workspace.crm.sessions.begin() as session:
            appointment = (
                session.get(Appointment, draft.activity_id)
                if draft.activity_id is not None
                else None
            )
            if appointment is None:
                appointment = Appointment(owner_id=self.workspace.owner(session).id)
                session.add(appointment)
            appointment.subject = draft.subject
            appointment.start, appointment.end = draft.start, draft.end
            appointment.is_all_day = appointment.is_all_day or False
            appointment.location = draft.location or None
            appointment.body = draft.body or None
            appointment.regarding_id = draft.regarding.id if draft.regarding else None

    def save_task(self, draft: TaskDraft) -> None:
        if not draft.editable:
            self._track_exchange_item(draft.item_id, draft.regarding)
            return
        with self.workspace.crm.sessions.begin() as session:
            task = session.get(Task, draft.activity_id) if draft.activity_id is not None else None
            if task is None:
                task = Task(owner_id=self.workspace.owner(session).id)
                session.add(task)
            task.subject = draft.subject
            task.due = draft.due
            task.status = draft.status
            if draft.status == "Completed":
                task.percent_complete = 100
                task.completed_at = task.completed_at or datetime.now(UTC)
            task.body = draft.body or None
            task.regarding_id = draft.regarding.id if draft.regarding else None

    def _scheduled(self, activity_id: int | None) -> ScheduledActivity | None:
        if activity_id is None:
            return None
        with self.workspace.crm.sessions() as session:
            return scheduled_activities(session, [activity_id]).get(activity_id)

    def _track_exchange_item(self, item_id: int | None, regarding: RecordKey | None) -> None:
        """Track an Exchange appointment or task: Liaison's mark asks for it (pending, with the
        regarding record); the next sync creates the CRM activity and links the two."""
        if item_id is None or regarding is None:
            return
        with self.workspace.crm.sessions() as session:
            record = record_summary(get_record(session, regarding.type.value, str(regarding.id)))
        with self.workspace.local.sessions.begin() as local:
            item = self._item(local, item_id)
            CacheState(
                TrackingState.PENDING.value,
                None,
                record.key.type.value,
                record.key.id,
                record.name,
                "manual",
            ).apply(item)
            local.flush()
            enqueue_mark(local, item, MarkState.PENDING)

    # Sync

    def sync_status(self) -> SyncStatus:
        # In a team, CRM changes waiting for the shared store are waiting changes too.
        team = self.workspace.team
        crm_waiting = team.pending() if team is not None else 0
        address = self.account_address()
        if address is None:
            return SyncStatus(ConnectionState.NOT_CONFIGURED, None, crm_waiting)
        with self.workspace.local.sessions() as session:
            facts = sync_facts(session, address)
        state = self._connection_state
        message = self._state_message or facts.last_error
        return SyncStatus(state, facts.last_sync, facts.pending_changes + crm_waiting, message)

    def sync_runner(self) -> SyncRunner | None:
        """The sync engine for the profile's account; None without an account."""
        if self.account_address() is None:
            return None
        from app.ui.engine_runner import EngineRunner

        return EngineRunner(self.workspace, self._remember_state, self._engine_settings)

    def _remember_state(self, state: ConnectionState, message: str) -> None:
        # Called on the sync thread; two plain assignments, read by the window's thread.
        self._connection_state = state
        self._state_message = message

    # The mail account

    def account_form(self) -> AccountForm | None:
        account = load_account(self.workspace)
        if account is None:
            return None
        return AccountForm(
            address=account.address,
            server=account.server_url,
            username=account.username,
            auth=account.auth.value,
            secret="",
            verify_tls=account.verify_tls,
        )

    def test_account(self, form: AccountForm, on_check: CheckCallback) -> list[ConnectionCheck]:
        # exchangelib loads only when a server is contacted: the window starts without it.
        from app.sync.diagnose import Check, run_checks

        def relay(check: Check) -> None:
            on_check(ConnectionCheck(check.name, check.ok, check.detail, check.advice))

        account = self._account_settings(form)
        results, _build = run_checks(account, self._secret_source(form, account), relay)
        return [ConnectionCheck(c.name, c.ok, c.detail, c.advice) for c in results]

    def save_account(self, form: AccountForm) -> None:
        """Keep the account (the secret in the keyring); the profile's owner is its address."""
        account = self._account_settings(form)
        owner = self.workspace.owner_address
        if not owner:
            self.workspace.initialise(account.address, None)
        elif normalise_email(owner) != normalise_email(account.address):
            raise ServiceError(
                f"This profile belongs to {owner}; a second mailbox needs a profile of its own"
            )
        existing = load_account(self.workspace)
        keep_secret = not form.secret and existing is not None
        save_account(self.workspace, account, None if keep_secret else form.secret)
        self._connection_state = ConnectionState.CONNECTING
        self._state_message = ""

    def _account_settings(self, form: AccountForm) -> AccountSettings:
        return new_account(
            form.address, form.server or None, form.username or None, form.auth, form.verify_tls
        )

    def _secret_source(self, form: AccountForm, account: AccountSettings) -> Callable[[], str]:
        """The typed secret, or (left empty when editing) the one in the keyring."""
        if form.secret:
            return lambda: form.secret
        return lambda: load_account_secret(self.workspace, account)

    # Settings

    def profile_paths(self) -> ProfilePaths:
        """Where this profile keeps its data, settings, cache and logs (the About dialog)."""
        return self.workspace.paths

    def options(self) -> OptionsForm:
        with self.workspace.local.sessions() as session:
            tracking = load_personal_options(session)
            sync = load_sync_options(session)
        settings = self.workspace.settings
        return OptionsForm(
            tracking=tracking,
            sync_interval_minutes=sync.sync_interval_minutes,
            language=str(settings.get(UI_LANGUAGE_KEY) or "system"),
            appearance=str(settings.get(APPEARANCE_KEY) or "system"),
        )

    def save_options(self, form: OptionsForm) -> None:
        """Saved locally; the next sync applies them. Nothing tracked before is untracked."""
        tracking = form.tracking
        with self.workspace.local.sessions.begin() as session:
            set_personal_option(session, "track", tracking.track.value)
            set_personal_option(session, "autocreate", tracking.autocreate.value)
            set_personal_option(session, "skip-private", "on" if tracking.skip_private else "off")
            set_personal_option(session, "track-sent", "on" if tracking.track_sent else "off")
            set_personal_option(session, "never-track", ",".join(sorted(tracking.never_track)))
            set_sync_option(session, "interval", str(form.sync_interval_minutes))
        self.workspace.settings.update(
            {
                UI_LANGUAGE_KEY: form.language,
                APPEARANCE_KEY: form.appearance,
            }
        )
        save_settings(self.workspace.paths, self.workspace.settings)


def _key_text(key: RecordKey | None) -> tuple[str, str] | None:
    return (key.type.value, str(key.id)) if key is not None else None


def _addresses(texts: Sequence[str]) -> list[Address]:
    """Addresses as typed in a To or Cc field; a malformed one is refused in words."""
    found: list[Address] = []
    for text in texts:
        parsed = parse_address_list(text)
        if not parsed or not all(is_valid_email(address.email) for address in parsed):
            raise ServiceError(f"{text.strip()!r} is not an email address")
        found.extend(parsed)
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _DraftFields(TypedDict, total=False):
    """What appointment and task drafts have in common."""

    subject: str
    body: str
    regarding: RecordKey | None
    regarding_name: str
    item_id: int | None
    activity_id: int | None


def _activity_fields(activity: ScheduledActivity, item_id: int | None) -> _DraftFields:
    """A draft's common fields from the CRM activity: what the user edits."""
    regarding = activity.regarding
    return _DraftFields(
        subject=activity.subject,
        body=activity.body,
        regarding=regarding.key if regarding else None,
        regarding_name=regarding.name if regarding else "",
        item_id=item_id,
        activity_id=activity.id,
    )


def _cached_fields(item: ScheduledItem | TaskItem) -> _DraftFields:
    """A draft's common fields from an Exchange item not (yet) in the CRM."""
    return _DraftFields(
        subject=item.subject,
        regarding=_key(item.regarding_type, item.regarding_id),
        regarding_name=item.regarding_name or "",
        item_id=item.item_id,
    )


def _key(record_type: str | None, record_id: int | None) -> RecordKey | None:
    if record_type is None or record_id is None:
        return None
    try:
        return RecordKey(RecordType(record_type), record_id)
    except ValueError:
        return None


class _RegardingColumns(TypedDict):
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None


def _regarding_columns(regarding: RecordSummary | None) -> _RegardingColumns:
    """The regarding record as the cached items keep it."""
    if regarding is None:
        return _RegardingColumns(regarding_type=None, regarding_id=None, regarding_name=None)
    return _RegardingColumns(
        regarding_type=regarding.key.type.value,
        regarding_id=regarding.key.id,
        regarding_name=regarding.name,
    )


_Scheduled = TypeVar("_Scheduled", ScheduledItem, TaskItem)


def _with_crm_link(item: _Scheduled, activity: ScheduledActivity | None) -> _Scheduled:
    """A linked Exchange appointment or task is tracked, regarding what its CRM activity says."""
    if activity is None:
        return item
    return replace(
        item,
        tracking_state=TrackingState.TRACKED.value,
        **_regarding_columns(activity.regarding),
    )


def _unsynced_appointment(
    activity: ScheduledActivity, start: datetime, end: datetime
) -> ScheduledItem:
    return ScheduledItem(
        item_id=None,
        activity_id=activity.id,
        subject=activity.subject,
        start=start,
        end=end,
        all_day=activity.all_day,
        location=activity.location,
        recurring=False,
        tracking_state=TrackingState.PENDING.value,
        **_regarding_columns(activity.regarding),
    )


def _unsynced_task(activity: ScheduledActivity) -> TaskItem:
    return TaskItem(
        item_id=None,
        activity_id=activity.id,
        subject=activity.subject,
        start=_aware(activity.start) if activity.start else None,
        due=_aware(activity.due) if activity.due else None,
        status=activity.status,
        percent_complete=activity.percent_complete,
        priority="Normal",
        tracking_state=TrackingState.PENDING.value,
        **_regarding_columns(activity.regarding),
    )


def _state(text: str | None) -> TrackingState:
    try:
        return TrackingState(text or "none")
    except ValueError:
        return TrackingState.NONE


def _message_addresses(message: MessageDetails) -> list[tuple[str, Address]]:
    addresses: list[tuple[str, Address]] = []
    if message.sender is not None:
        addresses.append(("sender", message.sender))
    addresses.extend(("to", address) for address in message.to)
    addresses.extend(("cc", address) for address in message.cc)
    return addresses


def _regarding(message: MessageDetails, activity: ActivityFacts | None) -> RecordSummary | None:
    if activity is not None:
        return activity.regarding
    key = _key(message.regarding_type, message.regarding_id)
    return RecordSummary(key, message.regarding_name or "") if key is not None else None


def _parties(
    addresses: list[tuple[str, Address]],
    resolved: dict[str, list[RecordSummary]],
    activity: ActivityFacts | None,
) -> tuple[PartyFact, ...]:
    """Each address with its records: as the activity resolved it when tracked (the sender to
    exactly one record), else every record that has the address now."""
    linked: dict[tuple[str, str], list[RecordSummary]] = {}
    if activity is not None:
        for party in activity.parties:
            if party.record is not None:
                key = (party.role, normalise_email(party.email))
                linked.setdefault(key, []).append(party.record)
    facts = []
    for role, address in addresses:
        email = normalise_email(address.email)
        records = linked.get((role, email)) or resolved.get(email, [])
        if role == "sender":
            records = records[:1]
        facts.append(PartyFact(role, address, tuple(records)))
    return tuple(facts)
