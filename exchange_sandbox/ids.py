"""Opaque EWS identifiers: ItemId, FolderId, AttachmentId, occurrence ids and ChangeKeys.

An id is base64 of a kind byte, the mailbox guid and the object guid (plus, for attachments the
attachment guid, for occurrences the original start). A ChangeKey carries the mailbox change
number of the object's last write, so a stale key is recognised without a lookup table.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from enum import IntEnum

from .errors import EwsError


class IdKind(IntEnum):
    FOLDER = 1
    ITEM = 2
    ATTACHMENT = 3
    OCCURRENCE = 4
    PERSONA = 5  # a contact of the mailbox, or a mailbox of the directory, as a person


_LENGTHS = {
    IdKind.FOLDER: 33,
    IdKind.ITEM: 33,
    IdKind.ATTACHMENT: 49,
    IdKind.OCCURRENCE: 41,
    IdKind.PERSONA: 33,
}
_CHANGE_KEY_PREFIX = b"\x09\x00\x00\x00\x16\x00\x00\x00"


@dataclass(frozen=True)
class ObjectId:
    kind: IdKind
    mailbox: bytes
    object: bytes
    attachment: bytes = b""
    original_start: int = 0  # seconds since the epoch, UTC; occurrences only

    def encode(self) -> str:
        raw = bytes([self.kind]) + self.mailbox + self.object
        if self.kind is IdKind.ATTACHMENT:
            raw += self.attachment
        elif self.kind is IdKind.OCCURRENCE:
            raw += struct.pack(">q", self.original_start)
        return base64.b64encode(raw).decode("ascii")


def folder_id(mailbox: bytes, folder: bytes) -> str:
    return ObjectId(IdKind.FOLDER, mailbox, folder).encode()


def item_id(mailbox: bytes, item: bytes) -> str:
    return ObjectId(IdKind.ITEM, mailbox, item).encode()


def attachment_id(mailbox: bytes, item: bytes, attachment: bytes) -> str:
    return ObjectId(IdKind.ATTACHMENT, mailbox, item, attachment=attachment).encode()


def occurrence_id(mailbox: bytes, master: bytes, original_start: int) -> str:
    return ObjectId(IdKind.OCCURRENCE, mailbox, master, original_start=original_start).encode()


def persona_id(mailbox: bytes, person: bytes) -> str:
    return ObjectId(IdKind.PERSONA, mailbox, person).encode()


def decode(value: str | None) -> ObjectId:
    """Any of our ids; ErrorInvalidIdMalformed when it cannot be one."""
    if not value:
        raise EwsError("ErrorInvalidIdMalformed")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise EwsError("ErrorInvalidIdMalformed") from error
    if not raw or raw[0] not in IdKind.__members__.values():
        raise EwsError("ErrorInvalidIdMalformed")
    kind = IdKind(raw[0])
    if len(raw) != _LENGTHS[kind]:
        raise EwsError("ErrorInvalidIdMalformed")
    mailbox, obj = raw[1:17], raw[17:33]
    if kind is IdKind.ATTACHMENT:
        return ObjectId(kind, mailbox, obj, attachment=raw[33:49])
    if kind is IdKind.OCCURRENCE:
        (start,) = struct.unpack(">q", raw[33:41])
        return ObjectId(kind, mailbox, obj, original_start=start)
    return ObjectId(kind, mailbox, obj)


def change_key(change_number: int) -> str:
    return base64.b64encode(_CHANGE_KEY_PREFIX + struct.pack(">Q", change_number)).decode("ascii")


def change_number_of(key: str) -> int:
    """The change number a ChangeKey carries; ErrorInvalidChangeKey when it is not one of ours."""
    try:
        raw = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise EwsError("ErrorInvalidChangeKey") from error
    if len(raw) != len(_CHANGE_KEY_PREFIX) + 8 or not raw.startswith(_CHANGE_KEY_PREFIX):
        raise EwsError("ErrorInvalidChangeKey")
    (number,) = struct.unpack(">Q", raw[len(_CHANGE_KEY_PREFIX) :])
    return number
