"""Answering a meeting: CreateItem's AcceptItem, TentativelyAcceptItem and DeclineItem.

As Exchange does it: the attendee's own calendar item takes the answer (MyResponseType, and
its free/busy: Busy when accepted, Tentative when tentative; declined, it goes to Deleted
Items), the meeting request answered goes to Deleted Items, and unless the answer is only saved
(MessageDisposition SaveOnly) the organizer's calendar item records it on that attendee
(ResponseType, LastResponseTime), as the organizer's mailbox does when the answer arrives.

Departure: the answer is not also delivered to the organizer's Inbox as a MeetingResponse
message; only its effect on the organizer's calendar item is kept.
"""

from __future__ import annotations

from lxml import etree

from .context import Context
from .errors import EwsError, schema_violation
from .model import Item, Mailbox
from .values import Attendee, now
from .xmlkit import child, local_name

MEETING_RESPONSES = {
    "AcceptItem": "Accept",
    "TentativelyAcceptItem": "Tentative",
    "DeclineItem": "Decline",
}
_FREE_BUSY = {"Accept": "Busy", "Tentative": "Tentative"}
_ATTENDEE_LISTS = ("RequiredAttendees", "OptionalAttendees", "Resources")


def respond(ctx: Context, mailbox: Mailbox, elem: etree._Element, disposition: str | None) -> None:
    kind = local_name(elem)
    reference = child(elem, "ReferenceItemId")
    if reference is None:
        raise schema_violation(f"The element '{kind}' has incomplete content.")
    target = ctx.item(reference)
    original = target.item
    if original.item_type not in ("MeetingRequest", "CalendarItem"):
        raise EwsError(
            "ErrorInvalidReferenceItem",
            "The reference item does not support the requested operation.",
        )
    organizer = original.props.get("Organizer")
    if organizer is None or organizer.key == mailbox.address.casefold():
        raise EwsError(
            "ErrorInvalidReferenceItem", "The organizer cannot respond to their own meeting."
        )
    answer = MEETING_RESPONSES[kind]
    uid = original.props.get("UID")
    appointment = original if original.item_type == "CalendarItem" else _by_uid(mailbox, uid)
    trash = mailbox.distinguished["deleteditems"]
    if appointment is not None:
        appointment.props["MyResponseType"] = answer
        appointment.props["AppointmentReplyTime"] = now()
        changed: set[object] = {"MyResponseType", "AppointmentReplyTime"}
        if answer in _FREE_BUSY:
            appointment.props["LegacyFreeBusyStatus"] = _FREE_BUSY[answer]
            changed.add("LegacyFreeBusyStatus")
        ctx.store.item_changed(mailbox, appointment, changed)
        if answer == "Decline":
            ctx.store.move_item(mailbox, appointment, trash)
    if original.item_type == "MeetingRequest" and original.folder != trash.uuid:
        ctx.store.move_item(mailbox, original, trash)
    if disposition != "SaveOnly":
        _record_answer(ctx, organizer.email, uid, mailbox, answer)


def _by_uid(mailbox: Mailbox, uid: str | None) -> Item | None:
    if not uid:
        return None
    calendar = mailbox.distinguished["calendar"]
    return next((item for item in calendar.items.values() if item.props.get("UID") == uid), None)


def _record_answer(
    ctx: Context, organizer_address: str, uid: str | None, attendee: Mailbox, answer: str
) -> None:
    """The organizer's calendar item (when the organizer has a mailbox here) takes the answer
    on the attendee's entry."""
    organizer = ctx.store.mailbox(organizer_address)
    meeting = _by_uid(organizer, uid) if organizer is not None else None
    if organizer is None or meeting is None:
        return
    who = attendee.address.casefold()
    changed: set[object] = set()
    for name in _ATTENDEE_LISTS:
        entries = meeting.props.get(name)
        if not entries:
            continue
        answered = [
            Attendee(entry.address, answer, now()) if entry.address.key == who else entry
            for entry in entries
        ]
        if answered != entries:
            meeting.props[name] = answered
            changed.add(name)
    if changed:
        ctx.store.item_changed(organizer, meeting, changed)
