"""An HTML body as the plain text sync keeps for it (a task's or appointment's notes, a
message's text when the server gave only HTML); shared by the backends."""

from __future__ import annotations

import html
import re

_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/tr)\b[^>]*>", re.IGNORECASE)
_INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_to_text(markup: str) -> str:
    text = _INVISIBLE.sub("", markup)
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAGS.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines()).strip()
