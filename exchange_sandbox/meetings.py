"""Meeting responses and cancellations, as Exchange and its calendar attendant process them.

An attendee answers a meeting request (or the meeting in their calendar) with AcceptItem,
TentativelyAcceptItem or DeclineItem: their calendar item takes the answer (a declined meeting
leaves the calendar), the request goes to Deleted Items, and a MeetingResponse goes to the
organizer, whose calendar item records the attendee's answer when it arrives. The organizer
cancels with CancelCalendarItem: each attendee gets a MeetingCancellation and their calendar
item is marked cancelled; the organizer's meeting goes to Deleted Items. RemoveItem takes a
cancelled meeting out of an attendee's calendar. Meetings are matched across mailboxes by UID.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from . import deletion, ids
from .context import Context
from .errors import EwsError, schema_violation
from .itemwrite import ParsedItem, finalize, new_item
from .model import Folder, Item, Mailbox
from .render import item_id_xml
from .schema import kind_of
from .sending import send_message
from .values import Address, Attendee, now
from .xmlkit import child, children, element, local_name

MEETING_RESPONSES = frozenset(
    {"AcceptItem", "TentativelyAcceptItem", "DeclineItem", "CancelCalendarItem", "RemoveItem"}
)
_ATTENDEE_LISTS = ("RequiredAttendees", "OptionalAttendees", "Resources")
# What an attendee may add to a response or an organizer to a cancellation.
_GIVEN = ("Subject", "Body", "Sensitivity", "ToRecipients", "CcRecipients", "BccRecipients")


@dataclass(frozen=True)
class _Answer:
    response_type: str  # the attendee's ResponseType, also named in ErrorCalendarIsCancelledFor*
    subject_prefix: str
    item_class: str
    free_busy: str | None  # what the attendee's calendar shows; None: the meeting leaves it


_ANSWERS = {
    "AcceptItem": _Answer("Accept", "Accepted: ", "IPM.Schedule.Meeting.Resp.Pos", "Busy"),
    "TentativelyAcceptItem": _Answer(
        "Tentative", "Tentative: ", "IPM.Schedule.Meeting.Resp.Tent", "Tentative"
    ),
    "DeclineItem": _Answer("Decline", "Declined: ", "IPM.Schedule.Meeting.Resp.Neg", None),
}


def respond(ctx: Context, elem: etree._Element, disposition: str, saved_in: Folder | None) -> str:
    """Handle one response object of CreateItem; the m:Items content of its answer."""
    kind = local_name(elem)
    reference = child(elem, "ReferenceItemId")
    if reference is None:
        raise schema_violation(f"The element '{kind}' has incomplete content.")
    target = ctx.item(reference)
    given = _given(elem)
    if kind == "CancelCalendarItem":
        return _cancel(ctx, target.mailbox, target.item, given, disposition, saved_in)
    if kind == "RemoveItem":
        return _remove(ctx, target.mailbox, target.item)
    return _answer(ctx, target.mailbox, target.item, _ANSWERS[kind], given, disposition, saved_in)


def _given(elem: etree._Element) -> dict[str, object]:
    props = {}
    for sub in children(elem):
        name = local_name(sub)
        if name in _GIVEN:
            props[name] = kind_of(name).parse(sub)
        elif name == "NewBodyContent":
            props["Body"] = kind_of("Body").parse(sub)
    return props


def _default_calendar_meeting(mailbox: Mailbox, uid: str | None) -> Item | None:
    if not uid:
        return None
    calendar = mailbox.distinguished["calendar"]
    return next(
        (
            item
            for item in calendar.items.values()
            if item.item_type == "CalendarItem" and item.props.get("UID") == uid
        ),
        None,
    )


def _request_in_inbox(mailbox: Mailbox, uid: str | None) -> Item | None:
    inbox = mailbox.distinguished["inbox"]
    return next(
        (
            item
            for item in inbox.items.values()
            if item.item_type == "MeetingRequest" and uid and item.props.get("UID") == uid
        ),
        None,
    )


def _associated_id(mailbox: Mailbox, meeting: Item) -> str:
    return element(
        "t:AssociatedCalendarItemId",
        Id=ids.item_id(mailbox.guid, meeting.uuid),
        ChangeKey=ids.change_key(meeting.change_number),
    )


def _meeting_message(
    ctx: Context,
    mailbox: Mailbox,
    item_type: str,
    meeting: Item,
    extra: dict[str, object],
    is_draft: bool,
) -> Item:
    """A MeetingResponse or MeetingCancellation about `meeting`, from this mailbox."""
    props: dict[str, object] = {
        name: meeting.props[name]
        for name in ("UID", "Start", "End", "Location", "IsAllDayEvent", "Recurrence")
        if name in meeting.props
    }
    props.update(extra)
    return new_item(ParsedItem(item_type, props), mailbox, is_draft, ctx.store.mailboxes)


def _dispatch(
    ctx: Context, mailbox: Mailbox, message: Item, disposition: str, saved_in: Folder | None
) -> Item | None:
    """Save, send, or send and keep a meeting message; the item kept, if one is."""
    if disposition == "SaveOnly":
        return ctx.store.add_item(mailbox, saved_in or mailbox.distinguished["drafts"], message)
    kept = None
    if disposition == "SendAndSaveCopy":
        kept = saved_in or mailbox.distinguished["sentitems"]
    for recipient, copy in send_message(ctx, mailbox, message, kept):
        _process_arrival(ctx, recipient, copy)
    return message if kept is not None else None


def _items_xml(mailbox: Mailbox, items: list[Item | None]) -> str:
    parts = [f"<t:{i.item_type}>{item_id_xml(mailbox, i)}</t:{i.item_type}>" for i in items if i]
    return f"<m:Items>{''.join(parts)}</m:Items>"


# --- attendees answering ---------------------------------------------------------------


def _answer(
    ctx: Context,
    mailbox: Mailbox,
    item: Item,
    answer: _Answer,
    given: dict[str, object],
    disposition: str,
    saved_in: Folder | None,
) -> str:
    if item.item_type == "MeetingRequest":
        request, meeting = item, _default_calendar_meeting(mailbox, item.props.get("UID"))
    elif item.item_type == "CalendarItem":
        meeting, request = item, _request_in_inbox(mailbox, item.props.get("UID"))
    else:
        raise EwsError("ErrorInvalidReferenceItem", "Only a meeting can be answered.")
    about = meeting or item
    organizer = about.props.get("Organizer") or about.props.get("From")
    if organizer is None or organizer.key == mailbox.address.casefold():
        raise EwsError(f"ErrorCalendarIsOrganizerFor{answer.response_type}")
    if about.props.get("IsCancelled"):
        raise EwsError(f"ErrorCalendarIsCancelledFor{answer.response_type}")
    extra: dict[str, object] = {
        "Subject": answer.subject_prefix + about.props.get("Subject", ""),
        "ToRecipients": [organizer],
        "ResponseType": answer.response_type,
        "ItemClass": answer.item_class,
        **given,
    }
    response = _meeting_message(
        ctx, mailbox, "MeetingResponse", about, extra, disposition == "SaveOnly"
    )
    if meeting is not None:
        meeting = _record_own_answer(ctx, mailbox, meeting, request, answer)
    if request is not None:
        deletion.delete_item(ctx.store, mailbox, request, "MoveToDeletedItems")
    kept = _dispatch(ctx, mailbox, response, disposition, saved_in)
    return _items_xml(mailbox, [meeting, kept])


def _record_own_answer(
    ctx: Context, mailbox: Mailbox, meeting: Item, request: Item | None, answer: _Answer
) -> Item | None:
    """The attendee's calendar after answering; None when the meeting left it."""
    if answer.free_busy is None:
        deletion.delete_item(ctx.store, mailbox, meeting, "MoveToDeletedItems")
        return None
    intended = request.props.get("IntendedFreeBusyStatus") if request is not None else None
    meeting.props["MyResponseType"] = answer.response_type
    meeting.props["LegacyFreeBusyStatus"] = (
        intended if answer.free_busy == "Busy" and intended else answer.free_busy
    )
    meeting.props["AppointmentReplyTime"] = now()
    finalize(meeting, mailbox, ctx.store.mailboxes)
    ctx.store.item_changed(
        mailbox, meeting, {"MyResponseType", "LegacyFreeBusyStatus", "AppointmentReplyTime"}
    )
    return meeting


