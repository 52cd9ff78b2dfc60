"""GetItem, CreateItem, UpdateItem, DeleteItem, MoveItem, CopyItem, SendItem."""

from __future__ import annotations

from lxml import etree

from .. import deletion, ids, meetings, tasks
from ..context import Context, ItemTarget
from ..deletion import DELETE_TYPES
from ..errors import EwsError, enumerated, schema_violation
from ..itemwrite import (
    apply_change,
    check_change_key,
    finalize,
    new_item,
    parse_changes,
    parse_item,
    touches_mime,
)
from ..meetings import MEETING_RESPONSES
from ..model import Folder, Item, Mailbox
from ..render import item_id_xml
from ..responses import RESPONSE_OBJECTS, build_response
from ..sending import send_message
from ..shapes import ItemShape, parse_item_shape
from ..store import duplicate, new_guid
from ..xmlkit import child, children, element, local_name
from .registry import each, operation

_ITEM_ID_ELEMENTS = ("ItemId", "OccurrenceItemId", "RecurringMasterItemId")
_DISPOSITIONS = ("SaveOnly", "SendOnly", "SendAndSaveCopy")
_INVITATIONS_SENT = (
    "SendOnlyToAll",
    "SendToAllAndSaveCopy",
    "SendOnlyToChanged",
    "SendToChangedAndSaveCopy",
)
_FOLDER_CLASS_FOR_TYPE = {
    "CalendarItem": ("IPF.Appointment", "ErrorCannotCreateCalendarItemInNonCalendarFolder"),
    "Contact": ("IPF.Contact", "ErrorCannotCreateContactInNonContactFolder"),
    "DistributionList": ("IPF.Contact", "ErrorCannotCreateContactInNonContactFolder"),
    "Task": ("IPF.Task", "ErrorCannotCreateTaskInNonTaskFolder"),
}
_DEFAULT_FOLDER = {
    "CalendarItem": "calendar",
    "Contact": "contacts",
    "DistributionList": "contacts",
    "Task": "tasks",
}


def item_ids(container: etree._Element | None) -> list[etree._Element]:
    if container is None:
        return []
    return [sub for sub in children(container) if local_name(sub) in _ITEM_ID_ELEMENTS]


def render_target(ctx: Context, target: ItemTarget, shape: ItemShape) -> str:
    renderer = ctx.services.renderer
    if target.occurrence_start is None:
        return renderer.item(target.mailbox, target.item, shape)
    calendar = ctx.services.calendar
    occurrence = calendar.find(target.item, target.occurrence_start)
    view = calendar.view(target.item, occurrence)
    return renderer.item(
        target.mailbox, view, shape, calendar.identity(target.mailbox, target.item, occurrence)
    )


@operation("GetItem")
def get_item(ctx: Context, request: etree._Element) -> str:
    shape = parse_item_shape(child(request, "ItemShape"))

    def one(elem: etree._Element) -> str:
        return f"<m:Items>{render_target(ctx, ctx.item(elem), shape)}</m:Items>"

    return each("GetItem", item_ids(child(request, "ItemIds")), one, "<m:Items/>")


def _saved_folder(ctx: Context, request: etree._Element) -> tuple[Mailbox, Folder] | None:
    saved = child(request, "SavedItemFolderId")
    if saved is None:
        return None
    folder_ids = ctx.folders_in(saved)
    if not folder_ids:
        raise schema_violation("The element 'SavedItemFolderId' has incomplete content.")
    return ctx.folder(folder_ids[0])


def _check_folder_fits(item: Item, folder: Folder) -> None:
    required = _FOLDER_CLASS_FOR_TYPE.get(item.item_type)
    if required and not (folder.folder_class or "").startswith(required[0]):
        raise EwsError(required[1], f"A {item.item_type} cannot be created in this folder.")


def _created(mailbox: Mailbox, item: Item) -> str:
    attachments = ""
    if item.attachments:
        attachments = (
            "<t:Attachments>"
            + "".join(
                f"<t:{'FileAttachment' if a.is_file else 'ItemAttachment'}>"
                + element("t:AttachmentId", Id=ids.attachment_id(mailbox.guid, item.uuid, a.uuid))
                + f"</t:{'FileAttachment' if a.is_file else 'ItemAttachment'}>"
                for a in item.attachments
            )
            + "</t:Attachments>"
        )
    tag = f"t:{item.item_type}"
    return f"<m:Items><{tag}>{item_id_xml(mailbox, item)}{attachments}</{tag}></m:Items>"


