"""Reply, Reply All and Forward as Outlook composes them, as pure functions of the original.

- Recipients: a reply goes to the sender; Reply All adds everyone on To and Cc, without the
  user's own addresses and without anyone twice. A reply to a message the user sent (in Sent
  Items) goes to that message's recipients. A forward starts with nobody.
- Subjects: `RE:` / `FW:` in the user's language (Polish: `Odp:` / `PD:`, as Outlook writes
  them), never stacked: replying to "RE: Offer" or "Odp: Offer" gives one prefix; a forward of a
  reply keeps the reply's ("FW: RE: Offer"), as Outlook does.
- The original quoted below a header block (From, Sent, To, Cc, Subject, in the user's
  language), in plain text and in HTML.
- In-Reply-To and References thread the reply; a forward carries the original's attachments.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from app.mailbox.attachments import AttachmentInfo
from app.tracking.addresses import normalise_email
from app.tracking.model import Address
from app.tracking.subjects import FORWARD_PREFIXES, REPLY_PREFIXES

MAX_REFERENCES = 20  # the first and the latest: enough to thread, short enough for any server


class ResponseKind(enum.StrEnum):
    REPLY = "reply"
    REPLY_ALL = "reply-all"
    FORWARD = "forward"


@dataclass(frozen=True, slots=True)
class Wording:
    """What Outlook writes in one language: the prefixes and the quoted header's labels."""

    reply: str
    forward: str
    separator: str
    from_: str
    sent: str
    to: str
    cc: str
    subject: str
    weekdays: tuple[str, ...]  # Monday first
    months: tuple[str, ...]  # as a date writes them ("5 października")
    date: str  # {weekday} {day} {month} {year} {time}
    twelve_hours: bool


_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_PL_WEEKDAYS = (
    "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela",
)  # fmt: skip
_PL_MONTHS = (  # in the genitive, as a date says them: "5 października"
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
    "września", "października", "listopada", "grudnia",
)  # fmt: skip

WORDINGS: dict[str, Wording] = {
    "en": Wording(
        reply="RE",
        forward="FW",
        separator="-----Original Message-----",
        from_="From",
        sent="Sent",
        to="To",
        cc="Cc",
        subject="Subject",
        weekdays=_EN_WEEKDAYS,
        months=_EN_MONTHS,
        date="{weekday}, {month} {day}, {year} {time}",
        twelve_hours=True,
    ),
    "pl": Wording(
        reply="Odp",
        forward="PD",
        separator="-----Wiadomość oryginalna-----",
        from_="Od",
        sent="Wysłano",
        to="Do",
        cc="DW",
        subject="Temat",
        weekdays=_PL_WEEKDAYS,
        months=_PL_MONTHS,
        date="{weekday}, {day} {month} {year} {time}",
        twelve_hours=False,
    ),
}


def wording(language: str) -> Wording:
    return WORDINGS.get(language, WORDINGS["en"])


