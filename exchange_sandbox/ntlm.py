"""NTLM authentication as IIS does it for Exchange (MS-NLMP), server side, NTLMv2 only.

The handshake is per connection: NEGOTIATE -> 401 with a CHALLENGE -> AUTHENTICATE, after which
the connection is authenticated for the requests that follow on it. The server checks the
client's NTLMv2 proof against the mailbox password; the MIC and channel bindings the client may
add are not checked (a server may ignore them). MD4, which NTLM needs, is written out here:
OpenSSL 3 no longer offers it to hashlib.
"""

from __future__ import annotations

import hmac
import os
import struct
import time
from dataclasses import dataclass

SIGNATURE = b"NTLMSSP\x00"
NEGOTIATE, CHALLENGE, AUTHENTICATE = 1, 2, 3

NEGOTIATE_UNICODE = 0x00000001
REQUEST_TARGET = 0x00000004
NEGOTIATE_SIGN = 0x00000010
NEGOTIATE_SEAL = 0x00000020
NEGOTIATE_NTLM = 0x00000200
NEGOTIATE_ALWAYS_SIGN = 0x00008000
TARGET_TYPE_DOMAIN = 0x00010000
NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000
NEGOTIATE_TARGET_INFO = 0x00800000
NEGOTIATE_VERSION = 0x02000000
NEGOTIATE_128 = 0x20000000
NEGOTIATE_KEY_EXCH = 0x40000000
NEGOTIATE_56 = 0x80000000
# What the server may grant of what the client asks (signing and sealing included: the client
# derives its keys, the server never uses them over HTTP).
_GRANTABLE = (
    NEGOTIATE_UNICODE
    | REQUEST_TARGET
    | NEGOTIATE_SIGN
    | NEGOTIATE_SEAL
    | NEGOTIATE_NTLM
    | NEGOTIATE_ALWAYS_SIGN
    | NEGOTIATE_EXTENDED_SESSIONSECURITY
    | NEGOTIATE_TARGET_INFO
    | NEGOTIATE_VERSION
    | NEGOTIATE_128
    | NEGOTIATE_KEY_EXCH
    | NEGOTIATE_56
)

_AV_EOL, _AV_NB_COMPUTER, _AV_NB_DOMAIN, _AV_DNS_COMPUTER, _AV_DNS_DOMAIN = 0, 1, 2, 3, 4
_AV_TIMESTAMP = 7
# Windows NT time (100 ns since 1601) of the Unix epoch.
_EPOCH_AS_FILETIME = 116444736000000000


class NtlmError(ValueError):
    """A message that is not NTLM, or not the one expected at this point."""


@dataclass(frozen=True)
class Authenticate:
    user: str
    domain: str
    nt_response: bytes


def md4(data: bytes) -> bytes:
    """RFC 1320."""

    def rotate(x: int, n: int) -> int:
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    message = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for offset in range(0, len(message), 64):
        x = struct.unpack("<16I", message[offset : offset + 64])
        aa, bb, cc, dd = a, b, c, d
        for i in (0, 4, 8, 12):
            a = rotate((a + ((b & c) | (~b & d)) + x[i]) & 0xFFFFFFFF, 3)
            d = rotate((d + ((a & b) | (~a & c)) + x[i + 1]) & 0xFFFFFFFF, 7)
            c = rotate((c + ((d & a) | (~d & b)) + x[i + 2]) & 0xFFFFFFFF, 11)
            b = rotate((b + ((c & d) | (~c & a)) + x[i + 3]) & 0xFFFFFFFF, 19)
        for i in (0, 1, 2, 3):
            a = rotate((a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5A827999) & 0xFFFFFFFF, 3)
            d = rotate((d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5A827999) & 0xFFFFFFFF, 5)
            c = rotate((c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5A827999) & 0xFFFFFFFF, 9)
            b = rotate(
                (b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5A827999) & 0xFFFFFFFF, 13
            )
        for i in (0, 2, 1, 3):
            a = rotate((a + (b ^ c ^ d) + x[i] + 0x6ED9EBA1) & 0xFFFFFFFF, 3)
            d = rotate((d + (a ^ b ^ c) + x[i + 8] + 0x6ED9EBA1) & 0xFFFFFFFF, 9)
            c = rotate((c + (d ^ a ^ b) + x[i + 4] + 0x6ED9EBA1) & 0xFFFFFFFF, 11)
            b = rotate((b + (c ^ d ^ a) + x[i + 12] + 0x6ED9EBA1) & 0xFFFFFFFF, 15)
        a, b, c, d = (
            (a + aa) & 0xFFFFFFFF,
            (b + bb) & 0xFFFFFFFF,
            (c + cc) & 0xFFFFFFFF,
            (d + dd) & 0xFFFFFFFF,
        )
    return struct.pack("<4I", a, b, c, d)


