"""Where Liaison's mark lives on a server item, in MAPI terms every backend shares: one named
property set with a fixed GUID, and the names of its properties. EWS names them by
PropertySetId and PropertyName, Graph by "String {guid} Name ..."; both reach the same MAPI
property, so a mark one backend writes the other reads.

A property a mark leaves out is deleted where the protocol can delete (EWS); Graph cannot
delete an extended property, so it writes the value both backends read as absent: "" for the
strings, -1 for the link state.
"""

from __future__ import annotations

LIAISON_PROPERTY_SET = "3b8f5a1e-6c2d-4e7f-9a41-5d0c7e2b8f63"
LINK_STATE = "LinkState"  # Integer: 0 untracked but was, 1 pending, 2 tracked
ACTIVITY_ID = "ActivityId"
REGARDING = "Regarding"
TRACK_CATEGORY = "TrackCategory"
CLIENT_ID = "ClientId"
ABSENT_LINK_STATE = "-1"
FLAG_STATUS_TAG = 0x1090  # PidTagFlagStatus: absent unflagged, 1 complete, 2 flagged