@operation("CreateItem")
def create_item(ctx: Context, request: etree._Element) -> str:
    disposition = request.get("MessageDisposition")
    if disposition is not None and disposition not in _DISPOSITIONS:
        raise schema_violation(f"The 'MessageDisposition' attribute is invalid - '{disposition}'.")
    invitations = request.get("SendMeetingInvitations", "SendToNone")
    target = _saved_folder(ctx, request)
    items = child(request, "Items")

    def one(elem: etree._Element) -> str:
        mailbox = target[0] if target else ctx.user
        if local_name(elem) in MEETING_RESPONSES:
            if disposition is None:
                raise EwsError("ErrorMessageDispositionRequired", "MessageDisposition is required.")
            return meetings.respond(ctx, elem, disposition, target[1] if target else None)
        if local_name(elem) in RESPONSE_OBJECTS:
            parsed = build_response(ctx, mailbox, elem)
        else:
            parsed = parse_item(elem)
        if parsed.item_type == "Message":
            if disposition is None:
                raise EwsError("ErrorMessageDispositionRequired", "MessageDisposition is required.")
            item = new_item(parsed, mailbox, disposition == "SaveOnly", ctx.store.mailboxes)
            if disposition == "SaveOnly":
                folder = target[1] if target else mailbox.distinguished["drafts"]
                ctx.store.add_item(mailbox, folder, item)
                return _created(mailbox, item)
            saved_in = None
            if disposition == "SendAndSaveCopy":
                saved_in = target[1] if target else mailbox.distinguished["sentitems"]
            send_message(ctx, mailbox, item, saved_in)
            return "<m:Items/>"
        item = new_item(parsed, mailbox, False, ctx.store.mailboxes)
        folder = (
            target[1]
            if target
            else mailbox.distinguished[_DEFAULT_FOLDER.get(item.item_type, "drafts")]
        )
        _check_folder_fits(item, folder)
        if (
            item.item_type == "CalendarItem"
            and item.props.get("IsMeeting")
            and invitations in _INVITATIONS_SENT
        ):
            item.props["MeetingRequestWasSent"] = True
            ctx.store.add_item(mailbox, folder, item)
            ctx.services.transport.deliver_sent(mailbox, item)
        else:
            ctx.store.add_item(mailbox, folder, item)
        return _created(mailbox, item)

    return each("CreateItem", children(items), one, "<m:Items/>")


def _update_occurrence(
    ctx: Context, target: ItemTarget, request: etree._Element, change_elem: etree._Element
) -> Item:
    calendar = ctx.services.calendar
    master = target.item
    assert target.occurrence_start is not None
    occurrence = calendar.find(master, target.occurrence_start)
    view = calendar.view(master, occurrence)
    changes = parse_changes(_updates(change_elem))
    keys = {c.key for c in changes}
    check_change_key(master, target.change_key, request.get("ConflictResolution", ""), keys)
    for change in changes:
        apply_change(view, change)
    finalize(view, target.mailbox, ctx.store.mailboxes)
    calendar.keep_exception(ctx.store, target.mailbox, master, occurrence, view, keys)
    return view


def _updates(change_elem: etree._Element) -> etree._Element:
    updates = child(change_elem, "Updates")
    if updates is None:
        raise schema_violation("The element 'ItemChange' has incomplete content.")
    return updates


@operation("UpdateItem")
def update_item(ctx: Context, request: etree._Element) -> str:
    resolution = enumerated(
        request, "ConflictResolution", ("NeverOverwrite", "AutoResolve", "AlwaysOverwrite")
    )
    disposition = request.get("MessageDisposition")
    target_folder = _saved_folder(ctx, request)
    changes_elem = child(request, "ItemChanges")

    def one(change_elem: etree._Element) -> str:
        id_elems = item_ids(change_elem)
        if not id_elems:
            raise schema_violation("The element 'ItemChange' has incomplete content.")
        target = ctx.item(id_elems[0])
        mailbox, item = target.mailbox, target.item
        if target.occurrence_start is not None:
            _update_occurrence(ctx, target, request, change_elem)
            occurrence = ctx.services.calendar.find(item, target.occurrence_start)
            identity = ctx.services.calendar.identity(mailbox, item, occurrence)
            return f"<m:Items><t:CalendarItem>{identity}</t:CalendarItem></m:Items>" + _NO_CONFLICTS
        changes = parse_changes(_updates(change_elem))
        keys = {c.key for c in changes}
        check_change_key(item, target.change_key, resolution, keys)
        refused = (
            ctx.faults.item_write_fault(str(item.props.get("Subject", ""))) if ctx.faults else None
        )
        if refused is not None:
            raise EwsError(refused)
        was_completed = item.props.get("Status") == "Completed"
        for change in changes:
            apply_change(item, change)
        if "Recurrence" in keys:
            # A new pattern drops the series' exceptions and deleted occurrences, as
            # Exchange (and Outlook, which warns) does.
            item.exceptions.clear()
            item.deleted_occurrences.clear()
        if touches_mime(keys) and "MimeContent" not in keys:
            item.mime = None
        finalize(item, mailbox, ctx.store.mailboxes)
        directory = ctx.store.mailboxes
        if not was_completed and tasks.complete_occurrence(ctx.store, mailbox, item, directory):
            keys |= tasks.ADVANCED
        ctx.store.item_changed(mailbox, item, keys, read_flag_only=keys == {"IsRead"})
        if item.item_type == "Message" and disposition in ("SendOnly", "SendAndSaveCopy"):
            if not item.props.get("IsDraft"):
                raise EwsError("ErrorInvalidItemForOperationSendItem", "Only drafts can be sent.")
            ctx.store.remove_item(mailbox, item, publish=False)
            saved_in = None
            if disposition == "SendAndSaveCopy":
                saved_in = target_folder[1] if target_folder else mailbox.distinguished["sentitems"]
            item.uuid = new_guid()
            send_message(ctx, mailbox, item, saved_in)
            return "<m:Items/>" + _NO_CONFLICTS
        return _moved(mailbox, item) + _NO_CONFLICTS

    return each("UpdateItem", children(changes_elem), one, "<m:Items/>")


