"""Liaison's extended properties on Exchange items, the MAPI properties of a follow-up flag,
and the fields sync asks the server for.

The properties live in one property set with a fixed GUID, named, so any MAPI or EWS client can
read them: the link state (0 untracked but was, 1 pending, 2 tracked), the CRM activity id, the
regarding record ("type:id"), the name of the tracking category the mark used (so the category is
found again after the user renames it) and the client id of the outbox entry that last wrote
the item (so a replay after a crash finds its earlier effect).
"""

from __future__ import annotations

from exchangelib import CalendarItem, ExtendedProperty, Message, Task
from exchangelib.items import Item
from exchangelib.properties import FieldPath

from app.sync import mark_properties as names
from app.sync.mark_properties import LIAISON_PROPERTY_SET as LIAISON_PROPERTY_SET


class _LiaisonProperty(ExtendedProperty):
    property_set_id = LIAISON_PROPERTY_SET
    property_type = "String"


class LinkStateProperty(_LiaisonProperty):
    property_name = names.LINK_STATE
    property_type = "Integer"


class ActivityIdProperty(_LiaisonProperty):
    property_name = names.ACTIVITY_ID


class RegardingProperty(_LiaisonProperty):
    property_name = names.REGARDING


class TrackCategoryProperty(_LiaisonProperty):
    property_name = names.TRACK_CATEGORY


class ClientIdProperty(_LiaisonProperty):
    property_name = names.CLIENT_ID


class FlagStatusProperty(ExtendedProperty):
    """PidTagFlagStatus (MS-OXOFLAG): absent unflagged, 1 complete, 2 flagged. Read and written
    as a MAPI property, so every Exchange version and every client agree on it."""

    property_tag = 0x1090
    property_type = "Integer"


FLAG_STATUS_TAG = 0x1090
FLAG_COMPLETE_TIME_TAG = 0x1091  # PidTagFlagCompleteTime
FOLLOWUP_ICON_TAG = 0x1095  # PidTagFollowupIcon: 6 is Outlook's red flag
RED_FLAG_ICON = 6
COMMON_PROPERTY_SET = "00062008-0000-0000-c000-000000000046"  # PSETID_Common
FLAG_REQUEST_ID = 0x8530  # PidLidFlagRequest: the flag's text, "Follow up"


# Attribute name on the exchangelib item -> property class.
LIAISON_PROPERTIES: dict[str, type[ExtendedProperty]] = {
    "liaison_link_state": LinkStateProperty,
    "liaison_activity_id": ActivityIdProperty,
    "liaison_regarding": RegardingProperty,
    "liaison_category": TrackCategoryProperty,
    "liaison_client_id": ClientIdProperty,
}
MARKED_CLASSES: tuple[type[Item], ...] = (Message, CalendarItem, Task)


def register_liaison_properties() -> None:
    """Make the properties plain attributes of messages, calendar items and tasks (once)."""
    for item_class in MARKED_CLASSES:
        for name, prop in LIAISON_PROPERTIES.items():
            if name not in {field.name for field in item_class.FIELDS}:
                item_class.register(name, prop)


register_liaison_properties()
# Named apart from anything a client of exchangelib in the same process might register.
if "mapi_flag_status" not in {field.name for field in Message.FIELDS}:
    Message.register("mapi_flag_status", FlagStatusProperty)


def field_paths(item_class: type[Item], names: tuple[str, ...]) -> frozenset[FieldPath]:
    return frozenset(FieldPath(field=item_class.get_field_by_fieldname(name)) for name in names)


_COMMON = ("subject", "categories", "sensitivity", "importance", "item_class", *LIAISON_PROPERTIES)

MESSAGE_FIELDS = field_paths(
    Message,
    (
        *_COMMON,
        "author",
        "to_recipients",
        "cc_recipients",
        "bcc_recipients",
        "datetime_received",
        "datetime_sent",
        "is_read",
        "is_draft",
        "conversation_id",
        "conversation_index",
        "message_id",
        "in_reply_to",
        "references",
        "has_attachments",
        "mapi_flag_status",
        "last_modified_time",
    ),
)
APPOINTMENT_FIELDS = field_paths(
    CalendarItem,
    (
        *_COMMON,
        "start",
        "end",
        "_start_timezone",
        "_end_timezone",
        "is_all_day",
        "location",
        "organizer",
        "type",
        "recurrence",
        "reminder_is_set",
        "reminder_minutes_before_start",
        "legacy_free_busy_status",
        "required_attendees",
        "optional_attendees",
        "resources",
        "modified_occurrences",
        "deleted_occurrences",
        "datetime_received",
        "has_attachments",
        "body",
        "text_body",
    ),
)
EXCEPTION_FIELDS = field_paths(
    CalendarItem, ("subject", "start", "end", "location", "original_start")
)
TASK_FIELDS = field_paths(
    Task,
    (
        *_COMMON,
        "start_date",
        "due_date",
        "complete_date",
        "status",
        "percent_complete",
        "reminder_is_set",
        "reminder_due_by",
        "datetime_received",
        "has_attachments",
        "body",
        "text_body",
    ),
)
BODY_FIELDS = field_paths(Message, ("body", "text_body", "attachments"))
ATTACHMENT_FIELDS = field_paths(Message, ("attachments",))
MARK_FIELDS = field_paths(Message, ("categories", *LIAISON_PROPERTIES))
