"""An item's content as JSON-ready data: what persistence writes and ExportItems hands out.

Content is what the item says (type, properties, extended properties, attachments, headers,
MIME, recurrence exceptions), not where it is or the bookkeeping of its changes.
"""

from __future__ import annotations

import base64
from typing import Any

from . import extended
from .model import Attachment, Item, OccurrenceException
from .schema import kind_of
from .values import format_datetime, parse_datetime


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dump_props(props: dict[str, Any]) -> dict[str, Any]:
    return {name: kind_of(name).dump(value) for name, value in props.items()}


def load_props(data: dict[str, Any]) -> dict[str, Any]:
    return {name: kind_of(name).load(value) for name, value in data.items()}


def _dump_attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "uuid": attachment.uuid.hex(),
        "name": attachment.name,
        "content_type": attachment.content_type,
        "content": b64(attachment.content),
        "embedded_item": attachment.embedded_item,
        "content_id": attachment.content_id,
        "content_location": attachment.content_location,
        "is_inline": attachment.is_inline,
        "is_contact_photo": attachment.is_contact_photo,
        "last_modified": format_datetime(attachment.last_modified)
        if attachment.last_modified
        else None,
    }


def _load_attachment(data: dict[str, Any]) -> Attachment:
    return Attachment(
        uuid=bytes.fromhex(data["uuid"]),
        name=data["name"],
        content_type=data["content_type"],
        content=base64.b64decode(data["content"]),
        embedded_item=data["embedded_item"],
        content_id=data["content_id"],
        content_location=data["content_location"],
        is_inline=data["is_inline"],
        is_contact_photo=data["is_contact_photo"],
        last_modified=parse_datetime(data["last_modified"]) if data["last_modified"] else None,
    )


def content_of(item: Item) -> dict[str, Any]:
    return {
        "type": item.item_type,
        "props": dump_props(item.props),
        "extended": [extended.dump(v) for v in item.extended.values()],
        "attachments": [_dump_attachment(a) for a in item.attachments],
        "headers": item.headers,
        "mime": b64(item.mime) if item.mime is not None else None,
        "exceptions": {str(start): dump_props(e.props) for start, e in item.exceptions.items()},
        "deleted_occurrences": sorted(item.deleted_occurrences),
    }


def item_from_content(uuid: bytes, data: dict[str, Any]) -> Item:
    """An item, not yet in a folder, from content_of's data; KeyError/ValueError/TypeError when
    the data is not such content."""
    values = [extended.load(v) for v in data["extended"]]
    return Item(
        uuid=uuid,
        item_type=data["type"],
        folder=b"",
        props=load_props(data["props"]),
        extended={v.field.key: v for v in values},
        attachments=[_load_attachment(a) for a in data["attachments"]],
        headers=[(name, value) for name, value in data["headers"]],
        mime=base64.b64decode(data["mime"]) if data["mime"] is not None else None,
        exceptions={
            int(start): OccurrenceException(load_props(_props_of(props)), 0)
            for start, props in data["exceptions"].items()
        },
        deleted_occurrences=set(data["deleted_occurrences"]),
    )


def _props_of(stored: Any) -> dict[str, Any]:
    """Exception properties; stores written before content and bookkeeping were kept apart held
    [properties, change number]."""
    return stored[0] if isinstance(stored, list) else stored
