"""Calendar and tasks: the CRM's appointments and tasks beside the Exchange items not tracked.

A tracked appointment or task is shown and edited as its CRM activity: the change is made there
at once (offline too) and sync carries it to Exchange. An Exchange item that is not tracked is
shown from the mailbox cache and can be edited all the same: the change goes to Exchange
through the outbox (EDIT_ITEM), exactly once, and the window shows it meanwhile. Giving either
a regarding record tracks it. A recurring series is edited whole or one occurrence at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.models import Activity, Appointment, Task
from app.crm.records import get_record
from app.crm.schedule import (
    AppointmentEdit,
    Attendee,
    AttendeeType,
    TaskEdit,
    changed_occurrence,
    complete_task,
    first_addresses,
    owned_activities,
    save_appointment,
    save_task,
    task_progress,
    without_occurrence,
)
from app.crm.search import RecordHit, RecordKey, RecordSummary, record_summary
from app.mailbox.cache import TrackingState as CacheState
from app.mailbox.correspondents import recent_correspondents
from app.mailbox.models import MailItem
from app.mailbox.recurrence import series_zone
from app.mailbox.remote import ItemKind
from app.mailbox.views import (
    ScheduledItem,
    TaskItem,
    calendar_items,
    linked_activities,
    spans,
    task_items,
    task_order,
)
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.mail import TrackingState, record_key
from app.sync import activity_fields as fields
from app.sync.activity_deletion import (
    Deletion,
    activity_values,
    delete_activity,
    removes_exchange_item_by_default,
    scheduled_activity,
)
from app.sync.link_states import (
    ExchangeLink,
    LinkFacts,
    items_being_deleted,
    link_facts,
    pending_edits,
)
from app.sync.outbox import MarkState, OutboxKind, enqueue, enqueue_mark
from app.sync.zones import canonical_zone, exchange_zones
from app.tracking.folding import fold

ATTENDEE_SUGGESTIONS = 12
_SEARCHED = timedelta(days=400)  # how far from its day an occurrence moved is looked for
# A change to a series: its recurrence in, the recurrence with the change out.
_SeriesChange = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityDraft:
    """An appointment or task as its dialog edits it. With `activity_id` it is the CRM activity
    (sync carries the change to Exchange); with only `item_id` an Exchange item not tracked
    (the change goes to Exchange as is, and a regarding record tracks it); with neither, a new
    one. `on_exchange`: the CRM activity is linked to an Exchange item, which deleting the
    activity deletes too when the user says so (`removes_exchange_item` suggests what Dynamics
    does). `seen` and `change_key`: the untracked item as the dialog opened it, what the change
    is made against."""

    subject: str
    body: str = ""
    regarding: RecordKey | None = None
    regarding_name: str = ""
    item_id: int | None = None
    activity_id: int | None = None
    on_exchange: bool = False
    removes_exchange_item: bool = False
    seen: Mapping[str, Any] | None = field(default=None, compare=False)
    change_key: str | None = None

    @property
    def tracked(self) -> bool:
        """A CRM activity (or a new one, which will be): not an untracked Exchange item."""
        return self.activity_id is not None or self.item_id is None


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentDraft(ActivityDraft):
    """With `occurrence` (the original start of one occurrence of a series) the draft edits
    that occurrence only: its start, end, subject and location."""

    start: datetime
    end: datetime
    location: str = ""
    is_all_day: bool = False
    time_zone: str | None = None
    recurrence: dict[str, Any] | None = None
    reminder: int | None = None  # minutes before the start
    show_as: str = "Busy"
    attendees: tuple[Attendee, ...] = ()
    occurrence: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskDraft(ActivityDraft):
    due: datetime | None
    start: datetime | None = None
    status: str = "NotStarted"
    priority: str = "Normal"
    percent_complete: int = 0
    reminder: datetime | None = None


@dataclass(frozen=True, slots=True)
class AttendeeSuggestion:
    """Someone to invite: a CRM record's address, or a recent correspondent's."""

    email: str
    name: str
    record: RecordKey | None = None
    detail: str = ""  # what the record is (or that the address is from the mailbox)


class ScheduleService(ProfileService):
    # Showing

    def calendar_entries(self, start: datetime, end: datetime) -> list[ScheduledItem]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            links = linked_activities(session, address)
            facts = link_facts(session, address) if address else {}
            edits = pending_edits(session, address) if address else {}
            going = items_being_deleted(session, address) if address else set()
            cached = calendar_items(session, address, start, end, links, pending=edits)
            items_of = _items_of_activities(session, links)
        entries = [e for e in cached if e.activity_id is None and e.item_id not in going]
        with self.workspace.crm.sessions() as session:
            owner_id = self.workspace.owner(session).id
            for appointment in owned_activities(session, owner_id, Appointment):
                link = facts.get(appointment.id)
                if link is not None and link.state is ExchangeLink.UNLINKED:
                    continue  # in the CRM only, for good
                entries.extend(
                    _crm_entries(appointment, link, items_of.get(appointment.id), start, end)
                )
        entries.sort(key=lambda entry: (entry.start, entry.subject))
        return entries

    def tasks(self) -> list[TaskItem]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            links = linked_activities(session, address)
            facts = link_facts(session, address) if address else {}
            edits = pending_edits(session, address) if address else {}
            going = items_being_deleted(session, address) if address else set()
            cached = task_items(session, address, links, edits)
            items_of = _items_of_activities(session, links)
        tasks = [t for t in cached if t.activity_id is None and t.item_id not in going]
        with self.workspace.crm.sessions() as session:
            owner_id = self.workspace.owner(session).id
            for task in owned_activities(session, owner_id, Task):
                link = facts.get(task.id)
                if link is None or link.state is not ExchangeLink.UNLINKED:
                    tasks.append(_crm_task(task, link, items_of.get(task.id)))
        tasks.sort(key=task_order)
        return tasks

    # Drafts

    def appointment_draft(self, entry: ScheduledItem, occurrence: bool = False) -> AppointmentDraft:
        """The appointment to edit: its series, or with `occurrence` the one occurrence
        `entry` shows."""
        common, values = self._draft_basis(ItemKind.APPOINTMENT, entry.activity_id, entry.item_id)
        draft = _appointment_draft(common, values)
        if occurrence and entry.original_start is not None and draft.recurrence:
            return replace(
                draft,
                subject=entry.subject,
                location=entry.location,
                start=entry.start,
                end=entry.end,
                occurrence=entry.original_start,
            )
        return draft

    def appointment_draft_of(self, activity_id: int) -> AppointmentDraft:
        """The CRM appointment `activity_id` to edit (a series whole)."""
        return _appointment_draft(*self._activity_basis(activity_id, None))

    def occurrence_draft_of(self, activity_id: int, when: datetime | date) -> AppointmentDraft:
        """One occurrence of the CRM series `activity_id`: the one due at `when` (its original
        start), or on that day in the series' time zone."""
        series = self.appointment_draft_of(activity_id)
        if not series.recurrence:
            raise ServiceError(f"Appointment {activity_id} is not a recurring series")
        zone = UTC if series.is_all_day else series_zone(series.time_zone)
        exact = when if isinstance(when, datetime) else None
        around = exact or datetime.combine(when, time(0), UTC)
        for entry in self.calendar_entries(around - _SEARCHED, around + _SEARCHED):
            due = entry.original_start
            if entry.activity_id != activity_id or due is None:
                continue
            if due == exact or (exact is None and due.astimezone(zone).date() == when):
                return self.appointment_draft(entry, occurrence=True)
        raise ServiceError(f"Appointment {activity_id} has no occurrence due {when.isoformat()}")

    def task_draft(self, task: TaskItem) -> TaskDraft:
        return _task_draft(*self._draft_basis(ItemKind.TASK, task.activity_id, task.item_id))

    def task_draft_of(self, activity_id: int) -> TaskDraft:
        """The CRM task `activity_id` to edit."""
        return _task_draft(*self._activity_basis(activity_id, None))

    def _draft_basis(
        self, kind: ItemKind, activity_id: int | None, item_id: int | None
    ) -> tuple[_DraftFields, dict[str, Any]]:
        """A draft's common fields and the values it starts from: the CRM activity's, or the
        cached Exchange item's with the changes still waiting for sync."""
        if activity_id is not None:
            return self._activity_basis(activity_id, item_id)
        if item_id is None:
            raise ServiceError("Nothing to open")
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            item = session.get(MailItem, item_id)
            if item is None:
                raise ServiceError("This item is no longer in the mailbox")
            edits = pending_edits(session, address).get(item.remote_id, {}) if address else {}
            values = fields.normalised(kind, {**(item.details or {}), **edits})
            common = _DraftFields(
                subject=values["subject"],
                body=values["body"] or (item.body_text or "").strip(),
                regarding=record_key(item.regarding_type, item.regarding_id),
                regarding_name=item.regarding_name or "",
                item_id=item.id,
                seen=values,
                change_key=item.change_key,
            )
        return common, values

    def _activity_basis(
        self, activity_id: int, item_id: int | None
    ) -> tuple[_DraftFields, dict[str, Any]]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            facts = link_facts(session, address).get(activity_id) if address else None
        with self.workspace.crm.sessions() as session:
            activity = scheduled_activity(session, activity_id)
            kind, values = activity_values(activity)
            regarding = record_summary(activity.regarding) if activity.regarding else None
        common = _DraftFields(
            subject=values["subject"],
            body=values["body"],
            regarding=regarding.key if regarding else None,
            regarding_name=regarding.name if regarding else "",
            item_id=item_id,
            activity_id=activity_id,
            on_exchange=facts is not None and facts.on_exchange,
            removes_exchange_item=removes_exchange_item_by_default(kind, values, datetime.now(UTC)),
        )
        return common, values

    # Saving

    def save_appointment(self, draft: AppointmentDraft) -> int | None:
        """Save the draft; the CRM appointment's id (None for an untracked Exchange item)."""
        time_zone = _canonical_zone(draft.time_zone)
        saved = draft.activity_id
        if draft.occurrence is not None:
            self._change_series(draft, lambda recurrence: _with_occurrence(recurrence, draft))
        elif not draft.tracked:
            values = _appointment_values(replace(draft, time_zone=time_zone))
            self._edit_exchange_item(ItemKind.APPOINTMENT, draft, values)
        else:
            edit = AppointmentEdit(
                subject=draft.subject,
                body=draft.body,
                regarding_id=draft.regarding.id if draft.regarding else None,
                start=draft.start,
                end=draft.end,
                location=draft.location,
                is_all_day=draft.is_all_day,
                time_zone=time_zone,
                recurrence=draft.recurrence,
                reminder_minutes=draft.reminder,
                show_as=draft.show_as,
                attendees=draft.attendees,
            )
            with self.workspace.crm.sessions.begin() as session:
                owner = self.workspace.owner(session)
                saved = save_appointment(session, owner, draft.activity_id, edit).id
        self._track_if_asked(draft)
        return saved

    def save_task(self, draft: TaskDraft) -> int | None:
        """Save the draft; the CRM task's id (None for an untracked Exchange item)."""
        saved = draft.activity_id
        if not draft.tracked:
            self._edit_exchange_item(ItemKind.TASK, draft, _task_values(draft))
        else:
            edit = TaskEdit(
                subject=draft.subject,
                body=draft.body,
                regarding_id=draft.regarding.id if draft.regarding else None,
                start=draft.start,
                due=draft.due,
                status=draft.status,
                priority=draft.priority,
                percent_complete=draft.percent_complete,
                reminder_at=draft.reminder,
            )
            with self.workspace.crm.sessions.begin() as session:
                saved = save_task(
                    session, self.workspace.owner(session), draft.activity_id, edit
                ).id
        self._track_if_asked(draft)
        return saved

    def delete_occurrence(self, draft: AppointmentDraft) -> None:
        """Delete the one occurrence the draft edits; the rest of the series stays."""
        original = draft.occurrence
        if original is None:
            raise ServiceError("Only one occurrence of a series can be deleted this way")
        self._change_series(
            draft, lambda recurrence: without_occurrence(recurrence, fields.iso(original) or "")
        )

    def complete_task(self, task: TaskItem, done: bool) -> None:
        """Tick (or untick) a task in the list."""
        if task.activity_id is not None:
            with self.workspace.crm.sessions.begin() as session:
                complete_task(session, task.activity_id, done)
            return
        draft = self.task_draft(task)
        status, percent = ("Completed", 100) if done else ("NotStarted", 0)
        values = _task_values(replace(draft, status=status, percent_complete=percent))
        self._edit_exchange_item(ItemKind.TASK, draft, values)

    def delete_activity(
        self,
        activity_id: int,
        remove_from_exchange: bool | None,
        expected: ItemKind | None = None,
    ) -> Deletion:
        """Delete a CRM appointment or task; its Exchange item goes too when the user says so
        (None: as Dynamics does, see app.sync.activity_deletion)."""
        return delete_activity(
            self.workspace, self.account_address(), activity_id, remove_from_exchange, expected
        )

    def _change_series(self, draft: AppointmentDraft, change: _SeriesChange) -> None:
        """Change one occurrence of a series: in the CRM, or on Exchange for an untracked one."""
        if draft.activity_id is not None:
            with self.workspace.crm.sessions.begin() as session:
                appointment = scheduled_activity(session, draft.activity_id)
                if not isinstance(appointment, Appointment) or not appointment.recurrence:
                    raise ServiceError("This appointment is not a recurring series")
                appointment.recurrence = change(dict(appointment.recurrence))
            return
        seen = dict(draft.seen or {})
        if not seen.get("recurrence"):
            raise ServiceError("This appointment is not a recurring series")
        self._edit_exchange_item(
            ItemKind.APPOINTMENT, draft, {**seen, "recurrence": change(seen["recurrence"])}
        )

    def _edit_exchange_item(
        self, kind: ItemKind, draft: ActivityDraft, values: dict[str, Any]
    ) -> None:
        """Change an untracked Exchange item: the fields the user changed, against what the
        dialog showed, wait in the outbox for the next sync."""
        address = self.account_address()
        if address is None or draft.seen is None or draft.item_id is None:
            raise ServiceError("This item can be changed once a mail account is set up")
        seen = fields.normalised(kind, dict(draft.seen))
        wanted = fields.normalised(kind, values)
        changed = {name: value for name, value in wanted.items() if value != seen.get(name)}
        if not changed:
            return
        with self.workspace.local.sessions.begin() as session:
            item = session.get(MailItem, draft.item_id)
            if item is None:
                raise ServiceError("This item is no longer in the mailbox")
            enqueue(
                session,
                address,
                OutboxKind.EDIT_ITEM,
                {
                    "remote_id": item.remote_id,
                    "kind": kind.value,
                    "change_key": draft.change_key,
                    "fields": changed,
                    "base": seen,
                },
            )

    def _track_if_asked(self, draft: ActivityDraft) -> None:
        if not draft.tracked and draft.item_id is not None and draft.regarding is not None:
            self.track_exchange_item(draft.item_id, draft.regarding)

    def track_exchange_item(self, item_id: int, regarding: RecordKey) -> None:
        """Track an Exchange appointment or task: Liaison's mark asks for it (pending, with the
        regarding record); the next sync creates the CRM activity and links the two."""
        with self.workspace.crm.sessions() as session:
            record = record_summary(get_record(session, regarding.type.value, str(regarding.id)))
        with self.workspace.local.sessions.begin() as local:
            item = local.get(MailItem, item_id)
            if item is None:
                raise ServiceError("This item is no longer in the mailbox")
            if item.tracking_state in (TrackingState.TRACKED.value, TrackingState.PENDING.value):
                return
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

    # Time zones

    def time_zones(self) -> list[str]:
        """The zones an appointment can be made in: those Exchange knows."""
        return exchange_zones(datetime.now(UTC))

    def canonical_time_zone(self, name: str) -> str | None:
        """The zone as Exchange names it (None: UTC, or a zone nobody knows)."""
        try:
            return canonical_zone(name)
        except ValueError:
            return None

    def activity_draft(self, activity_id: int) -> AppointmentDraft | TaskDraft | None:
        """A CRM appointment or task as its dialog edits it (opened from a record's timeline),
        with the Exchange item it is linked to, if any."""
        with self.workspace.crm.sessions() as session:
            activity = session.get(Activity, activity_id)
            kind = activity.type if activity is not None else None
        if kind not in (ItemKind.APPOINTMENT.value, ItemKind.TASK.value):
            return None
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            items = _items_of_activities(session, linked_activities(session, address))
        basis = self._activity_basis(activity_id, items.get(activity_id))
        return _task_draft(*basis) if kind == ItemKind.TASK.value else _appointment_draft(*basis)

    # Attendees

    def attendee_suggestions(
        self, text: str, records: Sequence[RecordHit] = ()
    ) -> list[AttendeeSuggestion]:
        """People to invite for what the user typed: the CRM records found for it (`records`,
        from the record search) with their address, then recent correspondents whose name or
        address has a word starting with it."""
        wanted = fold(text.strip())
        if not wanted:
            return []
        with self.workspace.crm.sessions() as session:
            addresses = first_addresses(session, [hit.key.id for hit in records])
        found = [
            AttendeeSuggestion(addresses[hit.key.id], hit.name, hit.key, hit.detail)
            for hit in records
            if hit.key.id in addresses
        ]
        taken = {suggestion.email.casefold() for suggestion in found}
        with self.workspace.local.sessions() as session:
            people = recent_correspondents(session, self.account_address())
        for person in people:
            if len(found) >= ATTENDEE_SUGGESTIONS:
                break
            words = fold(f"{person.name} {person.email.replace('.', ' ')} {person.email}").split()
            if person.email.casefold() not in taken and any(w.startswith(wanted) for w in words):
                found.append(AttendeeSuggestion(person.email, person.name))
                taken.add(person.email.casefold())
        return found[:ATTENDEE_SUGGESTIONS]


