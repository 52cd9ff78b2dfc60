"""`mailto:` links (RFC 6068), as the desktop hands them to `liaison --compose %u`.

No Qt here: the parser is plain Python so it can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

SCHEME = "mailto:"


class MailtoError(ValueError):
    """The text is not a mailto link; the message says so in words."""


@dataclass(frozen=True, slots=True)
class MailtoDraft:
    """What a mailto link asks for. Bcc is kept apart: a hidden recipient must never become a
    visible one (it goes to the compose window's Bcc field)."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""


def parse_mailto(text: str) -> MailtoDraft:
    """`mailto:jan@acme.pl,ewa@acme.pl?cc=biuro@acme.pl&subject=Oferta%202027&body=...`.

    Addresses in the path and in `to`, `cc` and `bcc` fields are comma-separated; every part is
    percent-decoded as UTF-8 (a "+" stays a "+", as RFC 6068 says); header names are not
    case-sensitive; repeated `subject` or `body` fields keep the first; other headers (such as
    In-Reply-To) are ignored. A bare address is taken as the recipient.
    """
    link = text.strip()
    if link[: len(SCHEME)].lower() != SCHEME:
        if "@" in link and not any(char in link for char in "?&:/ "):
            link = SCHEME + link
        else:
            raise MailtoError(f"{text.strip()!r} is not a mailto: link")
    path, _, query = link[len(SCHEME) :].partition("?")
    to = _addresses(path)
    cc: list[str] = []
    bcc: list[str] = []
    subject: str | None = None
    body: str | None = None
    for field in query.split("&") if query else ():
        raw_name, _, raw_value = field.partition("=")
        name = _decode(raw_name).strip().lower()
        if name == "to":
            to.extend(_addresses(raw_value))
        elif name == "cc":
            cc.extend(_addresses(raw_value))
        elif name == "bcc":
            bcc.extend(_addresses(raw_value))
        elif name == "subject" and subject is None:
            subject = _decode(raw_value)
        elif name == "body" and body is None:
            body = _line_breaks(_decode(raw_value))
    return MailtoDraft(tuple(to), tuple(cc), tuple(bcc), subject or "", body or "")


def _decode(text: str) -> str:
    return unquote(text, encoding="utf-8", errors="replace")


def _addresses(raw: str) -> list[str]:
    # Split before decoding: a comma inside an address is written %2C and is not a separator.
    return [address for part in raw.split(",") if (address := _decode(part).strip())]


def _line_breaks(text: str) -> str:
    """RFC 6068 writes line breaks in a body as %0D%0A; the compose form wants plain newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
