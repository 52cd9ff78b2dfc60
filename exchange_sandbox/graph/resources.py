"""Graph's ids and lookups: a Graph (REST) id is the EWS id in URL-safe form, as Exchange
Online's are (translateExchangeIds turns one into the other), and a folder may be named by its
well-known name (inbox, sentitems, drafts, deleteditems, junkemail, msgfolderroot, ...)."""

from __future__ import annotations

from .. import ids
from ..errors import EwsError
from ..model import Attachment, Folder, Item, Mailbox
from .wire import GraphError, bad_request, not_found

# Well-known names Graph accepts in place of a folder id, to the sandbox's distinguished names.
WELL_KNOWN = {
    "inbox": "inbox",
    "sentitems": "sentitems",
    "drafts": "drafts",
    "deleteditems": "deleteditems",
    "junkemail": "junkemail",
    "outbox": "outbox",
    "msgfolderroot": "msgfolderroot",
    "archive": "archiveroot",
    "recoverableitemsdeletions": "recoverableitemsdeletions",
    "calendar": "calendar",
    "tasks": "tasks",
}


def rest_id(ews_id: str) -> str:
    return ews_id.replace("/", "-").replace("+", "_")


def ews_id(rest: str) -> str:
    return rest.replace("-", "/").replace("_", "+")


def folder_rest_id(mailbox: Mailbox, folder: Folder) -> str:
    return rest_id(ids.folder_id(mailbox.guid, folder.uuid))


def item_rest_id(mailbox: Mailbox, item: Item) -> str:
    return rest_id(ids.item_id(mailbox.guid, item.uuid))


def attachment_rest_id(mailbox: Mailbox, item: Item, attachment: Attachment) -> str:
    return rest_id(ids.attachment_id(mailbox.guid, item.uuid, attachment.uuid))


def change_key(item: Item | Folder) -> str:
    return ids.change_key(item.change_number)


def etag(item: Item) -> str:
    return f'W/"{change_key(item)}"'


def check_etag(headers: dict[str, str], item: Item) -> None:
    """An If-Match the item's change key has moved past is refused (412), as Exchange does."""
    wanted = headers.get("if-match")
    if wanted and wanted != "*" and wanted != etag(item):
        raise GraphError(
            412,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed"
            " in the request does not match the current change key for the item.",
        )


def _decode(rest: str, kind: ids.IdKind) -> ids.ObjectId:
    try:
        found = ids.decode(ews_id(rest))
    except EwsError as error:
        raise bad_request("Id is malformed.", "ErrorInvalidIdMalformed") from error
    if found.kind is not kind:
        raise bad_request("Id is malformed.", "ErrorInvalidIdMalformed")
    return found


def folder(mailbox: Mailbox, folder_id: str) -> Folder:
    name = WELL_KNOWN.get(folder_id.lower())
    if name is not None:
        found = mailbox.distinguished.get(name)
        if found is None:
            raise not_found()
        return found
    decoded = _decode(folder_id, ids.IdKind.FOLDER)
    result = mailbox.folders.get(decoded.object)
    if decoded.mailbox != mailbox.guid or result is None:
        raise not_found()
    return result


def item(mailbox: Mailbox, item_id: str) -> Item:
    decoded = _decode(item_id, ids.IdKind.ITEM)
    result = mailbox.items.get(decoded.object)
    if decoded.mailbox != mailbox.guid or result is None or _in_dumpster(mailbox, result):
        raise not_found()
    return result


def attachment(mailbox: Mailbox, owner: Item, attachment_id: str) -> Attachment:
    decoded = _decode(attachment_id, ids.IdKind.ATTACHMENT)
    for candidate in owner.attachments:
        if candidate.uuid == decoded.attachment and decoded.object == owner.uuid:
            return candidate
    raise GraphError(404, "ErrorItemNotFound", "The attachment was not found.")


def _in_dumpster(mailbox: Mailbox, found: Item) -> bool:
    """Soft-deleted items are in Recoverable Items, which Graph does not show as mail."""
    dumpster = mailbox.distinguished.get("recoverableitemsdeletions")
    return dumpster is not None and found.folder == dumpster.uuid
