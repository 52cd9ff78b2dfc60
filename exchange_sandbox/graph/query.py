"""OData query options as the sandbox understands them: $select, $top, $expand of extended
properties (with their `$filter=id eq '...'`), the $filter forms clients use on messages, and
the Prefer header's page size and body type."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..extended import ExtendedKey
from ..model import Item
from .shapes import property_field
from .wire import GraphRequest, bad_request

_EXPAND = re.compile(
    r"^singleValueExtendedProperties(?:\(\$filter=(?P<filter>.*)\))?$", re.IGNORECASE
)
_ID_EQ = re.compile(r"id\s+eq\s+'((?:[^']|'')*)'", re.IGNORECASE)
_EXTENDED_FILTER = re.compile(
    r"^singleValueExtendedProperties/any\(\s*(?P<var>\w+)\s*:\s*(?P=var)/id\s+eq\s+"
    r"'(?P<id>(?:[^']|'')*)'\s+and\s+(?P=var)/value\s+eq\s+'(?P<value>(?:[^']|'')*)'\s*\)$",
    re.IGNORECASE,
)
_MESSAGE_ID_FILTER = re.compile(r"^internetMessageId\s+eq\s+'(?P<value>(?:[^']|'')*)'$", re.I)
MAX_PAGE = 1000
DEFAULT_PAGE = 10


def select(request: GraphRequest) -> set[str] | None:
    text = request.query.get("$select")
    return {name.strip() for name in text.split(",") if name.strip()} if text else None


def expanded_properties(request: GraphRequest) -> list[ExtendedKey] | None:
    """The extended properties $expand asks for; None when it asks for none."""
    text = request.query.get("$expand")
    if not text:
        return None
    match = _EXPAND.match(text.strip())
    if match is None:
        raise bad_request(f"Parsing OData Select and Expand failed: '{text}' cannot be expanded.")
    if match["filter"] is None:
        raise bad_request("An extended property expand needs a $filter on id.")
    return [
        property_field(value.replace("''", "'")).key for value in _ID_EQ.findall(match["filter"])
    ]


def page_size(request: GraphRequest, default: int = DEFAULT_PAGE) -> int:
    prefer = request.headers.get("prefer", "")
    found = re.search(r"odata\.maxpagesize\s*=\s*(\d+)", prefer)
    top = request.query.get("$top")
    size = int(found.group(1)) if found else int(top) if top and top.isdigit() else default
    return max(1, min(size, MAX_PAGE))


def body_type(request: GraphRequest) -> str:
    prefer = request.headers.get("prefer", "")
    found = re.search(r'outlook\.body-content-type\s*=\s*"?(text|html)"?', prefer, re.I)
    return found.group(1).lower() if found else "html"


def message_filter(request: GraphRequest) -> Callable[[Item], bool]:
    """A message $filter: on an extended property's value, or on internetMessageId."""
    text = request.query.get("$filter", "").strip()
    if not text:
        return lambda item: True
    extended = _EXTENDED_FILTER.match(text)
    if extended is not None:
        key = property_field(extended["id"].replace("''", "'")).key
        wanted = extended["value"].replace("''", "'")

        def has_property(item: Item) -> bool:
            value = item.extended.get(key)
            return value is not None and value.value == wanted

        return has_property
    by_id = _MESSAGE_ID_FILTER.match(text)
    if by_id is not None:
        message_id = by_id["value"].replace("''", "'")
        return lambda item: item.props.get("InternetMessageId") == message_id
    raise bad_request(
        f"Invalid filter clause: '{text}' is not supported.", "ErrorInvalidUrlQueryFilter"
    )
