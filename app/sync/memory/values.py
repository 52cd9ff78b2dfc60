"""Values as the in-memory server writes them: change keys, what a client may write and what
the server completes, message ids and conversations."""

from __future__ import annotations

import base64
import itertools
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.sync import activity_fields
from app.sync.backend import ItemKind, LinkState, RemoteMark
from app.sync.errors import ChangeConflict

if TYPE_CHECKING:
    from app.sync.memory.mailbox import StoredItem


_CHANGE_KEY_PREFIX = "CQAAABYAAAB"


def change_key_of(number: int) -> str:
    return f"{_CHANGE_KEY_PREFIX}{number}"


def check_change_key(item: StoredItem, change_key: str | None, written: Iterable[str]) -> None:
    """Exchange's AutoResolve: an older change key conflicts only with fields written since."""
    if change_key is None:
        return
    try:
        number = int(change_key.removeprefix(_CHANGE_KEY_PREFIX))
    except ValueError:
        raise ChangeConflict("The change key is invalid") from None
    if number > item.number:
        raise ChangeConflict("The change key is invalid")
    if number < item.number and any(item.versions.get(name, 0) > number for name in written):
        raise ChangeConflict(
            "The item was changed since it was read; the change conflicts with this one"
        )


def as_a_client_writes(fields: dict[str, Any]) -> dict[str, Any]:
    """What of these fields a sync client can write: a recurrence's pattern and range, not
    its exceptions (they are occurrences of their own); a task's completion is the server's."""
    written = {name: value for name, value in fields.items() if name != "completed_at"}
    recurrence = written.get("recurrence")
    if recurrence:
        written["recurrence"] = {**recurrence, "modified": [], "deleted": []}
    return written


def completed(kind: ItemKind, details: dict[str, Any], organizer: str) -> dict[str, Any]:
    """The fields as Exchange keeps them: an organizer and a type for an appointment; a task
    is Completed exactly when it is 100 % done, with the day it was completed."""
    if kind is ItemKind.APPOINTMENT:
        recurrence = details.get("recurrence")
        if recurrence:
            recurrence = stored_recurrence(recurrence)
        return {
            **details,
            "recurrence": recurrence,
            "organizer": organizer,
            "calendar_type": "RecurringMaster" if recurrence else "Single",
        }
    if details["status"] == "Completed" or details["percent_complete"] == 100:
        today = datetime.combine(now().date(), datetime.min.time(), UTC)
        return {
            **details,
            "status": "Completed",
            "percent_complete": 100,
            "completed_at": details.get("completed_at") or activity_fields.iso(today),
        }
    return {**details, "completed_at": None}


def stored_recurrence(value: dict[str, Any]) -> dict[str, Any]:
    """A recurrence as the server keeps it: an end date or a count (the end date wins), and
    the lists of modified and deleted occurrences."""
    end = value.get("end") or None
    return {
        **value,
        "end": end,
        "count": None if end else (int(value["count"]) if value.get("count") else None),
        "modified": list(value.get("modified") or []),
        "deleted": list(value.get("deleted") or []),
    }


def mark_categories(mark: RemoteMark) -> tuple[str, ...]:
    return (mark.category,) if mark.category and mark.link_state is LinkState.TRACKED else ()


def now() -> datetime:
    return datetime.now(UTC)


_MESSAGE_NUMBERS = itertools.count(1)


def new_message_id(address: str) -> str:
    domain = address.rsplit("@", 1)[-1]
    return f"<{uuid.uuid4().hex}.{next(_MESSAGE_NUMBERS)}@{domain}>"


def new_conversation_index() -> str:
    """A conversation's first index (hex): a reserved byte, the time, and a GUID (22 bytes)."""
    stamp = int(time.time() * 10_000_000).to_bytes(8, "big")[:5]
    return (b"\x01" + stamp + uuid.uuid4().bytes).hex()


def conversation_id(index_hex: str) -> str:
    """Exchange's conversation id: the GUID of the conversation's first index."""
    root = bytes.fromhex(index_hex)[6:22]
    return base64.b64encode(b"\x01\x00\x10\x00" + root).decode("ascii")
