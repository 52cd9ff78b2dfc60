"""FindItem Restriction and SortOrder: the search expressions of types.xsd, evaluated in memory.

Exchange compares strings case-insensitively; a multi-valued property matches when any of its
values does; a comparison with a property the item does not have is false.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from .bodies import plain_text
from .errors import EwsError, field_uri_xml, schema_violation
from .extended import parse_field
from .model import Item
from .schema import resolve_field_uri
from .values import Address, Body, parse_boolean, parse_datetime
from .xmlkit import child, children, local_name, parse_fragment

Predicate = Callable[[Item], bool]
Getter = Callable[[Item], Any]

_COMPARISONS = {
    "IsEqualTo": lambda a, b: a == b,
    "IsNotEqualTo": lambda a, b: a != b,
    "IsGreaterThan": lambda a, b: a > b,
    "IsGreaterThanOrEqualTo": lambda a, b: a >= b,
    "IsLessThan": lambda a, b: a < b,
    "IsLessThanOrEqualTo": lambda a, b: a <= b,
}
# Properties whose values cannot be searched (recipient collections, attachments, MIME).
_UNSEARCHABLE = frozenset(
    [
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "ReplyTo",
        "Attachments",
        "MimeContent",
        "RequiredAttendees",
        "OptionalAttendees",
        "Resources",
        "InternetMessageHeaders",
    ]
)


def _getter(path: etree._Element) -> Getter:
    kind = local_name(path)
    if kind == "ExtendedFieldURI":
        key = parse_field(path).key

        def extended(item: Item) -> Any:
            value = item.extended.get(key)
            return value.typed() if value is not None else None

        return extended
    if kind == "IndexedFieldURI":
        ref = resolve_field_uri(path.get("FieldURI", ""), path.get("FieldIndex", ""))

        def indexed(item: Item) -> Any:
            entry = item.props.get(ref.element, {}).get(ref.index)
            if entry is None:
                return None
            parsed = parse_fragment(entry)
            if ref.sub_element:
                sub = child(parsed, ref.sub_element)
                return sub.text if sub is not None else None
            return parsed.text

        return indexed
    if kind == "FieldURI":
        uri = path.get("FieldURI", "")
        ref = resolve_field_uri(uri)
        if ref.element in _UNSEARCHABLE:
            raise EwsError("ErrorUnsupportedPathForQuery", message_xml=field_uri_xml(uri))
        name = ref.element
        return lambda item: item.props.get(name)
    raise schema_violation(f"The element '{kind}' is not a property path.")


def _as_text(value: Any) -> str:
    if isinstance(value, Address):
        return value.email
    if isinstance(value, Body):
        return plain_text(value)
    return str(value)


def _coerce(sample: Any, constant: str) -> Any:
    """Convert a Constant's text to the type of the property it is compared with."""
    try:
        if isinstance(sample, bool):
            return parse_boolean(constant)
        if isinstance(sample, int):
            return int(constant)
        if isinstance(sample, Decimal):
            return Decimal(constant)
        if isinstance(sample, dt.datetime):
            return parse_datetime(constant)
        if isinstance(sample, bytes):
            return base64.b64decode(constant)
    except (ValueError, InvalidOperation, binascii.Error) as error:
        raise EwsError(
            "ErrorInvalidValueForProperty", f"The value '{constant}' is not valid for the property."
        ) from error
    return constant.casefold()


def _normalise(value: Any) -> Any:
    if isinstance(value, (Address, Body, str)):
        return _as_text(value).casefold()
    return value


def _values(raw: Any) -> list[Any]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return raw
    return [raw]


