"""Message and thread identifiers in the forms correlation compares."""

from __future__ import annotations

import re

# The first 22 bytes of an Outlook conversation index (reserved byte, time, GUID) name the thread;
# every reply appends 5 bytes of its own.
THREAD_KEY_BYTES = 22
_BRACKETED = re.compile(r"<([^<>\s]+)>")


def normalise_message_id(value: str) -> str:
    """A Message-ID without angle brackets and surrounding space; its case is kept (RFC 5322)."""
    text = value.strip()
    if text[:1] == "<" and text[-1:] == ">" and text.count("<") == 1 and " " not in text:
        return text[1:-1]
    found = _BRACKETED.search(text)
    if found:
        return found.group(1)
    return text.strip("<>").strip()


def message_ids_in(value: str) -> list[str]:
    """The Message-IDs in an In-Reply-To or References value, in order, normalised.

    Bracketed ids are taken as written; a value with no brackets at all counts as one bare id
    (some mailers write `In-Reply-To: abc@x`).
    """
    bracketed = _BRACKETED.findall(value)
    if bracketed:
        return bracketed
    bare = value.strip()
    return [bare] if bare and not any(character.isspace() for character in bare) else []


def thread_key(conversation_index: str | None) -> bytes | None:
    """The thread part of a hex conversation index, or None when it is missing or not hex."""
    if not conversation_index:
        return None
    text = "".join(conversation_index.split())
    if len(text) < 2 * THREAD_KEY_BYTES:
        return None
    try:
        return bytes.fromhex(text[: 2 * THREAD_KEY_BYTES])
    except ValueError:
        return None
