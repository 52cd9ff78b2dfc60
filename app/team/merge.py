"""The field-level merge of an edit made offline with what the shared store has now.

An offline edit carries, per changed field, the value the client started from (its base) and
the value it wrote, plus the row version it had. Applied to the store, field by field:

1. Nobody else changed the field since the base (store value == base): the client's value.
2. The store already has the client's value: nothing to do.
3. Both changed it to different values: the later edit wins. The client's edit time (its clock
   when it wrote the replica) is compared with the row's `modified_at`, which the store sets
   to the time of the latest edit it applied. The losing value is written to `record_history`
   with the field, who lost (the client's user when the client's value lost) and when, so it
   is never silently dropped. Fields of a table with no `modified_at`: the arriving edit wins,
   and the value it replaced goes to the history.
4. A field whose base the client never loaded: like 1 when the row version is the one the
   client had, like 3 otherwise.

Fields the edit did not touch are never written, which is the difference from the reference
product: there, the last writer's whole record overwrites everyone else's edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_UNSET = object()


@dataclass(frozen=True, slots=True)
class FieldMerge:
    write: bool  # store `value` in the field
    value: Any
    lost: Any = _UNSET  # the value that lost a conflict, if there was one
    client_lost: bool = False

    @property
    def conflict(self) -> bool:
        return self.lost is not _UNSET


def merge_field(
    current: Any, change: dict[str, Any], same_version: bool, client_later: bool
) -> FieldMerge:
    """Merge one field; all values in their encoded (JSON) form, so they compare exactly."""
    new = change["new"]
    if current == new:
        return FieldMerge(write=False, value=current)
    base_known = "base" in change
    untouched = change["base"] == current if base_known else same_version
    if untouched:
        return FieldMerge(write=True, value=new)
    if client_later:
        return FieldMerge(write=True, value=new, lost=current)
    return FieldMerge(write=False, value=current, lost=new, client_lost=True)