def _comparison(operator: str, getter: Getter, operand: etree._Element) -> Predicate:
    compare = _COMPARISONS[operator]
    constant = child(operand, "Constant")
    if constant is not None:
        text = constant.get("Value", "")

        def against_constant(item: Item) -> bool:
            values = _values(getter(item))
            if not values:
                return False
            if operator == "IsNotEqualTo" and len(values) > 1:
                return all(compare(_normalise(v), _coerce(v, text)) for v in values)
            return any(compare(_normalise(v), _coerce(v, text)) for v in values)

        return against_constant
    paths = children(operand)
    if not paths:
        raise schema_violation("The element 'FieldURIOrConstant' has incomplete content.")
    other = _getter(paths[0])

    def against_property(item: Item) -> bool:
        left, right = getter(item), other(item)
        if left is None or right is None:
            return False
        return bool(compare(_normalise(left), _normalise(right)))

    return against_property


def _contains(expression: etree._Element, getter: Getter) -> Predicate:
    constant = child(expression, "Constant")
    if constant is None:
        raise schema_violation("The element 'Contains' has incomplete content.")
    mode = expression.get("ContainmentMode", "Substring")
    comparison = expression.get("ContainmentComparison", "Exact")
    ignore_case = "IgnoreCase" in comparison or comparison == "Loose"
    needle = constant.get("Value", "")
    if ignore_case:
        needle = needle.casefold()

    def matches(text: str) -> bool:
        if ignore_case:
            text = text.casefold()
        if mode == "FullString":
            return text == needle
        if mode == "Prefixed":
            return text.startswith(needle)
        if mode == "PrefixOnWords":
            return any(word.startswith(needle) for word in text.split())
        return needle in text

    def contains(item: Item) -> bool:
        return any(matches(_as_text(v)) for v in _values(getter(item)))

    return contains


def compile_expression(expression: etree._Element) -> Predicate:
    name = local_name(expression)
    subs = children(expression)
    if name == "And":
        parts = [compile_expression(s) for s in subs]
        return lambda item: all(p(item) for p in parts)
    if name == "Or":
        parts = [compile_expression(s) for s in subs]
        return lambda item: any(p(item) for p in parts)
    if name == "Not":
        if len(subs) != 1:
            raise schema_violation("The element 'Not' must have exactly one child.")
        inner = compile_expression(subs[0])
        return lambda item: not inner(item)
    if not subs:
        raise schema_violation(f"The element '{name}' has incomplete content.")
    getter = _getter(subs[0])
    if name == "Exists":
        return lambda item: bool(_values(getter(item)))
    if name in _COMPARISONS:
        operand = child(expression, "FieldURIOrConstant")
        if operand is None:
            raise schema_violation(f"The element '{name}' has incomplete content.")
        return _comparison(name, getter, operand)
    if name == "Contains":
        return _contains(expression, getter)
    if name == "Excludes":
        raise EwsError("ErrorUnsupportedQueryFilter", "Excludes restrictions are not supported.")
    raise schema_violation(f"The element '{name}' is not a search expression.")


def compile_restriction(restriction: etree._Element | None) -> Predicate | None:
    if restriction is None:
        return None
    expressions = children(restriction)
    if len(expressions) != 1:
        raise schema_violation("The element 'Restriction' must have exactly one child.")
    return compile_expression(expressions[0])


def sort_items(items: list[Item], sort_order: etree._Element | None) -> list[Item]:
    """Apply SortOrder; without one, newest received first as Exchange's default view."""
    if sort_order is None:
        return sorted(
            items,
            key=lambda i: (
                i.props.get("DateTimeReceived") or dt.datetime.min.replace(tzinfo=dt.UTC),
                i.arrived,
            ),
            reverse=True,
        )
    ordered = list(items)
    for field_order in reversed(children(sort_order)):
        paths = children(field_order)
        if not paths:
            raise schema_violation("The element 'FieldOrder' has incomplete content.")
        getter = _getter(paths[0])
        descending = field_order.get("Order", "Ascending") == "Descending"

        def key(item: Item, getter: Getter = getter) -> tuple[int, Any]:
            value = getter(item)
            if isinstance(value, list):
                value = value[0] if value else None
            if value is None:
                return (0, "")
            value = _normalise(value)
            return (1, value)

        ordered.sort(key=key, reverse=descending)
    return ordered
