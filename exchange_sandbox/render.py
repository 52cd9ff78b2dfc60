"""Items and folders as response XML, in types.xsd element order."""

from __future__ import annotations

import base64
from collections.abc import Callable

from . import ids, mime
from .bodies import as_type, plain_text
from .model import Attachment, Folder, Item, Mailbox
from .schema import ELEMENT_ORDER, kind_of, render_value
from .shapes import FolderShape, ItemShape
from .values import Body, format_datetime
from .xmlkit import element, escape_text

_ITEM_RIGHTS = (
    "<t:EffectiveRights><t:CreateAssociated>false</t:CreateAssociated>"
    "<t:CreateContents>false</t:CreateContents><t:CreateHierarchy>false</t:CreateHierarchy>"
    "<t:Delete>true</t:Delete><t:Modify>true</t:Modify><t:Read>true</t:Read>"
    "<t:ViewPrivateItems>true</t:ViewPrivateItems></t:EffectiveRights>"
)
_FOLDER_RIGHTS = (
    "<t:EffectiveRights><t:CreateAssociated>true</t:CreateAssociated>"
    "<t:CreateContents>true</t:CreateContents><t:CreateHierarchy>true</t:CreateHierarchy>"
    "<t:Delete>true</t:Delete><t:Modify>true</t:Modify><t:Read>true</t:Read>"
    "<t:ViewPrivateItems>true</t:ViewPrivateItems></t:EffectiveRights>"
)

# Elements some service computes for calendar items (recurrence); see calendar.py.
ComputedElement = Callable[[Mailbox, Item, str], str | None]


def folder_id_xml(mailbox: Mailbox, folder: Folder, tag: str = "t:FolderId") -> str:
    return element(
        tag,
        Id=ids.folder_id(mailbox.guid, folder.uuid),
        ChangeKey=ids.change_key(folder.change_number),
    )


def item_id_xml(mailbox: Mailbox, item: Item, tag: str = "t:ItemId") -> str:
    return element(
        tag, Id=ids.item_id(mailbox.guid, item.uuid), ChangeKey=ids.change_key(item.change_number)
    )


def attachment_fields(mailbox: Mailbox, item: Item, attachment: Attachment) -> list[str]:
    """The elements an attachment shows in an item and in GetAttachment, before its content."""
    parts = [
        element("t:AttachmentId", Id=ids.attachment_id(mailbox.guid, item.uuid, attachment.uuid)),
        element("t:Name", attachment.name),
        element("t:ContentType", attachment.content_type),
    ]
    if attachment.content_id:
        parts.append(element("t:ContentId", attachment.content_id))
    if attachment.content_location:
        parts.append(element("t:ContentLocation", attachment.content_location))
    parts.append(element("t:Size", str(attachment.size)))
    if attachment.last_modified is not None:
        parts.append(element("t:LastModifiedTime", format_datetime(attachment.last_modified)))
    parts.append(element("t:IsInline", "true" if attachment.is_inline else "false"))
    if attachment.is_file:
        parts.append(
            element("t:IsContactPhoto", "true" if attachment.is_contact_photo else "false")
        )
    return parts


def attachment_summary(mailbox: Mailbox, item: Item, attachment: Attachment) -> str:
    tag = "t:FileAttachment" if attachment.is_file else "t:ItemAttachment"
    parts = attachment_fields(mailbox, item, attachment)
    return f"<{tag}>{''.join(parts)}</{tag}>"


