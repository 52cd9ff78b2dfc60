"""Calendar and tasks: the cache shows Exchange's items, the CRM those not on Exchange yet.

Changes are made to the CRM activity; sync carries them to Exchange through the outbox. An
Exchange item that is not tracked can only be given a regarding record, which tracks it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypedDict, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.records import get_record
from app.crm.schedule import AppointmentEdit, TaskEdit, save_appointment, save_task
from app.crm.search import (
    RecordKey,
    RecordSummary,
    ScheduledActivity,
    record_summary,
    scheduled_activities,
    unlinked_activities,
)
from app.mailbox.cache import TrackingState as CacheState
from app.mailbox.models import MailItem
from app.mailbox.remote import ItemKind
from app.mailbox.views import (
    ScheduledItem,
    TaskItem,
    calendar_items,
    linked_activities,
    task_items,
    task_order,
)
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.mail import TrackingState, record_key
from app.sync.activity_deletion import (
    Deletion,
    activity_values,
    delete_activity,
    removes_exchange_item_by_default,
    scheduled_activity,
)
from app.sync.link_states import ExchangeLink, items_being_deleted, link_facts
from app.sync.outbox import MarkState, enqueue_mark


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityDraft:
    """An appointment or task as its dialog edits it. With `activity_id` it is the CRM activity
    (sync carries the change to Exchange); with only `item_id` an untracked Exchange item, of
    which only the regarding record can be set (that tracks it); with neither, a new one.
    `on_exchange`: the CRM activity is linked to an Exchange item, which deleting the activity
    deletes too when the user says so (`removes_exchange_item` suggests what Dynamics does)."""

    subject: str
    body: str = ""
    regarding: RecordKey | None = None
    regarding_name: str = ""
    item_id: int | None = None
    activity_id: int | None = None
    on_exchange: bool = False
    removes_exchange_item: bool = False

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


class ScheduleService(ProfileService):
    def calendar_entries(self, start: datetime, end: datetime) -> list[ScheduledItem]:
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            links = linked_activities(session, address)
            cached = calendar_items(session, address, start, end, links)
            shown = _not_written_yet(session, address, links)
            going = items_being_deleted(session, address) if address else set()
        cached = [entry for entry in cached if entry.item_id not in going]
        with self.workspace.crm.sessions() as session:
            crm = scheduled_activities(session, [e.activity_id for e in cached if e.activity_id])
            waiting = unlinked_activities(
                session, self.workspace.owner(session).id, "appointment", shown
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
            shown = _not_written_yet(session, address, links)
            going = items_being_deleted(session, address) if address else set()
        cached = [task for task in cached if task.item_id not in going]
        with self.workspace.crm.sessions() as session:
            crm = scheduled_activities(session, [t.activity_id for t in cached if t.activity_id])
            waiting = unlinked_activities(session, self.workspace.owner(session).id, "task", shown)
        tasks = [_with_crm_link(task, crm.get(task.activity_id or 0)) for task in cached]
        tasks.extend(_unsynced_task(activity) for activity in waiting)
        tasks.sort(key=task_order)
        return tasks

    def appointment_draft(self, entry: ScheduledItem) -> AppointmentDraft:
        activity = self._scheduled(entry.activity_id)
        if activity is not None and activity.start is not None and activity.end is not None:
            return self._appointment_draft(activity, entry.item_id)
        return AppointmentDraft(
            start=entry.start, end=entry.end, location=entry.location, **_cached_fields(entry)
        )

    def task_draft(self, task: TaskItem) -> TaskDraft:
        activity = self._scheduled(task.activity_id)
        if activity is not None:
            return self._task_draft(activity, task.item_id)
        return TaskDraft(due=task.due, status=task.status, **_cached_fields(task))

    def activity_draft(self, activity_id: int) -> AppointmentDraft | TaskDraft | None:
        """A CRM appointment or task as its dialog edits it (opened from a record's timeline),
        with the Exchange item it is linked to, if any."""
        activity = self._scheduled(activity_id)
        if activity is None:
            return None
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            linked = [
                ews_id
                for ews_id, linked_id in linked_activities(session, address).items()
                if linked_id == activity_id
            ]
            item_id = (
                session.scalar(select(MailItem.id).where(MailItem.ews_id.in_(linked)))
                if linked
                else None
            )
        if activity.kind == "task":
            return self._task_draft(activity, item_id)
        if activity.start is None or activity.end is None:
            return None
        return self._appointment_draft(activity, item_id)

    def save_appointment(self, draft: AppointmentDraft) -> None:
        if not draft.editable:
            self._track_exchange_item(draft.item_id, draft.regarding)
            return
        edit = AppointmentEdit(
            subject=draft.subject,
            body=draft.body,
            regarding_id=draft.regarding.id if draft.regarding else None,
            start=draft.start,
            end=draft.end,
            location=draft.location,
        )
        with self.workspace.crm.sessions.begin() as session:
            save_appointment(session, self.workspace.owner(session), draft.activity_id, edit)

    def save_task(self, draft: TaskDraft) -> None:
        if not draft.editable:
            self._track_exchange_item(draft.item_id, draft.regarding)
            return
        edit = TaskEdit(
            subject=draft.subject,
            body=draft.body,
            regarding_id=draft.regarding.id if draft.regarding else None,
            due=draft.due,
            status=draft.status,
        )
        with self.workspace.crm.sessions.begin() as session:
            save_task(session, self.workspace.owner(session), draft.activity_id, edit)

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

    def _appointment_draft(
        self, activity: ScheduledActivity, item_id: int | None
    ) -> AppointmentDraft:
        assert activity.start is not None and activity.end is not None
        return AppointmentDraft(
            start=_aware(activity.start),
            end=_aware(activity.end),
            location=activity.location,
            **self._activity_fields(activity, item_id),
        )

    def _task_draft(self, activity: ScheduledActivity, item_id: int | None) -> TaskDraft:
        return TaskDraft(
            due=_aware(activity.due) if activity.due else None,
            status=activity.status,
            **self._activity_fields(activity, item_id),
        )

    def _activity_fields(self, activity: ScheduledActivity, item_id: int | None) -> _DraftFields:
        """A draft's common fields from the CRM activity: what the user edits, and what
        deleting it would do on Exchange."""
        address = self.account_address()
        with self.workspace.local.sessions() as session:
            facts = link_facts(session, address).get(activity.id) if address else None
        with self.workspace.crm.sessions() as session:
            kind, values = activity_values(scheduled_activity(session, activity.id))
        regarding = activity.regarding
        return _DraftFields(
            subject=activity.subject,
            body=activity.body,
            regarding=regarding.key if regarding else None,
            regarding_name=regarding.name if regarding else "",
            item_id=item_id,
            activity_id=activity.id,
            on_exchange=facts is not None and facts.on_exchange,
            removes_exchange_item=removes_exchange_item_by_default(kind, values, datetime.now(UTC)),
        )

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
            item = local.get(MailItem, item_id)
            if item is None:
                raise ServiceError("This item is no longer in the mailbox")
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
    on_exchange: bool
    removes_exchange_item: bool


def _not_written_yet(session: Session, address: str | None, links: dict[str, int]) -> set[int]:
    """The CRM activities the calendar must not show as waiting for Exchange: those whose
    Exchange item the cache holds (shown from the cache) and those unlinked for good (they
    stay in the CRM only). One just created on Exchange shows from the CRM until the next pull
    brings its item."""
    cached = set(session.scalars(select(MailItem.ews_id).where(MailItem.ews_id.in_(list(links)))))
    shown = {activity_id for ews_id, activity_id in links.items() if ews_id in cached}
    if address is None:
        return shown
    return shown | {
        activity_id
        for activity_id, facts in link_facts(session, address).items()
        if facts.state is ExchangeLink.UNLINKED
    }


def _cached_fields(item: ScheduledItem | TaskItem) -> _DraftFields:
    """A draft's common fields from an Exchange item not (yet) in the CRM."""
    return _DraftFields(
        subject=item.subject,
        regarding=record_key(item.regarding_type, item.regarding_id),
        regarding_name=item.regarding_name or "",
        item_id=item.item_id,
    )


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
