"""Attachments as the cache keeps them, safe file names to save them under, and the size of a
message as a server measures it.

The cache keeps what a message says of each attachment (name, size, content type, inline or
not, the server's id), in the order the message lists them; the content stays on the server
until asked for, then lives in the profile's cache folder (app.services.attachments).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.mailbox.remote import RemoteAttachment

# Names Windows reserves for devices, with any extension ("CON.txt" opens the console).
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in (*range(1, 10), "¹", "²", "³")}
    | {f"LPT{n}" for n in (*range(1, 10), "¹", "²", "³")}
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
MAX_NAME_BYTES = 200  # well below every file system's 255, room for " (2)" and a temp suffix
DEFAULT_NAME = "attachment"


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """One attachment of a cached message, for the reading pane and the CLI. `index` is its
    place in the message's list (what the services take to name it)."""

    index: int
    name: str
    size: int | None
    content_type: str | None
    inline: bool
    is_item: bool = False
    attachment_id: str = ""


def stored(attachment: RemoteAttachment) -> dict[str, Any]:
    """An attachment as the cache's JSON keeps it."""
    return {
        "id": attachment.id,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "inline": attachment.inline,
        "content_id": attachment.content_id,
        "is_item": attachment.is_item,
    }


def listed(entries: Iterable[dict[str, Any]] | None) -> tuple[AttachmentInfo, ...]:
    """The cache's JSON as AttachmentInfo, in the message's order."""
    found = []
    for index, entry in enumerate(entries or ()):
        size = entry.get("size")
        found.append(
            AttachmentInfo(
                index=index,
                name=str(entry.get("name") or ""),
                size=int(size) if isinstance(size, int | float) else None,
                content_type=entry.get("content_type"),
                inline=bool(entry.get("inline") or entry.get("is_inline")),
                is_item=bool(entry.get("is_item")),
                attachment_id=str(entry.get("id") or ""),
            )
        )
    return tuple(found)


def safe_file_name(name: str, fallback: str = DEFAULT_NAME) -> str:
    """A name a file can be saved under on any system, as close to `name` as that allows: no
    folders (path separators), no `..`, no device names, no control or reserved characters,
    no trailing dots or spaces (Windows drops them), at most MAX_NAME_BYTES in UTF-8."""
    text = unicodedata.normalize("NFC", name)
    # A name given as a path keeps its last part only.
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(
        "_" if unicodedata.category(char)[0] == "C" or _FORBIDDEN.match(char) else char
        for char in text
    )
    text = _trimmed(text.lstrip())
    if not text:
        return fallback
    # Checked once cut: the cut trims again ("CON", 300 spaces and "x.txt" ends as "CON.txt").
    # A device name is short: the "_" keeps it far below MAX_NAME_BYTES.
    text = _shortened(text)
    if text.partition(".")[0].rstrip(" ").upper() in _DEVICE_NAMES:
        text = f"_{text}"
    return text


def _trimmed(text: str) -> str:
    """Without trailing dots and white space, mixed in any order: Windows drops trailing dots
    and spaces (which also leaves nothing of "." and ".."), and a name trimmed once must not
    lose more when saved again."""
    return _TRAILING.sub("", text)


_TRAILING = re.compile(r"[\s.]+\Z")


def _shortened(text: str) -> str:
    """Cut to MAX_NAME_BYTES of UTF-8, keeping the extension and whole characters."""
    if len(text.encode("utf-8")) <= MAX_NAME_BYTES:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or len(extension.encode("utf-8")) > 20:
        stem, extension = text, ""
    room = MAX_NAME_BYTES - len(extension.encode("utf-8")) - (1 if extension else 0)
    cut = _trimmed(stem.encode("utf-8")[:room].decode("utf-8", errors="ignore"))
    return f"{cut or DEFAULT_NAME}.{extension}" if extension else (cut or DEFAULT_NAME)


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or "name (2).ext" and so on when a file of that name is already there
    (compared without regard to case, as Windows and macOS do)."""
    folded = {existing.casefold() for existing in taken}
    if name.casefold() not in folded:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, dot, extension = name, "", ""
    number = 2
    while True:
        candidate = f"{stem} ({number}){dot}{extension}"
        if candidate.casefold() not in folded:
            return candidate
        number += 1


def encoded_size(subject: str, body_text: str, body_html: str | None, sizes: Iterable[int]) -> int:
    """A message's size as sent, as Exchange counts it against its limit: the text, and each
    attachment in base64 (a third larger), with room for the headers."""
    text = len(body_text.encode("utf-8")) + len((body_html or "").encode("utf-8"))
    # Base64 in lines of 76 characters and a line break.
    attached = sum((size + 2) // 3 * 4 * 78 // 76 for size in sizes)
    return 1024 + len(subject.encode("utf-8")) + text + attached
