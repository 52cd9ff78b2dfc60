"""Deleting appointments and tasks, both ways, as Dynamics defines it (docs/ARCHITECTURE.md,
"Deletions"):

- An Exchange appointment or task deleted in any client, or whose tracking category was taken
  off, unlinks its CRM activity. The activity stays in the CRM and sync never puts it on
  Exchange again: the link is kept, unlinked (a tombstone), so the activity is never taken for
  a new one waiting to be created.
- A CRM appointment or task deleted in Liaison deletes its Exchange item only when the user
  chose so; otherwise the item stays, untracked (Liaison's mark and category taken off). The
  suggested choice is Dynamics': an appointment that has not ended yet and an open task go, a
  past appointment and a completed task stay.
- A CRM activity deleted elsewhere (by a colleague in a team CRM) leaves its Exchange item,
  untracked: nobody chose to delete it.

`delete_activity` writes the intent (the unlinked link and its outbox entry) to the local state
first, then deletes the CRM activity; replaying the entry deletes the CRM activity too when a
crash came between the two, so a deletion is carried out once, whatever interrupts it. A SQLite
CRM may give a deleted activity's id to the next new one, so the replay deletes only the
activity the entry names (same id, subject and creation time), and the unlinked link of a
deleted activity is dropped once Exchange has what it needs: neither may touch the new one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.crm.models import Activity, Appointment, Task
from app.mailbox.models import ActivityLink, MailItem
from app.mailbox.remote import ItemKind
from app.sync import activity_fields as fields
from app.sync.outbox import OutboxKind, enqueue, log
from app.workspace import Workspace

COMPLETED = "Completed"
_A = {ItemKind.APPOINTMENT: "an appointment", ItemKind.TASK: "a task"}


class Unlinked(enum.StrEnum):
    """Why a CRM activity and its Exchange item are no longer linked."""

    DELETED_IN_EXCHANGE = "deleted-in-exchange"
    CATEGORY_REMOVED = "category-removed"
    DELETED_IN_CRM = "deleted-in-crm"


class ExchangeCopy(enum.StrEnum):
    """What becomes of the Exchange item of a CRM activity deleted in Liaison."""

    DELETED = "deleted"  # deleted at the next sync
    KEPT = "kept"  # stays, no longer tracked
    NOT_LINKED = "not-linked"  # there is none linked to it


@dataclass(frozen=True, slots=True)
class Deletion:
    activity_id: int
    kind: ItemKind
    subject: str
    exchange: ExchangeCopy


def removes_exchange_item_by_default(
    kind: ItemKind, values: Mapping[str, Any], now: datetime
) -> bool:
    """Dynamics' rule for a tracked appointment or task deleted in the CRM: the Exchange item
    goes too when the appointment is current or ahead (a series: until its last day) or the
    task is still open; a past appointment and a completed task stay in Outlook."""
    if kind is ItemKind.TASK:
        return values.get("status") != COMPLETED
    recurrence = values.get("recurrence")
    if isinstance(recurrence, dict):
        last_day = recurrence.get("end")
        return not last_day or str(last_day) >= now.astimezone(UTC).date().isoformat()
    ends = fields.parse_iso(values.get("end") or values.get("start"))
    return ends is None or ends >= now


def activity_values(activity: Appointment | Task) -> tuple[ItemKind, dict[str, Any]]:
    kind = fields.kind_of(activity)
    return kind, fields.normalised(kind, fields.crm_fields(activity))


def scheduled_activity(session: Session, activity_id: int) -> Appointment | Task:
    """The CRM appointment or task with this id, or a CrmError that says there is none."""
    activity = session.get(Activity, activity_id)
    if not isinstance(activity, Appointment | Task):
        raise CrmError(f"There is no appointment or task {activity_id} in the CRM")
    return activity


def link_of(session: Session, account: str, activity_id: int) -> ActivityLink | None:
    """The activity's link, live or unlinked."""
    return session.scalars(
        select(ActivityLink).where(
            ActivityLink.account == account, ActivityLink.activity_id == activity_id
        )
    ).one_or_none()


def live_link(session: Session, account: str, activity_id: int) -> ActivityLink | None:
    link = link_of(session, account, activity_id)
    return link if link is not None and link.unlinked_at is None else None


