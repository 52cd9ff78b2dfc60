"""Extended (MAPI) properties: ExtendedFieldURI identity, typed values, normalised text."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from .errors import EwsError, schema_violation
from .values import format_datetime, parse_boolean, parse_datetime
from .xmlkit import canonical, child, children, escape_text, local_name, parse_fragment

# Distinguished property sets and their GUIDs (MS-OXPROPS), so both spellings name one property.
DISTINGUISHED_SETS = {
    "Address": "00062004-0000-0000-c000-000000000046",
    "Appointment": "00062002-0000-0000-c000-000000000046",
    "CalendarAssistant": "11000e07-b51b-40d6-af21-caa85edab1d0",
    "Common": "00062008-0000-0000-c000-000000000046",
    "InternetHeaders": "00020386-0000-0000-c000-000000000046",
    "Meeting": "6ed8da90-450b-101b-98da-00aa003f1305",
    "PublicStrings": "00020329-0000-0000-c000-000000000046",
    "Sharing": "00062040-0000-0000-c000-000000000046",
    "Task": "00062003-0000-0000-c000-000000000046",
    "UnifiedMessaging": "4442858e-a9e3-4e80-b900-317a210cc15b",
}

PROPERTY_TYPES = frozenset(
    [
        "ApplicationTime",
        "ApplicationTimeArray",
        "Binary",
        "BinaryArray",
        "Boolean",
        "CLSID",
        "CLSIDArray",
        "Currency",
        "CurrencyArray",
        "Double",
        "DoubleArray",
        "Error",
        "Float",
        "FloatArray",
        "Integer",
        "IntegerArray",
        "Long",
        "LongArray",
        "Null",
        "Object",
        "ObjectArray",
        "Short",
        "ShortArray",
        "SystemTime",
        "SystemTimeArray",
        "String",
        "StringArray",
    ]
)


@dataclass(frozen=True)
class ExtendedKey:
    """What makes two ExtendedFieldURIs the same property, however they are spelled."""

    property_set: str | None
    name: str | None
    number: int | None  # PropertyId
    tag: int | None


@dataclass(frozen=True)
class ExtendedField:
    key: ExtendedKey
    property_type: str
    uri_xml: str  # the ExtendedFieldURI as the client wrote it, echoed back in responses


@dataclass(frozen=True)
class ExtendedValue:
    field: ExtendedField
    value: str | tuple[str, ...]  # normalised text; a tuple for *Array types

    def render(self, uri_xml: str | None = None) -> str:
        if isinstance(self.value, tuple):
            inner = "".join(f"<t:Value>{escape_text(v)}</t:Value>" for v in self.value)
            value_xml = f"<t:Values>{inner}</t:Values>"
        else:
            value_xml = f"<t:Value>{escape_text(self.value)}</t:Value>"
        return (
            f"<t:ExtendedProperty>{uri_xml or self.field.uri_xml}{value_xml}</t:ExtendedProperty>"
        )

    def typed(self) -> Any:
        """The value as a Python object, for restrictions and sorting."""
        base = self.field.property_type.removesuffix("Array")
        if isinstance(self.value, tuple):
            return [typed_value(base, v) for v in self.value]
        return typed_value(base, self.value)


def _parse_number(text: str) -> int:
    text = text.strip()
    return int(text, 16) if text.lower().startswith("0x") else int(text)


_FIELDS: dict[tuple[str, tuple[tuple[str, str], ...]], ExtendedField] = {}
_FIELDS_KEPT = 1024


def parse_field(elem: etree._Element) -> ExtendedField:
    """An ExtendedFieldURI element. A client names the same few properties in every item of a
    request (a mark is eight of them), so an empty element is parsed once per spelling."""
    if len(elem) or elem.text is not None:
        return _parse_field(elem)
    spelling = (str(elem.tag), tuple(elem.attrib.items()))
    field = _FIELDS.get(spelling)
    if field is None:
        if len(_FIELDS) >= _FIELDS_KEPT:
            _FIELDS.clear()
        field = _FIELDS[spelling] = _parse_field(elem)
    return field


def _parse_field(elem: etree._Element) -> ExtendedField:
    attrs = elem.attrib
    property_type = attrs.get("PropertyType")
    if property_type not in PROPERTY_TYPES:
        raise schema_violation(
            f"The 'PropertyType' attribute is invalid - The value '{property_type}' is invalid"
            " according to its datatype 'MapiPropertyTypeType' - The Enumeration constraint failed."
        )
    distinguished = attrs.get("DistinguishedPropertySetId")
    set_id = attrs.get("PropertySetId")
    if distinguished is not None and distinguished not in DISTINGUISHED_SETS:
        raise schema_violation(
            f"The 'DistinguishedPropertySetId' attribute is invalid - The value '{distinguished}'"
            " is invalid according to its datatype - The Enumeration constraint failed."
        )
    property_set = DISTINGUISHED_SETS[distinguished] if distinguished else None
    if set_id:
        property_set = set_id.strip().lower()
    try:
        number = _parse_number(attrs["PropertyId"]) if "PropertyId" in attrs else None
        tag = _parse_number(attrs["PropertyTag"]) if "PropertyTag" in attrs else None
    except ValueError as error:
        raise EwsError(
            "ErrorInvalidExtendedProperty", "The extended property is invalid."
        ) from error
    name = attrs.get("PropertyName")
    named = property_set is not None and (name is not None) != (number is not None)
    tagged = tag is not None and property_set is None and name is None and number is None
    if not (named or tagged):
        raise EwsError(
            "ErrorInvalidExtendedProperty",
            "The extended property attribute combination is invalid.",
        )
    return ExtendedField(
        ExtendedKey(property_set, name, number, tag), property_type, canonical(elem)
    )


def typed_value(base_type: str, text: str) -> Any:
    if base_type in ("Integer", "Long", "Short", "Currency"):
        return int(text)
    if base_type in ("Double", "Float", "ApplicationTime"):
        return Decimal(text)
    if base_type == "Boolean":
        return parse_boolean(text)
    if base_type == "SystemTime":
        return parse_datetime(text)
    if base_type == "Binary":
        return base64.b64decode(text)
    return text


def _normalise(base_type: str, text: str) -> str:
    try:
        if base_type in ("Integer", "Long", "Short", "Currency"):
            return str(int(text.strip()))
        if base_type in ("Double", "Float", "ApplicationTime"):
            return str(Decimal(text.strip()))
        if base_type == "Boolean":
            return "true" if parse_boolean(text) else "false"
        if base_type == "SystemTime":
            return format_datetime(parse_datetime(text))
        if base_type == "Binary":
            base64.b64decode(text.strip(), validate=True)
            return text.strip()
    except (ValueError, InvalidOperation, binascii.Error) as error:
        raise EwsError("ErrorInvalidExtendedPropertyValue") from error
    return text


def parse_property(elem: etree._Element) -> ExtendedValue:
    """An ExtendedProperty element: its URI and a Value or Values child."""
    uri = child(elem, "ExtendedFieldURI")
    if uri is None:
        raise schema_violation("The element 'ExtendedProperty' has incomplete content.")
    field = parse_field(uri)
    base = field.property_type.removesuffix("Array")
    single, many = child(elem, "Value"), child(elem, "Values")
    if field.property_type.endswith("Array"):
        if many is None:
            raise EwsError("ErrorInvalidExtendedPropertyValue")
        values = tuple(
            _normalise(base, sub.text or "") for sub in children(many) if local_name(sub) == "Value"
        )
        return ExtendedValue(field, values)
    if single is None:
        raise EwsError("ErrorInvalidExtendedPropertyValue")
    return ExtendedValue(field, _normalise(base, single.text or ""))


def dump(value: ExtendedValue) -> list[Any]:
    raw = list(value.value) if isinstance(value.value, tuple) else value.value
    return [value.field.uri_xml, raw]


def load(data: list[Any]) -> ExtendedValue:
    uri_xml, raw = data
    field = parse_field(parse_fragment(uri_xml))
    return ExtendedValue(field, tuple(raw) if isinstance(raw, list) else raw)