class _DraftFields(TypedDict, total=False):
    """What appointment and task drafts have in common."""

    subject: str
    body: str
    regarding: RecordKey | None
    regarding_name: str
    item_id: int | None
    activity_id: int | None
    on_exchange: bool
    removes_exchange_item: bool
    seen: Mapping[str, Any] | None
    change_key: str | None


def _moment(text: str | None) -> datetime | None:
    return fields.parse_iso(text)


def _appointment_draft(common: _DraftFields, values: dict[str, Any]) -> AppointmentDraft:
    start = _moment(values["start"])
    end = _moment(values["end"])
    if start is None or end is None:
        raise ServiceError("This appointment has no time")
    return AppointmentDraft(
        start=start,
        end=end,
        location=values["location"],
        is_all_day=values["is_all_day"],
        time_zone=values["time_zone"],
        recurrence=values["recurrence"],
        reminder=values["reminder"],
        show_as=values["show_as"],
        attendees=tuple(
            Attendee(a["email"], a["name"], AttendeeType(a["type"]), a["response"])
            for a in values["attendees"]
        ),
        **common,
    )


def _task_draft(common: _DraftFields, values: dict[str, Any]) -> TaskDraft:
    return TaskDraft(
        start=_moment(values["start"]),
        due=_moment(values["due"]),
        status=values["status"],
        priority=values["priority"],
        percent_complete=values["percent_complete"],
        reminder=_moment(values["reminder"]),
        **common,
    )


