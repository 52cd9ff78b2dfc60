"""ItemShape and FolderShape: which properties a response carries."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .errors import EwsError, field_uri_xml, schema_violation
from .extended import ExtendedField, parse_field
from .schema import ELEMENT_ORDER, resolve_field_uri
from .xmlkit import child, child_text, children, local_name

BASE_SHAPES = ("IdOnly", "Default", "AllProperties")

_DEFAULT_ITEM = frozenset(
    [
        "ItemId",
        "Subject",
        "Sensitivity",
        "Body",
        "Attachments",
        "DateTimeReceived",
        "Size",
        "Importance",
        "IsDraft",
        "HasAttachments",
        "DisplayTo",
        "DisplayCc",
        "From",
        "IsRead",
        "ToRecipients",
        "CcRecipients",
        "Start",
        "End",
        "Location",
        "Organizer",
        "CalendarItemType",
        "IsAllDayEvent",
        "LegacyFreeBusyStatus",
        "Status",
        "DueDate",
        "StartDate",
        "PercentComplete",
        "IsComplete",
        "DisplayName",
        "GivenName",
        "Surname",
        "CompanyName",
        "EmailAddresses",
        "Categories",
    ]
)
_NOT_IN_ALL_PROPERTIES = frozenset({"MimeContent", "UniqueBody", "TextBody", "ExtendedProperty"})
# What FindItem and SyncFolderItems leave out of their base shapes and FindItem refuses outright
# (ErrorInvalidPropertyForOperation): body formats, MIME, attachments, recipient lists and the
# other properties that are streamed or computed per item rather than read from the folder's
# table. (EWS documentation of FindItem; the EWS Managed API marks them "cannot be used in
# FindItem requests".)
NOT_SUMMARY = frozenset(
    [
        "MimeContent",
        "Body",
        "UniqueBody",
        "TextBody",
        "Attachments",
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "ReplyTo",
        "RequiredAttendees",
        "OptionalAttendees",
        "Resources",
        "InternetMessageHeaders",
        "ResponseObjects",
        "ModifiedOccurrences",
        "DeletedOccurrences",
        "ConflictingMeetings",
        "AdjacentMeetings",
        "DirectReports",
        "ManagerMailbox",
        "Photo",
        "UserSMIMECertificate",
        "MSExchangeCertificate",
        "Members",
    ]
)

_ALL_ITEM_ELEMENTS = frozenset(e for order in ELEMENT_ORDER.values() for e in order)


@dataclass
class ItemShape:
    base: str = "IdOnly"
    elements: set[str] = field(default_factory=set)
    indexed: dict[str, set[str] | None] = field(default_factory=dict)
    extended: list[ExtendedField] = field(default_factory=list)
    include_mime: bool = False
    body_type: str = "Best"
    requested: dict[str, str] = field(default_factory=dict)  # element -> FieldURI asked for

    def summary(self) -> ItemShape:
        """The shape SyncFolderItems answers with: its base shape holds summary properties only,
        what was asked for by name is returned."""
        return ItemShape(
            base=self.base,
            elements=(self.elements - NOT_SUMMARY) | set(self.requested),
            indexed=self.indexed,
            extended=self.extended,
            include_mime=self.include_mime,
            body_type=self.body_type,
            requested=self.requested,
        )

    def for_find(self) -> ItemShape:
        """The shape FindItem answers with; asking it for a property it cannot return fails."""
        refused = sorted(set(self.requested) & NOT_SUMMARY)
        if refused:
            raise EwsError(
                "ErrorInvalidPropertyForOperation",
                message_xml=field_uri_xml(self.requested[refused[0]]),
            )
        return ItemShape(
            base=self.base,
            elements=self.elements - NOT_SUMMARY,
            indexed=self.indexed,
            extended=self.extended,
            body_type=self.body_type,
        )


def _base_shape(elem: etree._Element) -> str:
    """The BaseShape of a request's ItemShape/FolderShape, which the schema requires."""
    base = child_text(elem, "BaseShape")
    if base is None or base not in BASE_SHAPES:
        raise schema_violation(
            f"The 'BaseShape' element is invalid - The value '{base}' is invalid."
        )
    return base


def parse_item_shape(elem: etree._Element | None) -> ItemShape:
    if elem is None:
        raise schema_violation("The element 'ItemShape' is missing.")
    base = _base_shape(elem)
    shape = ItemShape(base=base)
    shape.elements = {"ItemId"}
    if base == "Default":
        shape.elements |= _DEFAULT_ITEM
    elif base == "AllProperties":
        shape.elements |= _ALL_ITEM_ELEMENTS - _NOT_IN_ALL_PROPERTIES
    shape.include_mime = (child_text(elem, "IncludeMimeContent") or "").strip() in ("true", "1")
    if shape.include_mime:
        shape.elements.add("MimeContent")
        shape.requested["MimeContent"] = "item:MimeContent"
    body_type = child_text(elem, "BodyType")
    if body_type is not None:
        if body_type not in ("Best", "HTML", "Text"):
            raise schema_violation(f"The 'BodyType' element is invalid - '{body_type}'.")
        shape.body_type = body_type
    additional = child(elem, "AdditionalProperties")
    for path in children(additional):
        kind = local_name(path)
        if kind == "FieldURI":
            ref = resolve_field_uri(path.get("FieldURI", ""))
            if ref.prefix != "folder":
                shape.elements.add(ref.element)
                shape.requested[ref.element] = ref.uri
        elif kind == "IndexedFieldURI":
            ref = resolve_field_uri(path.get("FieldURI", ""), path.get("FieldIndex", ""))
            shape.elements.add(ref.element)
            shape.requested[ref.element] = ref.uri
            keys = shape.indexed.setdefault(ref.element, set())
            if keys is not None and ref.index:
                keys.add(ref.index)
        elif kind == "ExtendedFieldURI":
            shape.extended.append(parse_field(path))
        elif kind == "ExceptionFieldURI":
            continue
        else:
            raise schema_violation(f"The element '{kind}' is not a property path.")
    return shape


@dataclass
class FolderShape:
    elements: set[str]
    extended: list[ExtendedField] = field(default_factory=list)


_FOLDER_DEFAULT = {"FolderId", "DisplayName", "TotalCount", "ChildFolderCount", "UnreadCount"}
_FOLDER_ALL = _FOLDER_DEFAULT | {
    "ParentFolderId",
    "FolderClass",
    "EffectiveRights",
    "DistinguishedFolderId",
}


def parse_folder_shape(elem: etree._Element | None) -> FolderShape:
    if elem is None:
        raise schema_violation("The element 'FolderShape' is missing.")
    base = _base_shape(elem)
    elements = {"FolderId"}
    if base == "Default":
        elements |= _FOLDER_DEFAULT
    elif base == "AllProperties":
        elements |= _FOLDER_ALL
    shape = FolderShape(elements)
    for path in children(child(elem, "AdditionalProperties")):
        kind = local_name(path)
        if kind == "FieldURI":
            elements.add(resolve_field_uri(path.get("FieldURI", "")).element)
        elif kind == "ExtendedFieldURI":
            shape.extended.append(parse_field(path))
    return shape
