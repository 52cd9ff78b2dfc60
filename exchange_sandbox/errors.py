"""The two ways Exchange reports a failure, as exceptions the operations raise.

An EwsError fails one response message (ResponseClass="Error") and the rest of the request goes
on; a SoapFault fails the whole request with a SOAP fault and HTTP 500.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree

from .xmlkit import element

# The MessageText Exchange sends with each response code we produce.
MESSAGE_TEXTS: dict[str, str] = {
    "ErrorAccessDenied": "Access is denied. Check credentials and try again.",
    "ErrorArchiveMailboxNotEnabled": "Archive mailbox is not enabled for this user.",
    "ErrorCannotDeleteObject": "The object cannot be deleted.",
    "ErrorCannotUseFolderIdForItemId": "The ID passed in is a folder ID, not an item ID.",
    "ErrorCannotUseItemIdForFolderId": "The ID passed in is an item ID, not a folder ID.",
    "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange": (
        "The occurrence index is out of the recurrence range."
    ),
    "ErrorCalendarOccurrenceIsDeletedFromRecurrence": (
        "The occurrence was deleted from the recurrence."
    ),
    "ErrorCalendarViewRangeTooBig": (
        "The specified view range exceeds the maximum range of two years."
    ),
    "ErrorCalendarEndDateIsEarlierThanStartDate": "EndDate is earlier than StartDate.",
    "ErrorChangeKeyRequiredForWriteOperations": (
        "When making a write request, you must specify a change key."
    ),
    "ErrorCreateItemAccessDenied": "You do not have permission to create the item.",
    "ErrorDelegateAlreadyExists": "The delegate user already exists in the delegate list.",
    "ErrorDelegateCannotAddOwner": "The mailbox owner cannot be added as a delegate.",
    "ErrorDelegateNoUser": "The delegate does not map to a user in the Active Directory.",
    "ErrorNotDelegate": "The specified user is not a delegate of the mailbox.",
    "ErrorInvalidItemForOperationExpandDL": "Only a distribution list can be expanded.",
    "ErrorDeleteDistinguishedFolder": "Distinguished folders cannot be deleted.",
    "ErrorFolderExists": "A folder with the specified name already exists.",
    "ErrorFolderNotFound": "The specified folder could not be found in the store.",
    "ErrorInvalidAttachmentId": "The attachment could not be found.",
    "ErrorInvalidChangeKey": "The change key is invalid.",
    "ErrorInvalidExtendedPropertyValue": (
        "The extended property value is inconsistent with its type."
    ),
    "ErrorInvalidIdMalformed": "Id is malformed.",
    "ErrorInvalidOperation": "The operation is not valid for this item or folder.",
    "ErrorInvalidPropertyForOperation": "Property is not valid for this operation.",
    "ErrorInvalidPropertyRequest": "Property is not valid for this object type.",
    "ErrorInvalidPropertySet": "The property cannot be set on this type of item.",
    "ErrorInvalidRecipients": "At least one recipient isn't valid.",
    "ErrorInvalidRequest": "The request is invalid.",
    "ErrorInvalidSubscription": "Subscription is invalid.",
    "ErrorInvalidPushSubscriptionUrl": "The push subscription URL is invalid.",
    "ErrorInvalidSyncStateData": "Synchronization state data is corrupt or otherwise invalid.",
    "ErrorInvalidWatermark": "The watermark is invalid.",
    "ErrorMessageSizeExceeded": "The message exceeds the maximum supported size.",
    "ErrorIrresolvableConflict": (
        "The send or update operation could not be performed because the change key passed in the"
        " request does not match the current change key for the item."
    ),
    "ErrorItemNotFound": "The specified object was not found in the store.",
    "ErrorMimeContentConversionFailed": "Unable to convert the MIME content.",
    "ErrorMissingRecipients": "The message must have at least one recipient.",
    "ErrorNameResolutionMultipleResults": "Multiple results were found.",
    "ErrorNameResolutionNoResults": "No results were found.",
    "ErrorNoPublicFolderReplicaAvailable": "There are no public folder replicas available.",
    "ErrorMoveCopyFailed": "The move or copy operation failed.",
    "ErrorMoveDistinguishedFolder": "Distinguished folders cannot be moved.",
    "ErrorCrossMailboxMoveCopy": "Cross-mailbox moves and copies are not supported.",
    "ErrorNonExistentMailbox": "The SMTP address has no mailbox associated with it.",
    "ErrorSubscriptionNotFound": "The specified subscription was not found.",
    "ErrorSyncFolderNotFound": "The specified folder could not be found in the store.",
    "ErrorToFolderNotFound": "The specified folder could not be found in the store.",
    "ErrorUnsupportedPathForQuery": "The property path is not supported for this query.",
    "ErrorUnsupportedPathForSortGroup": "The property path is not supported for sorting.",
    "ErrorInvalidRestriction": "The restriction or sort order is too complex for this operation.",
    "ErrorServerBusy": "The server cannot service this request right now. Try again later.",
    "ErrorSchemaValidation": "The request failed schema validation.",
    "ErrorInvalidServerVersion": "The specified server version is invalid.",
    "ErrorInboxRulesValidationError": "Inbox rules validation failed.",
    "ErrorInternalServerError": "An internal server error occurred. The operation failed.",
}


@dataclass
class EwsError(Exception):
    """One response message fails with this ResponseCode; message_xml is the serialised content
    of the optional MessageXml element (t:Value or t:FieldURI elements)."""

    code: str
    text: str = ""
    message_xml: str = ""
    details: str = ""  # response message content that follows the error (RuleOperationErrors)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = MESSAGE_TEXTS.get(self.code, self.code)
        super().__init__(f"{self.code}: {self.text}")


@dataclass
class SoapFault(Exception):
    """The whole request fails; rendered as a SOAP 1.1 fault with an EWS detail element."""

    code: str
    text: str = ""
    message_xml: str = ""
    violation: str | None = None

    def __post_init__(self) -> None:
        if not self.text:
            self.text = MESSAGE_TEXTS.get(self.code, self.code)
        super().__init__(f"{self.code}: {self.text}")


def schema_violation(violation: str) -> SoapFault:
    """What Exchange answers when the request does not match messages.xsd/types.xsd."""
    return SoapFault(
        code="ErrorSchemaValidation",
        text=f"The request failed schema validation: {violation}",
        violation=violation,
    )


def enumerated(
    elem: etree._Element, attribute: str, allowed: Collection[str], default: str | None = None
) -> str:
    """An attribute the schema restricts to a list of values; any other is a schema violation."""
    value = elem.get(attribute, default)
    if value is None or value not in allowed:
        raise schema_violation(f"The '{attribute}' attribute is invalid - '{value}'.")
    return value


def message_values(**values: str) -> str:
    """MessageXml content carrying named values, e.g. BackOffMilliseconds."""
    return "".join(element("t:Value", text, Name=name) for name, text in values.items())


def field_uri_xml(field_uri: str) -> str:
    """MessageXml content naming the property an error is about."""
    return element("t:FieldURI", FieldURI=field_uri)
