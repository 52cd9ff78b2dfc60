"""Identifiers that tie mail together: Internet Message-IDs and Outlook's Thread-Index.

Thread-Index follows [MS-OXOMSG] 2.2.1.3: a 22-byte header (the top six bytes of the FILETIME
of the first message, then a GUID shared by the conversation) and a 5-byte child block per
reply carrying the time since the header, a random nibble and a sequence nibble.
"""

from __future__ import annotations

import base64
import random
import string
import uuid
from datetime import UTC, datetime

FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600
HEADER_BYTES = 22
CHILD_BYTES = 5
# "In-Reply-To: <id>" must fit in 78 characters, or the header gets folded.
MAX_MESSAGE_ID_LENGTH = 64


def filetime(moment: datetime) -> int:
    seconds = int(moment.astimezone(UTC).timestamp()) + FILETIME_EPOCH_OFFSET_SECONDS
    return seconds * 10_000_000


def new_thread_index(rng: random.Random, moment: datetime) -> bytes:
    header_time = (filetime(moment) >> 16).to_bytes(6, "big")
    return header_time + rng.randbytes(16)


def child_thread_index(rng: random.Random, parent: bytes, moment: datetime) -> bytes:
    header_time = int.from_bytes(parent[:6], "big") << 16
    delta = max(filetime(moment) - header_time, 0)
    # Deltas under about 1.8 years keep 2^18 resolution; longer ones set the code bit.
    block = delta >> 18 if delta < (1 << 49) else (1 << 31) | (delta >> 23)
    sequence = (len(parent) - HEADER_BYTES) // CHILD_BYTES & 0x0F
    nibbles = (rng.randrange(16) << 4) | sequence
    return parent + (block & 0xFFFFFFFF).to_bytes(4, "big") + bytes([nibbles])


def encode_thread_index(index: bytes) -> str:
    return base64.b64encode(index).decode("ascii")


def message_id(rng: random.Random, style: str, domain: str, host: str, moment: datetime) -> str:
    """A Message-ID as the sender's mail system would make it, short enough never to be folded."""
    if style == "gmail":
        alphabet = string.ascii_letters + string.digits
        return f"<CA{''.join(rng.choice(alphabet) for _ in range(40))}@mail.gmail.com>"
    if style == "the-bat":
        return f"<{rng.randrange(10**9, 10**10)}.{moment:%Y%m%d%H%M%S}@{domain}>"
    if style == "webmail":
        return f"<{rng.randbytes(6).hex()}.{int(moment.timestamp())}@webmail.{domain}>"
    if style == "bulk":
        return f"<{moment:%Y%m%d%H%M%S}.{rng.randbytes(5).hex()}@mailer.{domain}>"
    if style == "exchange":
        right = f"{host}.{domain}"
        left = rng.randbytes(16).hex().upper()
    else:
        right = domain
        left = str(uuid.UUID(bytes=rng.randbytes(16), version=4))
        if style == "apple":
            left = left.upper()
    room = MAX_MESSAGE_ID_LENGTH - len(right) - 3
    if len(left) > room:
        left = left.replace("-", "")[:room]
    return f"<{left}@{right}>"