class ItemRenderer:
    """Renders items for one response; `computed` supplies recurrence-derived elements."""

    def __init__(self, computed: ComputedElement) -> None:
        self._computed = computed

    def item(
        self,
        mailbox: Mailbox,
        item: Item,
        shape: ItemShape,
        identity: str | None = None,
    ) -> str:
        """One item element. `identity` replaces the ItemId element (occurrences)."""
        parts: list[str] = []
        wanted = shape.elements
        for name in ELEMENT_ORDER.get(item.item_type, ELEMENT_ORDER["Item"]):
            if name == "ExtendedProperty":
                for requested in shape.extended:
                    value = item.extended.get(requested.key)
                    if value is not None:
                        parts.append(value.render(requested.uri_xml))
                continue
            if name not in wanted:
                continue
            if name == "ItemId" and identity is not None:
                parts.append(identity)
                continue
            fragment = self._fragment(mailbox, item, name, shape)
            if fragment:
                parts.append(fragment)
        return f"<t:{item.item_type}>{''.join(parts)}</t:{item.item_type}>"

    def _fragment(self, mailbox: Mailbox, item: Item, name: str, shape: ItemShape) -> str | None:
        cache_key = name
        if name == "Body":
            cache_key = f"Body:{shape.body_type}"
        elif shape.indexed.get(name):
            cache_key = f"{name}:{','.join(sorted(shape.indexed[name] or ()))}"
        cached = item.render_cache.get(cache_key)
        if cached is not None:
            return cached
        fragment = self._build(mailbox, item, name, shape) or ""
        item.render_cache[cache_key] = fragment
        return fragment

    def _build(self, mailbox: Mailbox, item: Item, name: str, shape: ItemShape) -> str | None:
        props = item.props
        if name == "ItemId":
            return item_id_xml(mailbox, item)
        if name == "ParentFolderId":
            folder = mailbox.folders.get(item.folder)
            return folder_id_xml(mailbox, folder, "t:ParentFolderId") if folder else None
        if name == "MimeContent":
            content = base64.b64encode(mime.generate(item)).decode("ascii")
            return f'<t:MimeContent CharacterSet="UTF-8">{content}</t:MimeContent>'
        if name == "Attachments":
            if not item.attachments:
                return None
            inner = "".join(attachment_summary(mailbox, item, a) for a in item.attachments)
            return f"<t:Attachments>{inner}</t:Attachments>"
        if name == "Body":
            body = props.get("Body")
            return render_value("Body", as_type(body, shape.body_type)) if body else None
        if name == "UniqueBody":
            body = props.get("Body")
            return render_value("UniqueBody", as_type(body, "HTML")) if body else None
        if name == "TextBody":
            body = props.get("Body")
            return render_value("TextBody", Body("Text", plain_text(body))) if body else None
        if name == "InternetMessageHeaders":
            if not item.headers:
                return None
            inner = "".join(
                f'<t:InternetMessageHeader HeaderName="{escape_text(h)}">'
                f"{escape_text(v)}</t:InternetMessageHeader>"
                for h, v in item.headers
            )
            return f"<t:InternetMessageHeaders>{inner}</t:InternetMessageHeaders>"
        if name == "EffectiveRights":
            return _ITEM_RIGHTS
        if name == "ConversationId":
            conversation = props.get("ConversationIndex")
            if not conversation:
                return None
            conversation_id = base64.b64encode(b"\x01\x00\x10\x00" + conversation[6:22]).decode()
            return element("t:ConversationId", Id=conversation_id)
        computed = self._computed(mailbox, item, name)
        if computed is not None:
            return computed
        if name not in props:
            return None
        value = props[name]
        if shape.indexed.get(name):
            keys = shape.indexed[name] or set()
            value = {k: v for k, v in value.items() if k in keys}
            if not value:
                return None
        if value == [] or value == {}:
            return None
        return kind_of(name).render(name, value)


def render_folder(mailbox: Mailbox, folder: Folder, shape: FolderShape) -> str:
    wanted = shape.elements
    parts = [folder_id_xml(mailbox, folder)]
    if "ParentFolderId" in wanted and folder.parent is not None:
        parent = mailbox.folders.get(folder.parent)
        if parent is not None:
            parts.append(folder_id_xml(mailbox, parent, "t:ParentFolderId"))
    if "FolderClass" in wanted and folder.folder_class:
        parts.append(element("t:FolderClass", folder.folder_class))
    if "DisplayName" in wanted:
        parts.append(element("t:DisplayName", folder.name))
    if "TotalCount" in wanted:
        parts.append(element("t:TotalCount", str(len(folder.items))))
    if "ChildFolderCount" in wanted:
        parts.append(element("t:ChildFolderCount", str(len(mailbox.children_of(folder)))))
    for requested in shape.extended:
        value = folder.extended.get(requested.key)
        if value is not None:
            parts.append(value.render(requested.uri_xml))
    if "EffectiveRights" in wanted:
        parts.append(_FOLDER_RIGHTS)
    if "DistinguishedFolderId" in wanted and folder.distinguished:
        parts.append(element("t:DistinguishedFolderId", folder.distinguished))
    if "UnreadCount" in wanted and folder.element != "SearchFolder":
        parts.append(element("t:UnreadCount", str(folder.unread_count)))
    return f"<t:{folder.element}>{''.join(parts)}</t:{folder.element}>"
