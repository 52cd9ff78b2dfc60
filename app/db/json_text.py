"""The text of the databases' JSON columns, written and read by orjson.

A tracked message stores five JSON documents as sync pulls and marks it (its decision, its mark in
the outbox and again in the cache once written, its recipients, its categories): with the
standard library's encoder that was ~5 % of a first sync's CPU; orjson writes them in a fifth of
the time. The text is compact and keeps non-ASCII characters as they are (the standard library
writes `", "`, `": "` and `\\u` escapes): both read back the same, and nothing compares stored
JSON text with text made any other way than here. Reading is orjson's too: a first sync reads
back the JSON of every mark it writes (the mark's entry, the item's categories), ~2 % of its CPU
with the standard library's decoder.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Nineteen digits in a row: an integer that may not fit in 64 bits (or digits in a string).
_LONG_NUMBER = re.compile(r"\d{19}")

# Keys as the standard library writes them (an int key becomes its digits); datetimes and
# dataclasses refused, as the standard library refuses them, so a value that never belonged in
# a JSON column still fails instead of being stored in a form nothing reads back.
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def dumps(value: Any) -> str:
    """`json.dumps(value)`, faster and more compact."""
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except TypeError:
        # orjson's limits (integers beyond 64 bits, a str subclass as a key): the standard
        # library's rules decide, refusal included.
        return json.dumps(value)


def loads(text: str | bytes) -> Any:
    """`json.loads(text)`, faster."""
    probe = text.decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else text
    if isinstance(probe, str) and _LONG_NUMBER.search(probe):
        # orjson reads an integer beyond 64 bits as a float (2**64 comes back as 1.8e19):
        # the standard library keeps it exact, as `dumps` wrote it.
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # What orjson refuses and the standard library reads (NaN and Infinity, which older
        # versions' encoder wrote): the standard library's rules decide, refusal included.
        return json.loads(text)
