"""POST /me/translateExchangeIds: an item's or a folder's id from one format to another, as
Exchange Online converts them for an app moving from EWS to Graph.

The sandbox's formats of one object: `ewsId` is the EWS id (base64), `restId` the same in
URL-safe form (Graph's own ids), `entryId` a MAPI long-term entry id (flags, the mailbox's
provider guid, the object's type, the object's guid) in URL-safe base64, as Graph gives it.
The sandbox keeps no immutable ids (a move gives an item a new id, as EWS ids do), so
`immutableEntryId` and `restImmutableEntryId` are refused as a whole request.

As in Graph: at most 1000 ids per request, all of one source type and one mailbox; an id
that cannot be converted gets `errorDetails` in its place in the answer, the others convert.
"""

from __future__ import annotations

import base64
import binascii
import struct

from .. import ids
from ..errors import EwsError
from ..model import Mailbox
from .resources import ews_id, rest_id
from .routes import route
from .wire import GraphRequest, GraphResponse, bad_request, json_response

MAX_IDS = 1000
FORMATS = ("entryId", "ewsId", "immutableEntryId", "restId", "restImmutableEntryId")
_IMMUTABLE = ("immutableEntryId", "restImmutableEntryId")
_ENTRY_FLAGS = b"\x00\x00\x00\x00"
# MAPI's long-term entry id types: eitLTPrivateFolder and eitLTPrivateMessage.
_ENTRY_TYPES = {ids.IdKind.FOLDER: 0x0001, ids.IdKind.ITEM: 0x0007}
_ENTRY_KINDS = {value: kind for kind, value in _ENTRY_TYPES.items()}
_ENTRY_LENGTH = 4 + 16 + 2 + 16


class _Unconvertible(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_MALFORMED = ("ErrorInvalidIdMalformed", "Id is malformed.")


@route("POST", "/me/translateExchangeIds")
def translate_exchange_ids(request: GraphRequest) -> GraphResponse:
    body = request.json()
    source = _format(body.get("sourceIdType"), "sourceIdType")
    target = _format(body.get("targetIdType"), "targetIdType")
    input_ids = body.get("inputIds")
    if not isinstance(input_ids, list) or not input_ids:
        raise bad_request("The inputIds parameter is required and must not be empty.")
    if not all(isinstance(value, str) for value in input_ids):
        raise bad_request("Every value of inputIds must be a string.")
    if len(input_ids) > MAX_IDS:
        raise bad_request(f"inputIds holds {len(input_ids)} ids; at most {MAX_IDS} are allowed.")
    if source in _IMMUTABLE or target in _IMMUTABLE:
        raise bad_request(
            "This server keeps no immutable ids.", "ErrorInvalidIdNotAnItemAttachmentId"
        )
    results = []
    for value in input_ids:
        try:
            converted = _encode(_decode(value, source, request.mailbox), target)
        except _Unconvertible as problem:
            results.append(
                {
                    "sourceId": value,
                    "errorDetails": {"code": problem.code, "message": problem.message},
                }
            )
            continue
        results.append({"sourceId": value, "targetId": converted})
    return json_response(
        {
            "@odata.context": f"{request.base_url}/$metadata#Collection("
            "microsoft.graph.convertIdResult)",
            "value": results,
        }
    )


def _format(value: object, name: str) -> str:
    if value is None:
        raise bad_request(f"The {name} parameter is required.")
    if value not in FORMATS:
        raise bad_request(
            f"Cannot convert the literal '{value}' to the expected type "
            "'microsoft.graph.exchangeIdFormat'."
        )
    return str(value)


def _decode(value: str, source: str, mailbox: Mailbox) -> ids.ObjectId:
    if source == "entryId":
        found = _decode_entry_id(value)
    else:
        if source == "restId" and ("/" in value or "+" in value):
            raise _Unconvertible(*_MALFORMED)
        try:
            found = ids.decode(value if source == "ewsId" else ews_id(value))
        except EwsError as error:
            raise _Unconvertible(*_MALFORMED) from error
    if found.kind not in _ENTRY_TYPES:
        raise _Unconvertible(
            "ErrorInvalidIdNotAnItemAttachmentId", "Only item and folder ids can be translated."
        )
    if found.mailbox != mailbox.guid:
        raise _Unconvertible(
            "ErrorAccessDenied", "The id belongs to a mailbox this user cannot open."
        )
    return found


def _encode(found: ids.ObjectId, target: str) -> str:
    if target == "entryId":
        raw = _ENTRY_FLAGS + found.mailbox + struct.pack("<H", _ENTRY_TYPES[found.kind])
        return rest_id(base64.b64encode(raw + found.object).decode("ascii"))
    ews = found.encode()
    return ews if target == "ewsId" else rest_id(ews)


def _decode_entry_id(value: str) -> ids.ObjectId:
    try:
        raw = base64.b64decode(ews_id(value).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise _Unconvertible(*_MALFORMED) from error
    if len(raw) != _ENTRY_LENGTH or not raw.startswith(_ENTRY_FLAGS):
        raise _Unconvertible(*_MALFORMED)
    (kind,) = struct.unpack("<H", raw[20:22])
    if kind not in _ENTRY_KINDS:
        raise _Unconvertible(*_MALFORMED)
    return ids.ObjectId(_ENTRY_KINDS[kind], raw[4:20], raw[22:38])
