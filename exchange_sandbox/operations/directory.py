"""ResolveNames (the sandbox's mailboxes are its directory) and ConvertId."""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from .. import ids
from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..model import Item, Mailbox
from ..people import contact_emails, matches
from ..render import item_id_xml
from ..schema import render_mailbox
from ..soap import failure, operation_response, success
from ..values import Address
from ..xmlkit import child, children, element, escape_text, local_name
from .registry import operation

_ID_FORMATS = ("EwsLegacyId", "EwsId", "EntryId", "HexEntryId", "StoreId", "OwaId")
_CANDIDATE_LIMIT = 100


def _directory_resolution(mailbox: Mailbox, full: bool) -> str:
    address = Address(mailbox.address, mailbox.display_name)
    contact = ""
    if full:
        given, _, surname = mailbox.display_name.partition(" ")
        contact = (
            "<t:Contact>"
            + element("t:DisplayName", mailbox.display_name)
            + element("t:GivenName", given)
            + element("t:Surname", surname)
            + '<t:EmailAddresses><t:Entry Key="EmailAddress1">'
            + escape_text(f"SMTP:{mailbox.address}")
            + "</t:Entry></t:EmailAddresses>"
            + element("t:ContactSource", "ActiveDirectory")
            + "</t:Contact>"
        )
    return f"<t:Resolution>{render_mailbox(address)}{contact}</t:Resolution>"


def _contact_resolution(owner: Mailbox, contact: Item) -> str:
    email = next(iter(contact_emails(contact)), "")
    name = contact.props.get("DisplayName", email)
    mailbox = (
        "<t:Mailbox>"
        + element("t:Name", name)
        + element("t:EmailAddress", email)
        + element("t:RoutingType", "SMTP")
        + element("t:MailboxType", "Contact")
        + item_id_xml(owner, contact)
        + "</t:Mailbox>"
    )
    return f"<t:Resolution>{mailbox}</t:Resolution>"


def _contact_matches(contact: Item, entry: str) -> bool:
    texts = [contact.props.get("DisplayName", ""), contact.props.get("CompanyName", "")]
    return matches(entry, *[t for t in [*texts, *contact_emails(contact)] if t])


@operation("ResolveNames")
def resolve_names(ctx: Context, request: etree._Element) -> str:
    name = "ResolveNames"
    full = request.get("ReturnFullContactData", "false") in ("true", "1")
    scope = request.get("SearchScope", "ActiveDirectoryContacts")
    entries = [e.text or "" for e in children(request) if local_name(e) == "UnresolvedEntry"]
    if not entries:
        raise schema_violation("The element 'ResolveNames' has incomplete content.")
    messages = []
    for entry in entries:
        wanted = entry.strip().removeprefix("SMTP:").removeprefix("smtp:")
        resolutions: list[str] = []
        if scope != "Contacts":
            exact = ctx.store.mailbox(wanted)
            found = (
                [exact]
                if exact
                else [
                    m
                    for m in ctx.store.mailboxes.values()
                    if matches(wanted, m.display_name, m.address)
                ]
            )
            resolutions += [_directory_resolution(m, full) for m in found]
        if scope != "ActiveDirectory":
            contacts = ctx.user.distinguished["contacts"].items.values()
            resolutions += [
                _contact_resolution(ctx.user, c)
                for c in contacts
                if c.item_type == "Contact" and _contact_matches(c, wanted)
            ]
        if not resolutions:
            messages.append(failure(name, EwsError("ErrorNameResolutionNoResults")))
            continue
        shown = resolutions[:_CANDIDATE_LIMIT]
        last = "true" if len(shown) == len(resolutions) else "false"
        resolution_set = (
            f'<m:ResolutionSet TotalItemsInView="{len(shown)}" IncludesLastItemInRange="{last}">'
            f"{''.join(shown)}</m:ResolutionSet>"
        )
        if len(shown) == 1:
            messages.append(success(name, resolution_set))
        else:
            warning = EwsError("ErrorNameResolutionMultipleResults")
            messages.append(failure(name, warning, resolution_set, response_class="Warning"))
    return operation_response(name, messages)


def _raw_of(format_name: str, value: str) -> bytes:
    try:
        if format_name in ("EwsId", "EwsLegacyId", "OwaId"):
            return base64.b64decode(value.replace("-", "/").replace("_", "+"), validate=True)
        if format_name in ("EntryId", "StoreId"):
            return base64.b64decode(value, validate=True)
        return bytes.fromhex(value)
    except (binascii.Error, ValueError) as error:
        raise EwsError("ErrorInvalidIdMalformed") from error


def _formatted(format_name: str, raw: bytes) -> str:
    if format_name == "HexEntryId":
        return raw.hex().upper()
    if format_name == "OwaId":
        return base64.b64encode(raw).decode("ascii").replace("/", "-").replace("+", "_")
    return base64.b64encode(raw).decode("ascii")


@operation("ConvertId")
def convert_id(ctx: Context, request: etree._Element) -> str:
    name = "ConvertId"
    destination = enumerated(request, "DestinationFormat", _ID_FORMATS)
    sources = child(request, "SourceIds")
    messages = []
    for source in children(sources):
        try:
            format_name = enumerated(source, "Format", _ID_FORMATS, "")
            raw = _raw_of(format_name, source.get("Id", ""))
            object_id = ids.decode(base64.b64encode(raw).decode("ascii"))
            mailbox = ctx.mailbox_for_id(object_id, "ErrorItemNotFound")
            alternate = element(
                "m:AlternateId",
                **{"xsi:type": "t:AlternateIdType"},
                Format=destination,
                Id=_formatted(destination, raw),
                Mailbox=mailbox.address,
            )
            messages.append(success(name, alternate))
        except EwsError as error:
            messages.append(failure(name, error))
    return operation_response(name, messages)