@dataclass(frozen=True, slots=True)
class Original:
    """What a reply or forward needs of the message it answers."""

    subject: str
    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    sent_at: datetime | None = None
    body_text: str | None = None
    body_html: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    sent_by_user: bool = False  # in Sent Items: the user wrote it
    attachments: tuple[AttachmentInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    """A reply or forward ready for the user's text: recipients, subject, the quote (plain and
    HTML) and threading; `carried` are the original's attachments it takes along (by index)."""

    kind: ResponseKind
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    quote_text: str
    quote_html: str
    in_reply_to: str | None
    references: tuple[str, ...]
    carried: tuple[AttachmentInfo, ...] = ()

    def text(self, written: str, signature: str = "") -> str:
        """The whole plain body: what the user wrote, the signature, then the quote."""
        opening = signed(written, signature)
        return f"{opening.rstrip()}\n\n{self.quote_text}" if opening.strip() else self.quote_text

    def html(self, written: str, signature: str = "") -> str:
        """The whole HTML body: what the user wrote (as paragraphs), the signature, then the
        quote."""
        return f"{signed_html(written, signature)}{self.quote_html}"


# Subjects


def _prefix_pattern(prefixes: Iterable[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(p) for p in sorted(set(prefixes), key=lambda p: (-len(p), p)))
    return re.compile(rf"^\s*(?:{words})\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*", re.IGNORECASE)


_REPLY_PREFIX = _prefix_pattern(REPLY_PREFIXES)
_FORWARD_PREFIX = _prefix_pattern(FORWARD_PREFIXES)


def _without(pattern: re.Pattern[str], subject: str) -> str:
    text = subject
    while (match := pattern.match(text)) is not None:
        text = text[match.end() :]
    return text.strip()


def reply_subject(subject: str, language: str = "en") -> str:
    """The subject of a reply: one reply prefix in the user's language, however many reply
    prefixes (in any language) the original began with."""
    rest = _without(_REPLY_PREFIX, subject)
    return f"{wording(language).reply}: {rest}".rstrip()


def forward_subject(subject: str, language: str = "en") -> str:
    """The subject of a forward: one forward prefix, however many forward prefixes the
    original began with (a reply's own prefix stays behind it)."""
    rest = _without(_FORWARD_PREFIX, subject)
    return f"{wording(language).forward}: {rest}".rstrip()


# Recipients


def reply_recipients(
    original: Original, own: frozenset[str], reply_all: bool
) -> tuple[tuple[Address, ...], tuple[Address, ...]]:
    """To and Cc of a reply, as Outlook computes them; `own` holds the user's addresses,
    normalised (app.tracking.addresses.normalise_email)."""
    if original.sent_by_user:
        # Back to whom the user wrote (to the Cc when there was nobody on To).
        to: list[Address] = list(original.to) or list(original.cc)
        cc: list[Address] = list(original.cc) if reply_all and original.to else []
    else:
        to = [original.sender] if original.sender is not None else []
        cc = []
        if reply_all:
            to += original.to
            cc = list(original.cc)
    seen: set[str] = set()
    kept_to = _distinct(to, own, seen)
    kept_cc = _distinct(cc, own, seen)
    if not kept_to and not kept_cc and original.sender is not None:
        kept_to = (original.sender,)  # the user wrote to themself: the reply goes back there
    return kept_to, kept_cc


def _distinct(
    addresses: Iterable[Address], own: frozenset[str], seen: set[str]
) -> tuple[Address, ...]:
    kept = []
    for address in addresses:
        key = normalise_email(address.email)
        if not key or key in own or key in seen:
            continue
        seen.add(key)
        kept.append(address)
    return tuple(kept)


# Threading


def references_after(original: Original) -> tuple[str, ...]:
    """References of a reply: the original's (or its In-Reply-To), then its Message-ID; the
    first and the latest kept when there are too many."""
    chain = list(original.references) or ([original.in_reply_to] if original.in_reply_to else [])
    if original.message_id:
        chain.append(original.message_id)
    chain = list(dict.fromkeys(reference for reference in chain if reference))
    if len(chain) > MAX_REFERENCES:
        chain = chain[:1] + chain[-(MAX_REFERENCES - 1) :]
    return tuple(chain)


# Quoting


def format_sent(moment: datetime, language: str, zone: tzinfo | None = None) -> str:
    """A date as Outlook's quoted header writes it ("Monday, October 5, 2026 9:30 AM";
    "poniedziałek, 5 października 2026 09:30")."""
    local = moment.astimezone(zone)
    words = wording(language)
    if words.twelve_hours:
        hour = local.hour % 12 or 12
        time = f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    else:
        time = f"{local.hour:02d}:{local.minute:02d}"
    return words.date.format(
        weekday=words.weekdays[local.weekday()],
        day=local.day,
        month=words.months[local.month - 1],
        year=local.year,
        time=time,
    )


def _person(address: Address) -> str:
    return f"{address.name} <{address.email}>" if address.name else address.email


def header_lines(original: Original, language: str, zone: tzinfo | None) -> list[tuple[str, str]]:
    """The quoted header's (label, value) pairs; Cc only when there was one."""
    words = wording(language)
    lines = [(words.from_, _person(original.sender) if original.sender else "")]
    if original.sent_at is not None:
        lines.append((words.sent, format_sent(original.sent_at, language, zone)))
    lines.append((words.to, "; ".join(_person(a) for a in original.to)))
    if original.cc:
        lines.append((words.cc, "; ".join(_person(a) for a in original.cc)))
    lines.append((words.subject, original.subject))
    return lines


def quote_text(original: Original, language: str = "en", zone: tzinfo | None = None) -> str:
    header = "\n".join(
        f"{label}: {value}" for label, value in header_lines(original, language, zone)
    )
    body = (original.body_text or "").strip("\n")
    return f"{wording(language).separator}\n{header}\n\n{body}\n"


_BODY = re.compile(r"<body\b[^>]*>(?P<inner>.*)</body\s*>", re.IGNORECASE | re.DOTALL)
_UNWANTED = re.compile(r"<(script|head|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def quote_html(original: Original, language: str = "en", zone: tzinfo | None = None) -> str:
    header = "<br>".join(
        f"<b>{html.escape(label)}:</b> {html.escape(value)}"
        for label, value in header_lines(original, language, zone)
    )
    if original.body_html:
        found = _BODY.search(original.body_html)
        inner = _UNWANTED.sub("", found.group("inner") if found else original.body_html)
    else:
        inner = text_to_html(original.body_text or "")
    return (
        '<hr style="display:inline-block;width:98%" tabindex="-1">'
        f'<div id="divRplyFwdMsg" dir="ltr">{header}</div><br>'
        f"<div>{inner}</div>"
    )


def signed(written: str, signature: str) -> str:
    """What the user wrote with the signature under it, as Outlook opens a new message, reply or
    forward: nothing written yet, an empty line on top to write on."""
    if not signature.strip():
        return written
    return f"{written.rstrip()}\n\n{signature.strip(chr(10))}"


def signed_html(written: str, signature: str) -> str:
    """`signed` as HTML paragraphs (the empty line on top an empty paragraph)."""
    if not signature.strip():
        return text_to_html(written)
    return f"{text_to_html(written) or '<p><br></p>'}{text_to_html(signature)}"


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs, line breaks kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )


# The whole response


def respond(
    original: Original,
    kind: ResponseKind,
    own: frozenset[str],
    language: str = "en",
    zone: tzinfo | None = None,
) -> Response:
    if kind is ResponseKind.FORWARD:
        return Response(
            kind=kind,
            to=(),
            cc=(),
            subject=forward_subject(original.subject, language),
            quote_text=quote_text(original, language, zone),
            quote_html=quote_html(original, language, zone),
            in_reply_to=None,
            references=references_after(original),
            carried=original.attachments,
        )
    to, cc = reply_recipients(original, own, kind is ResponseKind.REPLY_ALL)
    return Response(
        kind=kind,
        to=to,
        cc=cc,
        subject=reply_subject(original.subject, language),
        quote_text=quote_text(original, language, zone),
        quote_html=quote_html(original, language, zone),
        in_reply_to=original.message_id,
        references=references_after(original),
    )
