"""When an appointment or task changed in the CRM and in Exchange since the last sync.

A three-way merge, field by field, against the values both sides agreed on at the last sync:
- a field only one side changed takes that side's value;
- a field both sides changed to the same value is no conflict;
- a field both sides changed to different values is decided by this rule, and the losing value
  is reported so the sync log keeps it (nothing is dropped silently):
  * when, where and with whom (start, end, is_all_day, time_zone, recurrence, location,
    attendees): Exchange wins. The calendar is where invitations and attendees live; a time
    moved in Outlook may already have gone out to the attendees, and the CRM cannot take that
    back. Attendees are one value: their responses arrive on Exchange only. A task's start
    follows the same rule.
  * the mailbox's own settings (reminder, show_as): Exchange wins. They are the owner's
    alarm and free/busy, set where they ring and where colleagues see them.
  * task progress (status, percent_complete, completed_at): the further-along side wins
    (Completed over anything, then the higher percentage): work reported done is not undone
    by an older copy.
  * everything else (subject, body, due, priority): the CRM wins. It is the shared record the
    team works from; Exchange is one person's copy of it.
Pure: plain dictionaries in (see app.sync.activity_fields), a MergeResult out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EXCHANGE_WINS = frozenset(
    {
        "start",
        "end",
        "is_all_day",
        "time_zone",
        "recurrence",
        "location",
        "attendees",
        "reminder",
        "show_as",
    }
)
PROGRESS = frozenset({"status", "percent_complete", "completed_at"})


class Side(enum.StrEnum):
    CRM = "crm"
    EXCHANGE = "exchange"


@dataclass(frozen=True, slots=True)
class LostValue:
    field: str
    kept: Side
    kept_value: Any
    lost_value: Any

    @property
    def lost(self) -> Side:
        return Side.EXCHANGE if self.kept is Side.CRM else Side.CRM

    def describe(self) -> str:
        return (
            f"{self.field}: kept the {self.kept.value} value {self.kept_value!r}, "
            f"the {self.lost.value} value {self.lost_value!r} lost"
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    merged: dict[str, Any]
    to_crm: dict[str, Any]  # fields the CRM must change to reach `merged`
    to_exchange: dict[str, Any]  # fields Exchange must change
    lost: tuple[LostValue, ...]


def merge(
    base: Mapping[str, Any], crm: Mapping[str, Any], exchange: Mapping[str, Any]
) -> MergeResult:
    """Merge the CRM's and Exchange's values of one item against the last agreed `base`."""
    merged: dict[str, Any] = {}
    lost: list[LostValue] = []
    for name in dict.fromkeys((*base, *crm, *exchange)):
        old, ours, theirs = base.get(name), crm.get(name), exchange.get(name)
        if ours == theirs:
            merged[name] = ours
        elif ours == old:
            merged[name] = theirs
        elif theirs == old:
            merged[name] = ours
        else:
            winner = _winner(name, crm, exchange)
            kept, gone = (ours, theirs) if winner is Side.CRM else (theirs, ours)
            merged[name] = kept
            lost.append(LostValue(name, winner, kept, gone))
    return MergeResult(
        merged=merged,
        to_crm={k: v for k, v in merged.items() if crm.get(k) != v},
        to_exchange={k: v for k, v in merged.items() if exchange.get(k) != v},
        lost=tuple(lost),
    )


def _winner(name: str, crm: Mapping[str, Any], exchange: Mapping[str, Any]) -> Side:
    if name in EXCHANGE_WINS:
        return Side.EXCHANGE
    if name in PROGRESS:
        return _further_along(crm, exchange)
    return Side.CRM


def _further_along(crm: Mapping[str, Any], exchange: Mapping[str, Any]) -> Side:
    def progress(values: Mapping[str, Any]) -> tuple[bool, int]:
        return values.get("status") == "Completed", int(values.get("percent_complete") or 0)

    return Side.EXCHANGE if progress(exchange) > progress(crm) else Side.CRM