# --- organizers cancelling ---------------------------------------------------------------


def _cancel(
    ctx: Context,
    mailbox: Mailbox,
    meeting: Item,
    given: dict[str, object],
    disposition: str,
    saved_in: Folder | None,
) -> str:
    if meeting.item_type != "CalendarItem":
        raise EwsError("ErrorInvalidReferenceItem", "Only a meeting can be cancelled.")
    organizer = meeting.props.get("Organizer")
    if organizer is not None and organizer.key != mailbox.address.casefold():
        raise EwsError("ErrorCalendarIsNotOrganizer")
    attendees: list[Address] = [
        a.address for name in _ATTENDEE_LISTS for a in meeting.props.get(name, [])
    ]
    if attendees:
        extra: dict[str, object] = {
            "Subject": "Canceled: " + meeting.props.get("Subject", ""),
            "ToRecipients": attendees,
            "Importance": "High",
            "ItemClass": "IPM.Schedule.Meeting.Canceled",
            **given,
        }
        cancellation = _meeting_message(
            ctx, mailbox, "MeetingCancellation", meeting, extra, disposition == "SaveOnly"
        )
        _dispatch(ctx, mailbox, cancellation, disposition, saved_in)
    deletion.delete_item(ctx.store, mailbox, meeting, "MoveToDeletedItems")
    return "<m:Items/>"