def _kind(message: bytes) -> int:
    if len(message) < 12 or message[:8] != SIGNATURE:
        raise NtlmError("not an NTLM message")
    return int(struct.unpack("<I", message[8:12])[0])


def negotiate_flags(message: bytes) -> int:
    if _kind(message) != NEGOTIATE or len(message) < 16:
        raise NtlmError("expected an NTLM NEGOTIATE message")
    return int(struct.unpack("<I", message[12:16])[0])


def challenge(client_flags: int, server_challenge: bytes, domain: str, computer: str) -> bytes:
    """The CHALLENGE_MESSAGE answering a NEGOTIATE with these flags."""
    flags = (client_flags & _GRANTABLE) | (
        NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN
    )
    flags |= TARGET_TYPE_DOMAIN | NEGOTIATE_TARGET_INFO | NEGOTIATE_VERSION
    target_name = domain.upper().encode("utf-16-le")
    now = int(time.time() * 10_000_000) + _EPOCH_AS_FILETIME
    pairs = [
        (_AV_NB_DOMAIN, domain.upper().encode("utf-16-le")),
        (_AV_NB_COMPUTER, computer.upper().encode("utf-16-le")),
        (_AV_DNS_DOMAIN, domain.lower().encode("utf-16-le")),
        (_AV_DNS_COMPUTER, computer.lower().encode("utf-16-le")),
        (_AV_TIMESTAMP, struct.pack("<Q", now)),
        (_AV_EOL, b""),
    ]
    target_info = b"".join(struct.pack("<HH", kind, len(value)) + value for kind, value in pairs)
    header_length = 56
    name_offset = header_length
    info_offset = name_offset + len(target_name)
    version = bytes([10, 0]) + struct.pack("<H", 17763) + b"\x00\x00\x00\x0f"
    return (
        SIGNATURE
        + struct.pack("<I", CHALLENGE)
        + struct.pack("<HHI", len(target_name), len(target_name), name_offset)
        + struct.pack("<I", flags)
        + server_challenge
        + b"\x00" * 8
        + struct.pack("<HHI", len(target_info), len(target_info), info_offset)
        + version
        + target_name
        + target_info
    )


def parse_authenticate(message: bytes) -> Authenticate:
    if _kind(message) != AUTHENTICATE or len(message) < 64:
        raise NtlmError("expected an NTLM AUTHENTICATE message")

    def field(offset: int) -> bytes:
        length, _, start = struct.unpack("<HHI", message[offset : offset + 8])
        if start + length > len(message):
            raise NtlmError("an NTLM field points past the message")
        return message[start : start + length]

    flags = int(struct.unpack("<I", message[60:64])[0])
    encoding = "utf-16-le" if flags & NEGOTIATE_UNICODE else "latin-1"
    try:
        domain = field(28).decode(encoding)
        user = field(36).decode(encoding)
    except UnicodeDecodeError as error:
        raise NtlmError("an NTLM name is not text") from error
    return Authenticate(user=user, domain=domain, nt_response=field(20))


def verify_ntlmv2(answer: Authenticate, password: str, server_challenge: bytes) -> bool:
    """Whether the NTLMv2 response proves knowledge of the password (MS-NLMP 3.3.2)."""
    if len(answer.nt_response) <= 24:
        return False  # NTLMv1, refused as Exchange servers are told to
    nt_hash = md4(password.encode("utf-16-le"))
    identity = (answer.user.upper() + answer.domain).encode("utf-16-le")
    key = hmac.digest(nt_hash, identity, "md5")
    proof, blob = answer.nt_response[:16], answer.nt_response[16:]
    return hmac.compare_digest(hmac.digest(key, server_challenge + blob, "md5"), proof)


def new_server_challenge() -> bytes:
    return os.urandom(8)