_NO_CONFLICTS = "<m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"


@operation("DeleteItem")
def delete_item(ctx: Context, request: etree._Element) -> str:
    delete_type = enumerated(request, "DeleteType", DELETE_TYPES)

    def one(elem: etree._Element) -> str:
        target = ctx.item(elem)
        mailbox, item = target.mailbox, target.item
        if target.occurrence_start is not None:
            ctx.services.calendar.find(item, target.occurrence_start)
            item.deleted_occurrences.add(target.occurrence_start)
            item.exceptions.pop(target.occurrence_start, None)
            ctx.store.item_changed(mailbox, item, {"DeletedOccurrences"})
            return ""
        deletion.delete_item(ctx.store, mailbox, item, delete_type)
        return ""

    return each("DeleteItem", item_ids(child(request, "ItemIds")), one)


def _moved(mailbox: Mailbox, item: Item) -> str:
    return (
        f"<m:Items><t:{item.item_type}>{item_id_xml(mailbox, item)}</t:{item.item_type}></m:Items>"
    )


def _movable(
    ctx: Context, request: etree._Element, elem: etree._Element, done: str
) -> tuple[ItemTarget, Folder]:
    """The item a MoveItem/CopyItem names and its destination, refused as Exchange refuses them;
    `done` is the verb for the messages ("moved", "copied")."""
    destination_mailbox, destination = ctx.to_folder(request)
    target = ctx.item(elem)
    if target.mailbox is not destination_mailbox:
        raise EwsError("ErrorCrossMailboxMoveCopy", f"Items cannot be {done} between mailboxes.")
    if target.occurrence_start is not None:
        raise EwsError(
            "ErrorCalendarCannotMoveOrCopyOccurrence", f"An occurrence cannot be {done}."
        )
    return target, destination


@operation("MoveItem")
def move_item(ctx: Context, request: etree._Element) -> str:
    def one(elem: etree._Element) -> str:
        target, destination = _movable(ctx, request, elem, "moved")
        moved = ctx.store.move_item(target.mailbox, target.item, destination)
        return _moved(target.mailbox, moved)

    return each("MoveItem", item_ids(child(request, "ItemIds")), one, "<m:Items/>")


@operation("CopyItem")
def copy_item(ctx: Context, request: etree._Element) -> str:
    def one(elem: etree._Element) -> str:
        target, destination = _movable(ctx, request, elem, "copied")
        placed = ctx.store.copy_item(
            target.mailbox, target.item, destination, duplicate(target.item)
        )
        return _moved(target.mailbox, placed)

    return each("CopyItem", item_ids(child(request, "ItemIds")), one, "<m:Items/>")


@operation("SendItem")
def send_item(ctx: Context, request: etree._Element) -> str:
    save = request.get("SaveItemToFolder", "true") in ("true", "1")
    target_folder = _saved_folder(ctx, request)

    def one(elem: etree._Element) -> str:
        target = ctx.item(elem)
        mailbox, item = target.mailbox, target.item
        if item.item_type != "Message" or not item.props.get("IsDraft"):
            raise EwsError(
                "ErrorInvalidItemForOperationSendItem", "Only draft messages can be sent."
            )
        if (
            target.change_key is None
            or ids.change_number_of(target.change_key) != item.change_number
        ):
            raise EwsError("ErrorChangeKeyRequiredForWriteOperations")
        ctx.store.remove_item(mailbox, item, publish=False)
        item.uuid = new_guid()
        saved_in = None
        if save:
            saved_in = target_folder[1] if target_folder else mailbox.distinguished["sentitems"]
        send_message(ctx, mailbox, item, saved_in)
        return ""

    return each("SendItem", item_ids(child(request, "ItemIds")), one)
