"""GetFolder, FindFolder, CreateFolder, UpdateFolder, DeleteFolder, EmptyFolder."""

from __future__ import annotations

from lxml import etree

from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..model import Folder, Item, Mailbox
from ..render import folder_id_xml, render_folder
from ..restrictions import compile_restriction
from ..schema import resolve_field_uri
from ..shapes import parse_folder_shape
from ..store import ELEMENT_FOR_CLASS
from ..xmlkit import child, child_text, children, local_name
from .paging import page_attributes, parse_indexed_view
from .registry import each, operation

_FOLDER_ELEMENTS = ("Folder", "CalendarFolder", "ContactsFolder", "TasksFolder", "SearchFolder")
# The dumpster is reached by its distinguished ids, never by browsing the hierarchy.
_HIDDEN_FROM_BROWSING = frozenset(
    {
        "recoverableitemsroot",
        "recoverableitemsdeletions",
        "recoverableitemspurges",
        "recoverableitemsversions",
    }
)


def _first_id(container: etree._Element | None, ctx: Context, what: str) -> tuple[Mailbox, Folder]:
    ids = ctx.folders_in(container)
    if not ids:
        raise schema_violation(f"The element '{what}' has incomplete content.")
    return ctx.folder(ids[0])


@operation("GetFolder")
def get_folder(ctx: Context, request: etree._Element) -> str:
    shape = parse_folder_shape(child(request, "FolderShape"))

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        return f"<m:Folders>{render_folder(mailbox, folder, shape)}</m:Folders>"

    return each("GetFolder", ctx.folders_in(child(request, "FolderIds")), one, "<m:Folders/>")


def folder_view(mailbox: Mailbox, folder: Folder) -> Item:
    """A folder's searchable properties, in the form restrictions evaluate."""
    return Item(
        uuid=folder.uuid,
        item_type="Folder",
        folder=folder.parent or b"",
        props={
            "DisplayName": folder.name,
            "FolderClass": folder.folder_class,
            "TotalCount": len(folder.items),
            "ChildFolderCount": len(mailbox.children_of(folder)),
            "UnreadCount": folder.unread_count,
        },
    )


def _browsable(mailbox: Mailbox, folder: Folder, deep: bool) -> list[Folder]:
    found: list[Folder] = []

    def visit(parent: Folder) -> None:
        for sub in mailbox.children_of(parent):
            if sub.distinguished in _HIDDEN_FROM_BROWSING:
                continue
            found.append(sub)
            if deep:
                visit(sub)

    visit(folder)
    return found


@operation("FindFolder")
def find_folder(ctx: Context, request: etree._Element) -> str:
    traversal = enumerated(request, "Traversal", ("Shallow", "Deep", "SoftDeleted"), "Shallow")
    shape = parse_folder_shape(child(request, "FolderShape"))
    view = parse_indexed_view(child(request, "IndexedPageFolderView"))
    predicate = compile_restriction(child(request, "Restriction"))

    def one(elem: etree._Element) -> str:
        mailbox, parent = ctx.folder(elem)
        found = (
            [] if traversal == "SoftDeleted" else _browsable(mailbox, parent, traversal == "Deep")
        )
        if predicate is not None:
            found = [f for f in found if predicate(folder_view(mailbox, f))]
        page, attrs = page_attributes(found, view)
        inner = "".join(render_folder(mailbox, f, shape) for f in page)
        return f"<m:RootFolder{attrs}><t:Folders>{inner}</t:Folders></m:RootFolder>"

    return each("FindFolder", ctx.folders_in(child(request, "ParentFolderIds")), one)


