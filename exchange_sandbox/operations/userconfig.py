"""GetUserConfiguration, CreateUserConfiguration, UpdateUserConfiguration,
DeleteUserConfiguration: named configuration objects a client keeps with a folder (in Exchange,
IPM.Configuration.<name> messages associated with it), each with a dictionary, XML data and
binary data. Names are compared without regard to case, as item classes are."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from lxml import etree

from .. import ids
from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Folder, Mailbox, UserConfiguration
from ..store import new_guid
from ..values import format_datetime, parse_boolean, parse_datetime
from ..xmlkit import child, child_text, children, element, escape_text, local_name, wrap
from .registry import operation, single

_PROPERTIES = frozenset({"Id", "Dictionary", "XmlData", "BinaryData", "All"})
_INTEGER_TYPES = frozenset(
    {"Byte", "Integer32", "UnsignedInteger32", "Integer64", "UnsignedInteger64"}
)
_OBJECT_TYPES = _INTEGER_TYPES | {"DateTime", "Boolean", "String", "StringArray", "ByteArray"}


def _name_and_folder(ctx: Context, name_elem: etree._Element | None) -> tuple[str, Mailbox, Folder]:
    if name_elem is None or not name_elem.get("Name"):
        raise schema_violation("The element 'UserConfigurationName' has incomplete content.")
    folder_ids = ctx.folders_in(name_elem)
    if not folder_ids:
        raise schema_violation("The element 'UserConfigurationName' has incomplete content.")
    mailbox, folder = ctx.folder(folder_ids[0])
    return name_elem.get("Name", ""), mailbox, folder


def _existing(folder: Folder, name: str) -> UserConfiguration:
    found = folder.configurations.get(name.casefold())
    if found is None:
        raise EwsError("ErrorItemNotFound")
    return found


def _base64(elem: etree._Element, name: str) -> bytes | None:
    text = child_text(elem, name)
    if text is None:
        return None
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise schema_violation(f"The '{name}' element is not valid base64.") from error


def _typed_text(value_type: str, text: str) -> str:
    """A dictionary value as Exchange stores and answers it (a Boolean sent as 1 comes back as
    true, a DateTime in UTC)."""
    try:
        if value_type == "Boolean":
            return "true" if parse_boolean(text) else "false"
        if value_type in _INTEGER_TYPES:
            return str(int(text.strip()))
        if value_type == "DateTime":
            return format_datetime(parse_datetime(text))
        if value_type == "ByteArray":
            return base64.b64encode(base64.b64decode(text.strip(), validate=True)).decode("ascii")
    except (ValueError, binascii.Error) as error:
        raise EwsError("ErrorInvalidValueForProperty") from error
    return text


def _typed_object(elem: etree._Element) -> str:
    """A DictionaryKey or DictionaryValue element, its values normalised by their Type."""
    value_type = child_text(elem, "Type") or ""
    if value_type not in _OBJECT_TYPES:
        raise schema_violation(f"The 'Type' element is invalid - '{value_type}'.")
    values = [v.text or "" for v in children(elem) if local_name(v) == "Value"]
    inner = element("t:Type", value_type) + "".join(
        element("t:Value", _typed_text(value_type, v)) for v in values
    )
    return f"<t:{local_name(elem)}>{inner}</t:{local_name(elem)}>"


def _dictionary(elem: etree._Element) -> str:
    entries = []
    for entry in children(elem):
        parts = [_typed_object(sub) for sub in children(entry)]
        entries.append(f"<t:DictionaryEntry>{''.join(parts)}</t:DictionaryEntry>")
    return wrap("t:Dictionary", entries)


def _apply(configuration: UserConfiguration, elem: etree._Element) -> None:
    """The parts a Create or Update request carries; parts it leaves out stay as they are."""
    dictionary = child(elem, "Dictionary")
    if dictionary is not None:
        configuration.dictionary = _dictionary(dictionary)
    xml_data = _base64(elem, "XmlData")
    if xml_data is not None:
        configuration.xml_data = xml_data
    binary_data = _base64(elem, "BinaryData")
    if binary_data is not None:
        configuration.binary_data = binary_data


def _render(
    mailbox: Mailbox, folder: Folder, configuration: UserConfiguration, wanted: set[str]
) -> str:
    everything = "All" in wanted
    name = wrap(
        "t:UserConfigurationName",
        element("t:FolderId", Id=ids.folder_id(mailbox.guid, folder.uuid)),
        Name=configuration.name,
    )
    parts = [name]
    if everything or "Id" in wanted:
        parts.append(
            element(
                "t:ItemId",
                Id=ids.item_id(mailbox.guid, configuration.uuid),
                ChangeKey=ids.change_key(configuration.change_number),
            )
        )
    if (everything or "Dictionary" in wanted) and configuration.dictionary:
        parts.append(configuration.dictionary)
    for tag, data in (
        ("XmlData", configuration.xml_data),
        ("BinaryData", configuration.binary_data),
    ):
        if (everything or tag in wanted) and data is not None:
            parts.append(
                f"<t:{tag}>{escape_text(base64.b64encode(data).decode('ascii'))}</t:{tag}>"
            )
    return wrap("m:UserConfiguration", parts)


def _configuration_elem(request: etree._Element) -> etree._Element:
    found = child(request, "UserConfiguration")
    if found is None:
        raise schema_violation(f"The element '{request.tag}' has incomplete content.")
    return found


@operation("GetUserConfiguration")
def get_user_configuration(ctx: Context, request: etree._Element) -> str:
    wanted = set((child_text(request, "UserConfigurationProperties") or "").split())
    if not wanted or not wanted <= _PROPERTIES:
        raise schema_violation("The element 'UserConfigurationProperties' is invalid.")

    def handle() -> str:
        name, mailbox, folder = _name_and_folder(ctx, child(request, "UserConfigurationName"))
        return _render(mailbox, folder, _existing(folder, name), wanted)

    return single("GetUserConfiguration", handle)


def _save(
    ctx: Context,
    request: etree._Element,
    name: str,
    configuration_for: Callable[[Folder, str], UserConfiguration],
) -> str:
    """Create or update: the configuration the request names takes the parts it carries."""

    def handle() -> str:
        elem = _configuration_elem(request)
        config_name, mailbox, folder = _name_and_folder(ctx, child(elem, "UserConfigurationName"))
        configuration = configuration_for(folder, config_name)
        _apply(configuration, elem)
        ctx.store.save_configuration(mailbox, folder, configuration)
        return ""

    return single(name, handle)


def _new(folder: Folder, name: str) -> UserConfiguration:
    if name.casefold() in folder.configurations:
        raise EwsError(
            "ErrorItemSave", "A user configuration object with this name already exists."
        )
    return UserConfiguration(name=name, uuid=new_guid(), change_number=0)


@operation("CreateUserConfiguration")
def create_user_configuration(ctx: Context, request: etree._Element) -> str:
    return _save(ctx, request, "CreateUserConfiguration", _new)


@operation("UpdateUserConfiguration")
def update_user_configuration(ctx: Context, request: etree._Element) -> str:
    return _save(ctx, request, "UpdateUserConfiguration", _existing)


@operation("DeleteUserConfiguration")
def delete_user_configuration(ctx: Context, request: etree._Element) -> str:
    def handle() -> str:
        name, mailbox, folder = _name_and_folder(ctx, child(request, "UserConfigurationName"))
        _existing(folder, name)
        ctx.store.remove_configuration(mailbox, folder, name)
        return ""

    return single("DeleteUserConfiguration", handle)
