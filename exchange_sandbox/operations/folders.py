"""GetFolder, FindFolder, CreateFolder, UpdateFolder, DeleteFolder, EmptyFolder, MoveFolder,
CopyFolder.

Folder names are unique among siblings without regard to case, as in Exchange; a folder keeps
its FolderId when it moves; its type follows its container class (an IPF.Appointment folder is
a CalendarFolder however it was created).
"""

from __future__ import annotations

from lxml import etree

from .. import deletion
from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..extended import ExtendedKey, ExtendedValue, parse_field, parse_property
from ..model import Folder, Item, Mailbox
from ..render import folder_id_xml, render_folder
from ..restrictions import compile_restriction
from ..schema import resolve_field_uri
from ..shapes import parse_folder_shape
from ..store import folder_element
from ..xmlkit import child, child_text, children, local_name
from .paging import page_attributes, parse_indexed_view
from .registry import each, operation

_FOLDER_ELEMENTS = ("Folder", "CalendarFolder", "ContactsFolder", "TasksFolder", "SearchFolder")
_DEFAULT_CLASS = {
    "CalendarFolder": "IPF.Appointment",
    "ContactsFolder": "IPF.Contact",
    "TasksFolder": "IPF.Task",
}
# The dumpster and the directory are reached by their distinguished ids, never by browsing.
_HIDDEN_FROM_BROWSING = frozenset(
    {
        "directory",
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


def _refuse_duplicate_name(
    mailbox: Mailbox, parent: Folder, name: str, moving: Folder | None = None
) -> None:
    folded = name.casefold()
    if any(
        sibling is not moving and sibling.name.casefold() == folded
        for sibling in mailbox.children_of(parent)
    ):
        raise EwsError("ErrorFolderExists")


def _folder_xml(mailbox: Mailbox, folder: Folder) -> str:
    tag = f"t:{folder.element}"
    return f"<m:Folders><{tag}>{folder_id_xml(mailbox, folder)}</{tag}></m:Folders>"


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
        extended=folder.extended,
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


def _extended_properties(spec: etree._Element) -> dict[ExtendedKey, ExtendedValue]:
    values = [parse_property(e) for e in children(spec) if local_name(e) == "ExtendedProperty"]
    return {value.field.key: value for value in values}


@operation("CreateFolder")
def create_folder(ctx: Context, request: etree._Element) -> str:
    mailbox, parent = _first_id(child(request, "ParentFolderId"), ctx, "ParentFolderId")
    specs = children(child(request, "Folders"))

    def one(spec: etree._Element) -> str:
        element_name = local_name(spec)
        if element_name not in _FOLDER_ELEMENTS:
            raise schema_violation(f"The element '{element_name}' is not a folder type.")
        name = child_text(spec, "DisplayName")
        if not name:
            raise EwsError("ErrorFolderSavePropertyError", "The folder must have a display name.")
        _refuse_duplicate_name(mailbox, parent, name)
        folder_class = child_text(spec, "FolderClass") or _DEFAULT_CLASS.get(
            element_name, "IPF.Note"
        )
        element = element_name if element_name != "Folder" else folder_element(folder_class)
        extended = _extended_properties(spec)
        folder = ctx.store.create_folder(mailbox, parent, name, folder_class, element)
        folder.extended = extended
        return _folder_xml(mailbox, folder)

    return each("CreateFolder", specs, one, "<m:Folders/>")


def _apply_folder_update(mailbox: Mailbox, folder: Folder, update: etree._Element) -> bool:
    """Apply one SetFolderField / DeleteFolderField; whether the folder changed."""
    paths = children(update)
    if not paths or local_name(paths[0]) not in ("FieldURI", "ExtendedFieldURI"):
        raise schema_violation(f"The element '{local_name(update)}' has incomplete content.")
    action = local_name(update)
    if action not in ("SetFolderField", "DeleteFolderField"):
        raise EwsError("ErrorInvalidPropertyAppend", "The property cannot be appended to.")
    holder = paths[1] if len(paths) > 1 else None
    if local_name(paths[0]) == "ExtendedFieldURI":
        key = parse_field(paths[0]).key
        if action == "DeleteFolderField":
            return folder.extended.pop(key, None) is not None
        values = _extended_properties(holder) if holder is not None else {}
        if key not in values:
            raise EwsError("ErrorIncorrectUpdatePropertyCount")
        folder.extended[key] = values[key]
        return True
    ref = resolve_field_uri(paths[0].get("FieldURI", ""))
    if action == "DeleteFolderField":
        if ref.element != "PermissionSet":
            raise EwsError("ErrorInvalidPropertyDelete", "The property cannot be deleted.")
        return False
    value = child_text(holder, ref.element) if holder is not None else None
    if ref.element == "DisplayName":
        if not value:
            raise EwsError("ErrorInvalidPropertySet", "A folder needs a display name.")
        if value == folder.name:
            return False
        if folder.distinguished:
            raise EwsError("ErrorAccessDenied")
        if folder.parent is not None:
            _refuse_duplicate_name(mailbox, mailbox.folders[folder.parent], value, folder)
        folder.name = value
        return True
    if ref.element == "FolderClass":
        if value != folder.folder_class:
            raise EwsError("ErrorNoFolderClassOverride", "The folder class cannot be changed.")
        return False
    if ref.element != "PermissionSet":
        raise EwsError("ErrorInvalidPropertySet", "This folder property cannot be set.")
    return False


@operation("UpdateFolder")
def update_folder(ctx: Context, request: etree._Element) -> str:
    def one(change: etree._Element) -> str:
        ids = ctx.folders_in(change)
        if not ids:
            raise schema_violation("The element 'FolderChange' has incomplete content.")
        mailbox, folder = ctx.folder(ids[0])
        changed = [
            _apply_folder_update(mailbox, folder, update)
            for update in children(child(change, "Updates"))
        ]
        if any(changed):
            ctx.store.folder_changed(mailbox, folder)
        return _folder_xml(mailbox, folder)

    return each("UpdateFolder", children(child(request, "FolderChanges")), one, "<m:Folders/>")


@operation("DeleteFolder")
def delete_folder(ctx: Context, request: etree._Element) -> str:
    delete_type = enumerated(request, "DeleteType", deletion.DELETE_TYPES)

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        if folder.distinguished:
            raise EwsError("ErrorDeleteDistinguishedFolder")
        deletion.delete_folder(ctx.store, mailbox, folder, delete_type)
        return ""

    return each("DeleteFolder", ctx.folders_in(child(request, "FolderIds")), one)


@operation("EmptyFolder")
def empty_folder(ctx: Context, request: etree._Element) -> str:
    delete_type = enumerated(request, "DeleteType", deletion.DELETE_TYPES)
    delete_sub_folders = request.get("DeleteSubFolders", "false") in ("true", "1")

    def one(elem: etree._Element) -> str:
        mailbox, folder = ctx.folder(elem)
        for item in list(folder.items.values()):
            deletion.delete_item(ctx.store, mailbox, item, delete_type)
        if delete_sub_folders:
            for sub in mailbox.children_of(folder):
                deletion.delete_folder(ctx.store, mailbox, sub, delete_type)
        return ""

    return each("EmptyFolder", ctx.folders_in(child(request, "FolderIds")), one)


def _move_or_copy(
    ctx: Context, request: etree._Element, elem: etree._Element
) -> tuple[Mailbox, Folder, Folder]:
    """The folder and destination of a MoveFolder/CopyFolder, refused as Exchange refuses them."""
    destination_mailbox, destination = ctx.to_folder(request)
    mailbox, folder = ctx.folder(elem)
    if mailbox is not destination_mailbox:
        raise EwsError("ErrorCrossMailboxMoveCopy")
    if destination is folder or mailbox.is_under(destination, folder):
        raise EwsError("ErrorMoveCopyFailed")
    return mailbox, folder, destination


@operation("MoveFolder")
def move_folder(ctx: Context, request: etree._Element) -> str:
    def one(elem: etree._Element) -> str:
        mailbox, folder, destination = _move_or_copy(ctx, request, elem)
        if folder.distinguished:
            raise EwsError("ErrorMoveDistinguishedFolder")
        if folder.parent != destination.uuid:
            _refuse_duplicate_name(mailbox, destination, folder.name, folder)
            ctx.store.move_folder(mailbox, folder, destination)
        return _folder_xml(mailbox, folder)

    return each("MoveFolder", ctx.folders_in(child(request, "FolderIds")), one, "<m:Folders/>")


@operation("CopyFolder")
def copy_folder(ctx: Context, request: etree._Element) -> str:
    def one(elem: etree._Element) -> str:
        mailbox, folder, destination = _move_or_copy(ctx, request, elem)
        _refuse_duplicate_name(mailbox, destination, folder.name)
        return _folder_xml(mailbox, ctx.store.copy_folder(mailbox, folder, destination))

    return each("CopyFolder", ctx.folders_in(child(request, "FolderIds")), one, "<m:Folders/>")
