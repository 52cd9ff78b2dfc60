"""What an operation works with, and how request ids become folders and items.

Access rules follow Exchange for a user without delegate rights: one's own mailbox only,
ErrorAccessDenied for another existing mailbox, ErrorNonExistentMailbox for an unknown address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from . import ids
from .errors import EwsError, message_values, schema_violation
from .model import Folder, Item, Mailbox
from .store import Store
from .xmlkit import child, child_text, local_name

if TYPE_CHECKING:
    from .faults import FaultSwitchboard
    from .services import Services

# DistinguishedFolderIdNameType values of the Exchange 2016 schema.
DISTINGUISHED_NAMES = frozenset(
    [
        "calendar",
        "contacts",
        "deleteditems",
        "drafts",
        "inbox",
        "journal",
        "notes",
        "outbox",
        "sentitems",
        "tasks",
        "msgfolderroot",
        "publicfoldersroot",
        "root",
        "junkemail",
        "searchfolders",
        "voicemail",
        "recoverableitemsroot",
        "recoverableitemsdeletions",
        "recoverableitemsversions",
        "recoverableitemspurges",
        "archiveroot",
        "archivemsgfolderroot",
        "archivedeleteditems",
        "archiveinbox",
        "archiverecoverableitemsroot",
        "archiverecoverableitemsdeletions",
        "archiverecoverableitemsversions",
        "archiverecoverableitemspurges",
        "syncissues",
        "conflicts",
        "localfailures",
        "serverfailures",
        "recipientcache",
        "quickcontacts",
        "conversationhistory",
        "adminauditlogs",
        "todosearch",
        "mycontacts",
        "directory",
        "imcontactlist",
        "peopleconnect",
        "favorites",
    ]
)


@dataclass
class Context:
    store: Store
    user: Mailbox
    services: Services
    faults: FaultSwitchboard | None = None

    def mailbox_for_address(self, address: str) -> Mailbox:
        mailbox = self.store.mailbox(address)
        if mailbox is None:
            raise EwsError(
                "ErrorNonExistentMailbox", message_xml=message_values(SmtpAddress=address)
            )
        return self._own(mailbox)

    def _own(self, mailbox: Mailbox) -> Mailbox:
        if mailbox.guid != self.user.guid:
            raise EwsError("ErrorAccessDenied")
        return mailbox

    def mailbox_for_id(self, object_id: ids.ObjectId, missing: str) -> Mailbox:
        mailbox = self.store.mailbox_by_guid(object_id.mailbox)
        if mailbox is None:
            raise EwsError(missing)
        return self._own(mailbox)

    # --- folders ------------------------------------------------------------------------

    def folder(self, elem: etree._Element) -> tuple[Mailbox, Folder]:
        """A t:FolderId (or t:ParentFolderId, of that type) or t:DistinguishedFolderId element."""
        name = local_name(elem)
        if name == "DistinguishedFolderId":
            distinguished = elem.get("Id", "")
            if distinguished not in DISTINGUISHED_NAMES:
                raise schema_violation(
                    f"The 'Id' attribute is invalid - The value '{distinguished}' is invalid"
                    " according to its datatype 'DistinguishedFolderIdNameType' - The Enumeration"
                    " constraint failed."
                )
            mailbox_elem = child(elem, "Mailbox")
            address = child_text(mailbox_elem, "EmailAddress") if mailbox_elem is not None else None
            if distinguished == "publicfoldersroot":
                # Public folders live in no user's mailbox; this organisation has none.
                raise EwsError("ErrorNoPublicFolderReplicaAvailable")
            mailbox = self.mailbox_for_address(address) if address else self.user
            folder = mailbox.distinguished.get(distinguished)
            if folder is None:
                raise EwsError("ErrorFolderNotFound")
            return mailbox, folder
        if name in ("FolderId", "ParentFolderId"):
            object_id = ids.decode(elem.get("Id"))
            if object_id.kind is not ids.IdKind.FOLDER:
                raise EwsError(
                    "ErrorCannotUseItemIdForFolderId"
                    if object_id.kind is ids.IdKind.ITEM
                    else "ErrorInvalidIdMalformed"
                )
            mailbox = self.mailbox_for_id(object_id, "ErrorFolderNotFound")
            return mailbox, self.store.folder(mailbox, object_id.object)
        raise schema_violation(f"The element '{name}' is not a folder id.")

    def to_folder(self, request: etree._Element) -> tuple[Mailbox, Folder]:
        """The ToFolderId of a move or copy; ErrorToFolderNotFound when it does not exist."""
        folder_ids = self.folders_in(child(request, "ToFolderId"))
        if not folder_ids:
            raise schema_violation("The element 'ToFolderId' has incomplete content.")
        try:
            return self.folder(folder_ids[0])
        except EwsError as error:
            if error.code == "ErrorFolderNotFound":
                raise EwsError("ErrorToFolderNotFound") from error
            raise

    def folders_in(self, container: etree._Element | None) -> list[etree._Element]:
        if container is None:
            return []
        return [
            sub
            for sub in container
            if isinstance(sub.tag, str) and local_name(sub) in ("FolderId", "DistinguishedFolderId")
        ]

    # --- items --------------------------------------------------------------------------

    def item(self, elem: etree._Element) -> ItemTarget:
        """A t:ItemId, t:OccurrenceItemId or t:RecurringMasterItemId element."""
        name = local_name(elem)
        if name in ("ItemId", "ParentItemId", "ReferenceItemId"):
            object_id = ids.decode(elem.get("Id"))
            if object_id.kind is ids.IdKind.OCCURRENCE:
                mailbox = self.mailbox_for_id(object_id, "ErrorItemNotFound")
                master = self.store.item(mailbox, object_id.object)
                return ItemTarget(mailbox, master, elem.get("ChangeKey"), object_id.original_start)
            if object_id.kind is not ids.IdKind.ITEM:
                raise EwsError(
                    "ErrorCannotUseFolderIdForItemId"
                    if object_id.kind is ids.IdKind.FOLDER
                    else "ErrorInvalidIdMalformed"
                )
            mailbox = self.mailbox_for_id(object_id, "ErrorItemNotFound")
            return ItemTarget(
                mailbox, self.store.item(mailbox, object_id.object), elem.get("ChangeKey")
            )
        if name == "OccurrenceItemId":
            master_id = ids.decode(elem.get("RecurringMasterId"))
            try:
                index = int(elem.get("InstanceIndex", ""))
            except ValueError as error:
                raise schema_violation("The 'InstanceIndex' attribute is invalid.") from error
            mailbox = self.mailbox_for_id(master_id, "ErrorItemNotFound")
            master = self.store.item(mailbox, master_id.object)
            start = self.services.calendar.occurrence_start(master, index)
            return ItemTarget(mailbox, master, elem.get("ChangeKey"), start)
        if name == "RecurringMasterItemId":
            object_id = ids.decode(elem.get("OccurrenceId"))
            mailbox = self.mailbox_for_id(object_id, "ErrorItemNotFound")
            return ItemTarget(
                mailbox, self.store.item(mailbox, object_id.object), elem.get("ChangeKey")
            )
        raise schema_violation(f"The element '{name}' is not an item id.")


@dataclass
class ItemTarget:
    mailbox: Mailbox
    item: Item
    change_key: str | None
    occurrence_start: int | None = None  # set when an occurrence of a series is meant