def mark_unlinked(
    session: Session,
    link: ActivityLink,
    reason: Unlinked,
    subject: str,
    message: str,
    exchange: ExchangeCopy | None = None,
) -> bool:
    """Unlink for good (see the module docstring), with a line in the sync log that says what
    becomes of the Exchange item of a deleted activity; False when it was unlinked before."""
    if link.unlinked_at is not None:
        return False
    link.unlinked_at = datetime.now(UTC)
    link.unlinked_reason = reason.value
    log(
        session,
        "info",
        "unlinked",
        message,
        {
            "activity_id": link.activity_id,
            "remote_id": link.remote_id,
            "kind": link.kind,
            "subject": subject,
            "reason": reason.value,
            "exchange": exchange.value if exchange is not None else None,
        },
    )
    return True


def enqueue_removal(
    session: Session,
    link: ActivityLink,
    subject: str,
    delete_item: bool,
    created_at: str | None = None,
) -> None:
    """Queue what deleting the activity does on Exchange: delete the item, or take Liaison's
    mark off it. A link whose item was never seen carries its client id, so the replay finds
    an item created just before a crash. With `created_at` (the CRM activity's), the replay
    also deletes that activity if it is still there."""
    category = None
    if link.remote_id is not None:
        cached = session.scalars(
            select(MailItem.remote_mark).where(
                MailItem.account == link.account, MailItem.remote_id == link.remote_id
            )
        ).first()
        category = (cached or {}).get("category")
    enqueue(
        session,
        link.account,
        OutboxKind.DELETE_ITEM
        if delete_item or link.remote_id is None
        else OutboxKind.UNTRACK_ITEM,
        {
            "link_id": link.id,
            "kind": link.kind,
            "activity_id": link.activity_id,
            "subject": subject,
            "remote_id": link.remote_id,
            "client_id": link.client_id,
            "category": category,
            "created_at": created_at,
        },
    )


def delete_activity(
    workspace: Workspace,
    account: str | None,
    activity_id: int,
    remove_from_exchange: bool | None = None,
    expected: ItemKind | None = None,
) -> Deletion:
    """Delete a CRM appointment or task (of the `expected` kind, when given); its Exchange item
    goes too when `remove_from_exchange` (None: Dynamics' way, see
    `removes_exchange_item_by_default`)."""
    with workspace.crm.sessions() as crm:
        activity = scheduled_activity(crm, activity_id)
        kind, values = activity_values(activity)
        created_at = fields.iso(activity.created_at)
    if expected is not None and kind is not expected:
        raise CrmError(f"Activity {activity_id} is {_A[kind]}, not {_A[expected]}")
    subject = str(values.get("subject") or "")
    if remove_from_exchange is None:
        remove_from_exchange = removes_exchange_item_by_default(kind, values, datetime.now(UTC))
    exchange = ExchangeCopy.NOT_LINKED
    if account is not None:
        with workspace.local.sessions.begin() as session:
            link = link_of(session, account, activity_id)
            if link is not None and link.unlinked_at is not None:
                session.delete(link)  # unlinked before: nothing on Exchange to do
            elif link is not None:
                if link.remote_id is not None:
                    exchange = ExchangeCopy.DELETED if remove_from_exchange else ExchangeCopy.KEPT
                mark_unlinked(
                    session,
                    link,
                    Unlinked.DELETED_IN_CRM,
                    subject,
                    _deleted_message(kind, subject, exchange),
                    exchange,
                )
                enqueue_removal(session, link, subject, remove_from_exchange, created_at)
    delete_crm_activity(workspace, activity_id, subject, created_at)
    return Deletion(activity_id, kind, subject, exchange)


def delete_crm_activity(
    workspace: Workspace, activity_id: int, subject: str, created_at: str | None
) -> None:
    """Delete the CRM appointment or task with this id, subject and creation time if it is
    still there (a replay usually finds it gone, or another activity under its id)."""
    with workspace.crm.sessions.begin() as crm:
        activity = crm.get(Activity, activity_id)
        same = (
            isinstance(activity, Appointment | Task)
            and activity.subject == subject
            and fields.iso(activity.created_at) == created_at
        )
        if same:
            crm.delete(activity)


def _deleted_message(kind: ItemKind, subject: str, exchange: ExchangeCopy) -> str:
    what = f"The {kind.value} {subject!r} was deleted in Liaison"
    if exchange is ExchangeCopy.DELETED:
        return f"{what}; it is deleted on Exchange too."
    if exchange is ExchangeCopy.KEPT:
        return f"{what}; it stays on Exchange, no longer tracked."
    return f"{what} before it reached Exchange."