@operation("CreateFolder")
def create_folder(ctx: Context, request: etree._Element) -> str:
    mailbox, parent = _first_id(child(request, "ParentFolderId"), ctx, "ParentFolderId")
    folders = child(request, "Folders")
    specs = children(folders)

    def one(spec: etree._Element) -> str:
        element_name = local_name(spec)
        if element_name not in _FOLDER_ELEMENTS:
            raise schema_violation(f"The element '{element_name}' is not a folder type.")
        name = child_text(spec, "DisplayName")
        if not name:
            raise EwsError("ErrorFolderSavePropertyError", "The folder must have a display name.")
        if any(f.name.casefold() == name.casefold() for f in mailbox.children_of(parent)):
            raise EwsError("ErrorFolderExists")
        folder_class = child_text(spec, "FolderClass") or {
            "CalendarFolder": "IPF.Appointment",
            "ContactsFolder": "IPF.Contact",
            "TasksFolder": "IPF.Task",
        }.get(element_name, "IPF.Note")
        element = (
            element_name
            if element_name != "Folder"
            else ELEMENT_FOR_CLASS.get(folder_class, "Folder")
        )
        folder = ctx.store.create_folder(mailbox, parent, name, folder_class, element)
        return f"<m:Folders><t:{element}>{folder_id_xml(mailbox, folder)}</t:{element}></m:Folders>"

    return each("CreateFolder", specs, one, "<m:Folders/>")


def _apply_folder_update(
    ctx: Context, mailbox: Mailbox, folder: Folder, update: etree._Element
) -> None:
    paths = children(update)
    if not paths or local_name(paths[0]) != "FieldURI":
        raise schema_violation(f"The element '{local_name(update)}' has incomplete content.")
    ref = resolve_field_uri(paths[0].get("FieldURI", ""))
    action = local_name(update)
    if action == "DeleteFolderField":
        if ref.element != "PermissionSet":
            raise EwsError("ErrorInvalidPropertyDelete", "The property cannot be deleted.")
        return
    if action != "SetFolderField":
        raise EwsError("ErrorInvalidPropertyAppend", "The property cannot be appended to.")
    holder = paths[1] if len(paths) > 1 else None
    value = child_text(holder, ref.element) if holder is not None else None
    if ref.element == "DisplayName":
        if not value:
            raise EwsError("ErrorInvalidPropertySet", "A folder needs a display name.")
        if value == folder.name:
            return
        if folder.distinguished:
            raise EwsError("ErrorAccessDenied")
        siblings = mailbox.children_of(mailbox.folders[folder.parent]) if folder.parent else []
        if any(f is not folder and f.name.casefold() == value.casefold() for f in siblings):
            raise EwsError("ErrorFolderExists")
        ctx.store.rename_folder(mailbox, folder, value)
    elif ref.element == "FolderClass":
        if value != folder.folder_class:
            raise EwsError("ErrorNoFolderClassOverride", "The folder class cannot be changed.")
    elif ref.element != "PermissionSet":
        raise EwsError("ErrorInvalidPropertySet", "This folder property cannot be set.")


@operation("UpdateFolder")
def update_folder(ctx: Context, request: etree._Element) -> str:
    changes = child(request, "FolderChanges")

    def one(change: etree._Element) -> str:
        ids = ctx.folders_in(change)
        if not ids:
            raise schema_violation("The element 'FolderChange' has incomplete content.")
        mailbox, folder = ctx.folder(ids[0])
        updates = child(change, "Updates")
        for update in children(updates):
            _apply_folder_update(ctx, mailbox, folder, update)
        tag = f"t:{folder.element}"
        return f"<m:Folders><{tag}>{folder_id_xml(mailbox, folder)}</{tag}></m:Folders>"

    return each("UpdateFolder", children(changes), one, "<m:Folders/>")


@operation("DeleteFolder")
def delete_folder(ctx: Context, request: etree._Element) -> str:
    enumerated(request, "DeleteType", ("HardDelete", "SoftDelete", "MoveToDeletedItems"))

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        if folder.distinguished:
            raise EwsError("ErrorDeleteDistinguishedFolder")
        ctx.store.delete_folder(mailbox, folder)
        return ""

    return each("DeleteFolder", ctx.folders_in(child(request, "FolderIds")), one)


@operation("EmptyFolder")
def empty_folder(ctx: Context, request: etree._Element) -> str:
    delete_sub_folders = request.get("DeleteSubFolders", "false") in ("true", "1")

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        for item in list(folder.items.values()):
            ctx.store.remove_item(mailbox, item)
        if delete_sub_folders:
            for sub in mailbox.children_of(folder):
                ctx.store.delete_folder(mailbox, sub)
        return ""

    return each("EmptyFolder", ctx.folders_in(child(request, "FolderIds")), one)
