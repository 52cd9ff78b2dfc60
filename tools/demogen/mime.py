"""Turns a `Mail` into RFC 5322 bytes: encoded-words for Polish and German headers,
quoted-printable UTF-8 bodies, text+HTML alternatives, attachments, CRLF line ends.

MIME boundaries come from a hash of the Message-ID, never from the clock or `random`, so the
same message always serialises to the same bytes.
"""

from __future__ import annotations

import hashlib
import html
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from .conversation import encode_thread_index
from .mail import Mail, Quote
from .people import Person

MAX_HEADER_LINE = 78
PLACEHOLDER = "x-bw-encoded-header-"
WIRE_POLICY = policy.default.clone(linesep="\r\n", max_line_length=MAX_HEADER_LINE)
CONTENT_LANGUAGE = {"pl": "pl-PL", "de": "de-DE", "en": "en-GB"}
FONT = "font-family:Calibri,Arial,sans-serif;font-size:11pt"


def _header_address(person: Person) -> Address:
    local, domain = person.email.rsplit("@", 1)
    return Address(display_name=person.header_name, username=local, domain=domain)


def plain_text(mail: Mail) -> str:
    parts = [mail.own_text]
    if mail.quote is not None:
        parts.append(_quote_text(mail.quote))
    return "\n\n".join(parts) + "\n"


def _quote_text(quote: Quote) -> str:
    if quote.style == "outlook":
        return "\n".join(("_" * 32, *quote.header_lines, "", quote.text))
    if quote.style == "forward":
        return "\n".join((*quote.header_lines, "", quote.text))
    quoted = "\n".join(f"> {line}" if line else ">" for line in quote.text.splitlines())
    return f"{quote.header_lines[0]}\n{quoted}"


def _paragraphs(text: str) -> str:
    blocks = [block for block in text.split("\n\n") if block.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in block.splitlines()) + "</p>"
        for block in blocks
    )


def html_text(mail: Mail) -> str:
    if mail.html_override is not None:
        return mail.html_override
    body = [_paragraphs(mail.text)]
    if mail.signature:
        signature = "<br>\n".join(html.escape(line) for line in mail.signature.splitlines())
        body.append(f'<p style="color:#595959;font-size:9pt">{signature}</p>')
    if mail.quote is not None:
        body.append(_quote_html(mail.quote))
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f'</head>\n<body>\n<div style="{FONT}">\n' + "\n".join(body) + "\n</div>\n</body></html>\n"
    )


def _quote_html(quote: Quote) -> str:
    if quote.style == "outlook":
        lines = []
        for line in quote.header_lines:
            label, _, value = line.partition(": ")
            lines.append(f"<b>{html.escape(label)}:</b> {html.escape(value)}")
        block = "<br>\n".join(lines)
        return (
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            f"<p>{block}</p></div>\n{_paragraphs(quote.text)}"
        )
    header = "<br>\n".join(html.escape(line) for line in quote.header_lines)
    if quote.style == "forward":
        return f'<div class="gmail_quote">{header}<br><br>\n{_paragraphs(quote.text)}</div>'
    return (
        f'<div class="gmail_quote"><div class="gmail_attr">{header}</div>\n'
        '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;'
        f'padding-left:1ex">\n{_paragraphs(quote.text)}\n</blockquote></div>'
    )


def _transfer_encoding(text: str) -> str:
    short_lines = all(len(line) < 78 for line in text.splitlines())
    return "7bit" if text.isascii() and short_lines else "quoted-printable"


def to_bytes(mail: Mail) -> bytes:
    message = EmailMessage(policy=WIRE_POLICY)
    message["From"] = _header_address(mail.sender)
    message["To"] = tuple(_header_address(person) for person in mail.to)
    if mail.cc:
        message["Cc"] = tuple(_header_address(person) for person in mail.cc)
    encoded: dict[bytes, bytes] = {}
    _set_unstructured(message, "Subject", mail.subject, encoded)
    message["Date"] = format_datetime(mail.sent_at)
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = " ".join(mail.references)
    if mail.thread_topic is not None:
        _set_unstructured(message, "Thread-Topic", mail.thread_topic, encoded)
    if mail.thread_index is not None:
        message["Thread-Index"] = encode_thread_index(mail.thread_index)
    for name, value in mail.extra_headers:
        message[name] = value
    client = mail.sender.client
    if client.mailer_header and client.mailer:
        message[client.mailer_header] = client.mailer
    if client.quote_style == "outlook":
        message["Content-Language"] = CONTENT_LANGUAGE[mail.lang]
    text = plain_text(mail)
    message.set_content(text, charset="utf-8", cte=_transfer_encoding(text))
    if client.html or mail.html_override is not None:
        markup = html_text(mail)
        message.add_alternative(
            markup, subtype="html", charset="utf-8", cte=_transfer_encoding(markup)
        )
    for attachment in mail.attachments:
        maintype, subtype = attachment.content_type.split("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    _fix_boundaries(message, mail.message_id)
    raw = message.as_bytes(policy=WIRE_POLICY)
    for placeholder, header in encoded.items():
        raw = raw.replace(placeholder, header, 1)
    return _start_headers_on_their_own_line(raw)


def _set_unstructured(
    message: EmailMessage, name: str, value: str, encoded: dict[bytes, bytes]
) -> None:
    """Non-ASCII subjects are encoded whole, as Outlook does, by the compat32 encoder.

    The default policy's folder (Python 3.11) can fold between two encoded-words and drop the
    space that separated them ("20–22.10 – grafik" comes back as "20–22.10– grafik"), so it
    only gets a placeholder here, which `to_bytes` swaps for the correctly encoded header.
    """
    if value.isascii():
        message[name] = value
        return
    placeholder = f"{PLACEHOLDER}{len(encoded)}"
    message[name] = placeholder
    folded = Header(value, "utf-8", header_name=name).encode(
        linesep="\r\n", maxlinelen=MAX_HEADER_LINE
    )
    encoded[f"{name}: {placeholder}".encode()] = f"{name}: {folded}".encode("ascii")


def _start_headers_on_their_own_line(raw: bytes) -> bytes:
    """Python folds a long header by moving its whole value to the next line ("Subject:\r\n
    IT Channel..."), which parsers hand back with a leading space. Start the value after the
    colon instead and fold at spaces, as mail programs do."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines: list[bytes] = []
    for line in head.split(b"\r\n"):
        if lines and line.startswith(b" ") and lines[-1].endswith(b":"):
            lines[-1:] = _fold(lines[-1] + line)
        else:
            lines.append(line)
    return b"\r\n".join(lines) + separator + body


def _fold(line: bytes) -> list[bytes]:
    folded: list[bytes] = []
    while len(line) > MAX_HEADER_LINE:
        cut = line.rfind(b" ", line.index(b":") + 2, MAX_HEADER_LINE + 1)
        if cut < 0:
            break
        folded.append(line[:cut])
        line = line[cut:]
    return [*folded, line]


def _fix_boundaries(message: EmailMessage, message_id: str) -> None:
    """Stable boundaries, and MIME-Version only on the top level, as mail programs write it."""
    seed = hashlib.sha1(message_id.encode()).hexdigest()[:20]
    multiparts = [part for part in message.walk() if part.is_multipart()]
    for number, part in enumerate(multiparts):
        part.set_boundary(f"_=_bw_{seed}_{number}")
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]
