"""Items inside items: how an ItemAttachment holds its item (an e-mail attached to an e-mail).

The embedded item is kept as the item element GetAttachment answers with: every property it
has, in schema order, with its own attachments and their content, and without the ids an item
in a folder has.
"""

from __future__ import annotations

import base64

from .model import Attachment, Item
from .schema import ELEMENT_ORDER, render_value
from .xmlkit import element, wrap

# Properties of an item in a folder that an embedded item does not have.
_FOLDER_ONLY = frozenset({"ItemId", "ParentFolderId", "ConversationId"})


def embedded_xml(item: Item) -> str:
    parts = []
    for name in ELEMENT_ORDER.get(item.item_type, ELEMENT_ORDER["Item"]):
        if name == "Attachments" and item.attachments:
            parts.append(wrap("t:Attachments", map(_attachment_xml, item.attachments)))
        elif name == "ExtendedProperty":
            parts.extend(value.render() for value in item.extended.values())
        elif name in item.props and name not in _FOLDER_ONLY:
            parts.append(render_value(name, item.props[name]))
    return f"<t:{item.item_type}>{''.join(parts)}</t:{item.item_type}>"


def _attachment_xml(attachment: Attachment) -> str:
    common = element("t:Name", attachment.name) + element("t:ContentType", attachment.content_type)
    if attachment.is_file:
        content = base64.b64encode(attachment.content).decode("ascii")
        return f"<t:FileAttachment>{common}<t:Content>{content}</t:Content></t:FileAttachment>"
    return f"<t:ItemAttachment>{common}{attachment.embedded_item}</t:ItemAttachment>"
