"""FindPeople, GetPersona and ExpandDL: people in a contacts folder or in the directory, and the
members of a distribution list."""

from __future__ import annotations

from lxml import etree

from .. import ids
from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Item
from ..people import (
    DEFAULT_PERSONA,
    PERSONA_ORDER,
    Persona,
    contact_persona,
    directory_persona,
    matches,
)
from ..restrictions import compile_restriction, sort_items
from ..schema import render_mailbox, resolve_field_uri
from ..xmlkit import child, child_text, children, element
from .paging import page_attributes, parse_indexed_view
from .registry import direct, operation, single


def _persona_shape(elem: etree._Element | None) -> set[str]:
    if elem is None:
        return set(DEFAULT_PERSONA)
    base = child_text(elem, "BaseShape") or "Default"
    wanted = {
        "IdOnly": {"PersonaId"},
        "Default": set(DEFAULT_PERSONA),
        "AllProperties": set(PERSONA_ORDER),
    }.get(base)
    if wanted is None:
        raise schema_violation(f"The 'BaseShape' element is invalid - '{base}'.")
    for path in children(child(elem, "AdditionalProperties")):
        wanted.add(resolve_field_uri(path.get("FieldURI", "")).element)
    return wanted


def _people_in(ctx: Context, parent: etree._Element) -> list[Persona]:
    """The personas of a contacts folder, or of the directory (every mailbox here)."""
    mailbox, folder = ctx.folder(parent)
    if folder.distinguished == "directory":
        return [directory_persona(mailbox, m) for m in ctx.store.mailboxes.values()]
    return [
        contact_persona(mailbox, item)
        for item in folder.items.values()
        if item.item_type == "Contact"
    ]


def _as_item(persona: Persona) -> Item:
    """A persona in the form restrictions and sorting evaluate."""
    return Item(uuid=b"", item_type="Persona", folder=b"", props=persona.searchable())


@operation("FindPeople")
def find_people(ctx: Context, request: etree._Element) -> str:
    wanted = _persona_shape(child(request, "PersonaShape"))
    view = parse_indexed_view(child(request, "IndexedPageItemView"))
    predicate = compile_restriction(child(request, "Restriction"))
    query = child_text(request, "QueryString")
    sort_order = child(request, "SortOrder")

    def handle() -> str:
        parents = ctx.folders_in(child(request, "ParentFolderId"))
        if not parents:
            raise schema_violation("The element 'ParentFolderId' has incomplete content.")
        people = _people_in(ctx, parents[0])
        if query:
            people = [p for p in people if matches(query.strip().strip('"'), *p.texts())]
        items = [_as_item(p) for p in people]
        by_item = dict(zip(map(id, items), people, strict=True))
        if predicate is not None:
            items = [i for i in items if predicate(i)]
        ordered = (
            sort_items(items, sort_order)
            if sort_order is not None
            else sorted(items, key=lambda i: str(i.props["DisplayName"]).casefold())
        )
        page, _ = page_attributes(ordered, view)
        shown = "".join(by_item[id(i)].render("t:Persona", wanted) for i in page)
        return (
            f"<m:People>{shown}</m:People>"
            + element("m:TotalNumberOfPeopleInView", str(len(ordered)))
            + element("m:FirstMatchingRowIndex", "0")
            + element("m:FirstLoadedRowIndex", str(view.offset))
        )

    return direct("FindPeople", handle)


def _persona(ctx: Context, persona_id: str) -> Persona:
    object_id = ids.decode(persona_id)
    if object_id.kind is not ids.IdKind.PERSONA:
        raise EwsError("ErrorInvalidIdMalformed")
    owner = ctx.mailbox_for_id(object_id, "ErrorItemNotFound")
    contact = owner.items.get(object_id.object)
    if contact is not None and contact.item_type == "Contact":
        return contact_persona(owner, contact)
    person = ctx.store.mailbox_by_guid(object_id.object)
    if person is None:
        raise EwsError("ErrorItemNotFound")
    return directory_persona(owner, person)


@operation("GetPersona")
def get_persona(ctx: Context, request: etree._Element) -> str:
    persona_elem = child(request, "PersonaId")
    if persona_elem is None:
        raise schema_violation("The element 'GetPersona' has incomplete content.")

    def handle() -> str:
        persona = _persona(ctx, persona_elem.get("Id", ""))
        return persona.render("m:Persona", set(PERSONA_ORDER))

    return direct("GetPersona", handle, tag="GetPersonaResponseMessage")


def _members(ctx: Context, mailbox_elem: etree._Element) -> list[str]:
    item_id = child(mailbox_elem, "ItemId")
    if item_id is not None:
        target = ctx.item(item_id)
        if target.item.item_type != "DistributionList":
            raise EwsError("ErrorInvalidItemForOperationExpandDL")
        return [render_mailbox(m.address) for m in target.item.props.get("Members", [])]
    # The directory holds mailboxes only: an address here is never a group to expand.
    raise EwsError("ErrorNameResolutionNoResults")


@operation("ExpandDL")
def expand_dl(ctx: Context, request: etree._Element) -> str:
    mailbox_elem = child(request, "Mailbox")
    if mailbox_elem is None:
        raise schema_violation("The element 'ExpandDL' has incomplete content.")

    def handle() -> str:
        members = _members(ctx, mailbox_elem)
        attrs = f'TotalItemsInView="{len(members)}" IncludesLastItemInRange="true"'
        return f"<m:DLExpansion {attrs}>{''.join(members)}</m:DLExpansion>"

    return single("ExpandDL", handle)