def _remove(ctx: Context, mailbox: Mailbox, cancellation: Item) -> str:
    if cancellation.item_type != "MeetingCancellation":
        raise EwsError("ErrorInvalidItemForOperationRemoveItem")
    meeting = _default_calendar_meeting(mailbox, cancellation.props.get("UID"))
    if meeting is not None:
        deletion.delete_item(ctx.store, mailbox, meeting, "MoveToDeletedItems")
    deletion.delete_item(ctx.store, mailbox, cancellation, "MoveToDeletedItems")
    return "<m:Items/>"


# --- the calendar attendant of the receiving mailbox -------------------------------------


def _process_arrival(ctx: Context, recipient: Mailbox, message: Item) -> None:
    """What Exchange does when a meeting response or cancellation lands in an Inbox."""
    meeting = _default_calendar_meeting(recipient, message.props.get("UID"))
    if meeting is None:
        return
    if message.item_type == "MeetingResponse":
        _record_attendee_answer(ctx, recipient, meeting, message)
    elif message.item_type == "MeetingCancellation":
        _mark_cancelled(ctx, recipient, meeting, message)
    message.props["AssociatedCalendarItemId"] = _associated_id(recipient, meeting)
    message.props["HasBeenProcessed"] = True
    ctx.store.item_changed(recipient, message, {"AssociatedCalendarItemId", "HasBeenProcessed"})


def _record_attendee_answer(
    ctx: Context, organizer: Mailbox, meeting: Item, response: Item
) -> None:
    author = response.props.get("From")
    if author is None:
        return
    answered = now()
    changed = set()
    for name in _ATTENDEE_LISTS:
        attendees: list[Attendee] = meeting.props.get(name, [])
        if any(a.address.key == author.key for a in attendees):
            meeting.props[name] = [
                Attendee(a.address, response.props["ResponseType"], answered)
                if a.address.key == author.key
                else a
                for a in attendees
            ]
            changed.add(name)
    if changed:
        ctx.store.item_changed(organizer, meeting, changed)


def _mark_cancelled(ctx: Context, attendee: Mailbox, meeting: Item, cancellation: Item) -> None:
    meeting.props["IsCancelled"] = True
    meeting.props["Subject"] = cancellation.props.get("Subject", "")
    meeting.props["LegacyFreeBusyStatus"] = "Free"
    finalize(meeting, attendee, ctx.store.mailboxes)
    ctx.store.item_changed(
        attendee,
        meeting,
        {"IsCancelled", "Subject", "LegacyFreeBusyStatus", "AppointmentState"},
    )
