"""Where each CRM appointment and task stands with Exchange, as the local state knows it: linked
to an Exchange item, waiting for sync to write it there, or unlinked for good (see
app.sync.activity_deletion). For the window's calendar and task list and `liaison crm list`."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mailbox.models import ActivityLink, MailItem, OutboxEntry
from app.sync.outbox import OutboxKind, pending


class ExchangeLink(enum.StrEnum):
    LINKED = "linked"  # paired with an Exchange item, nothing waiting
    WAITING = "waiting"  # a change (or the item itself) waits for the next sync
    UNLINKED = "unlinked"  # unlinked for good; `reason` says why


@dataclass(frozen=True, slots=True)
class LinkFacts:
    state: ExchangeLink
    on_exchange: bool  # an Exchange item is linked to it now
    reason: str | None = None  # app.sync.activity_deletion.Unlinked, when unlinked
    unlinked_at: datetime | None = None


def link_facts(session: Session, account: str) -> dict[int, LinkFacts]:
    """CRM activity id -> where it stands; an activity absent here has never been linked."""
    busy = {
        int(payload["link_id"])
        for payload in session.scalars(
            select(OutboxEntry.payload).where(
                OutboxEntry.account == account,
                pending(OutboxKind.CREATE_ITEM, OutboxKind.UPDATE_ITEM),
            )
        )
    }
    facts: dict[int, LinkFacts] = {}
    for link in session.scalars(select(ActivityLink).where(ActivityLink.account == account)):
        if link.unlinked_at is not None:
            facts[link.activity_id] = LinkFacts(
                ExchangeLink.UNLINKED, False, link.unlinked_reason, link.unlinked_at
            )
        elif link.remote_id is None or link.id in busy:
            facts[link.activity_id] = LinkFacts(ExchangeLink.WAITING, link.remote_id is not None)
        else:
            facts[link.activity_id] = LinkFacts(ExchangeLink.LINKED, True)
    return facts


def items_being_deleted(session: Session, account: str) -> set[int]:
    """Cached appointments and tasks the user deleted in Liaison whose deletion waits for the
    next sync: the window no longer shows them."""
    remote_ids = {
        payload["remote_id"]
        for payload in session.scalars(
            select(OutboxEntry.payload).where(
                OutboxEntry.account == account, pending(OutboxKind.DELETE_ITEM)
            )
        )
        if payload.get("remote_id")
    }
    if not remote_ids:
        return set()
    return set(
        session.scalars(
            select(MailItem.id).where(
                MailItem.account == account, MailItem.remote_id.in_(remote_ids)
            )
        )
    )


def pending_edits(session: Session, account: str) -> dict[str, dict[str, Any]]:
    """Changes made in Liaison to untracked Exchange appointments and tasks that wait for the
    next sync (Exchange item id -> the fields changed, later changes over earlier ones): the
    window shows them already."""
    edits: dict[str, dict[str, Any]] = {}
    for payload in session.scalars(
        select(OutboxEntry.payload)
        .where(OutboxEntry.account == account, pending(OutboxKind.EDIT_ITEM))
        .order_by(OutboxEntry.id)
    ):
        edits.setdefault(payload["remote_id"], {}).update(payload["fields"])
    return edits