def _canonical_zone(name: str | None) -> str | None:
    try:
        return canonical_zone(name)
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def _appointment_values(draft: AppointmentDraft) -> dict[str, Any]:
    return {
        "subject": draft.subject,
        "start": fields.iso(draft.start),
        "end": fields.iso(draft.end),
        "is_all_day": draft.is_all_day,
        "time_zone": draft.time_zone,
        "location": draft.location,
        "body": draft.body,
        "recurrence": draft.recurrence,
        "reminder": draft.reminder,
        "show_as": draft.show_as,
        "attendees": [
            {"email": a.email, "name": a.name, "type": a.type.value, "response": a.response}
            for a in draft.attendees
        ],
    }


def _task_values(draft: TaskDraft) -> dict[str, Any]:
    status, percent = task_progress(draft.status, draft.percent_complete)
    return {
        "subject": draft.subject,
        "start": fields.iso(draft.start),
        "due": fields.iso(draft.due),
        "status": status,
        "percent_complete": percent,
        "priority": draft.priority,
        "reminder": fields.iso(draft.reminder),
        "body": draft.body,
    }


def _with_occurrence(recurrence: dict[str, Any], draft: AppointmentDraft) -> dict[str, Any]:
    return changed_occurrence(
        recurrence,
        fields.iso(draft.occurrence) or "",
        fields.iso(draft.start) or "",
        fields.iso(draft.end) or "",
        draft.subject,
        draft.location,
    )


def _items_of_activities(session: Session, links: Mapping[str, int]) -> dict[int, int]:
    """CRM activity id -> the cached Exchange item it is linked to."""
    if not links:
        return {}
    rows = session.execute(
        select(MailItem.remote_id, MailItem.id).where(MailItem.remote_id.in_(list(links)))
    )
    return {links[remote_id]: item_id for remote_id, item_id in rows}


def _state(link: LinkFacts | None, item_id: int | None) -> str:
    """Tracked once its Exchange item is in the mailbox; on its way until then."""
    on_exchange = link is not None and link.on_exchange and item_id is not None
    return TrackingState.TRACKED.value if on_exchange else TrackingState.PENDING.value


class _RegardingColumns(TypedDict):
    regarding_type: str | None
    regarding_id: int | None
    regarding_name: str | None


def _regarding_columns(activity: Activity) -> _RegardingColumns:
    regarding: RecordSummary | None = (
        record_summary(activity.regarding) if activity.regarding else None
    )
    if regarding is None:
        return _RegardingColumns(regarding_type=None, regarding_id=None, regarding_name=None)
    return _RegardingColumns(
        regarding_type=regarding.key.type.value,
        regarding_id=regarding.key.id,
        regarding_name=regarding.name,
    )


def _crm_entries(
    appointment: Appointment,
    link: LinkFacts | None,
    item_id: int | None,
    start: datetime,
    end: datetime,
) -> list[ScheduledItem]:
    if not appointment.recurrence and not _overlaps(appointment, start, end):
        return []  # most of a long CRM history: not worth reading its attendees
    values = fields.crm_fields(appointment)
    recurring = isinstance(values["recurrence"], dict)
    regarding = _regarding_columns(appointment)
    return [
        ScheduledItem(
            item_id=item_id,
            activity_id=appointment.id,
            subject=span.subject or values["subject"],
            start=span.start,
            end=span.end,
            all_day=values["is_all_day"],
            location=span.location or values["location"],
            recurring=recurring,
            tracking_state=_state(link, item_id),
            original_start=span.original_start if recurring else None,
            show_as=values["show_as"],
            **regarding,
        )
        for span in spans(values, start, end)
    ]


def _overlaps(appointment: Appointment, start: datetime, end: datetime) -> bool:
    begins, ends = _aware(appointment.start), _aware(appointment.end)
    if begins is None or ends is None:
        return False
    return begins < end and (ends > start or begins >= start)


def _crm_task(task: Task, link: LinkFacts | None, item_id: int | None) -> TaskItem:
    return TaskItem(
        item_id=item_id,
        activity_id=task.id,
        subject=task.subject,
        start=_aware(task.start),
        due=_aware(task.due),
        status=task.status,
        percent_complete=task.percent_complete,
        priority=task.priority,
        tracking_state=_state(link, item_id),
        **_regarding_columns(task),
    )


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
