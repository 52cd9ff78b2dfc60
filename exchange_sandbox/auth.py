"""Basic, NTLM and OAuth 2 bearer authentication against the sandbox's mailboxes."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

from . import ntlm
from .model import Mailbox
from .store import Store

_NTLM_USER = "ntlm.user"
_NTLM_CHALLENGE = "ntlm.challenge"


def authenticate(store: Store, authorization: str | None) -> Mailbox | None:
    """The mailbox whose credentials the Authorization header carries, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, _, password = decoded.partition(":")
        mailbox = store.mailbox(user.rpartition("\\")[2])
        if mailbox is None or mailbox.password is None:
            return None
        return mailbox if hmac.compare_digest(mailbox.password, password) else None
    if scheme == "bearer":
        token = value.strip()
        for mailbox in store.mailboxes.values():
            if any(hmac.compare_digest(token, known) for known in mailbox.tokens):
                return mailbox
    return None


def authenticate_request(
    store: Store, authorization: str | None, connection: dict[str, Any], hostname: str
) -> tuple[Mailbox | None, list[tuple[str, str]] | None]:
    """The mailbox this request acts for; or None and, in the middle of an NTLM handshake, the
    WWW-Authenticate header to answer the 401 with (None: the usual challenges)."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() in ("ntlm", "negotiate"):
        return _ntlm_step(store, scheme, value.strip(), connection, hostname)
    if not authorization and connection.get(_NTLM_USER):
        # NTLM authenticates the connection: later requests on it carry no header.
        return store.mailbox(connection[_NTLM_USER]), None
    return authenticate(store, authorization), None


def _ntlm_step(
    store: Store, scheme: str, value: str, connection: dict[str, Any], hostname: str
) -> tuple[Mailbox | None, list[tuple[str, str]] | None]:
    connection.pop(_NTLM_USER, None)
    try:
        token = base64.b64decode(value, validate=True)
        if connection.get(_NTLM_CHALLENGE) is None:
            flags = ntlm.negotiate_flags(token)
            server_challenge = ntlm.new_server_challenge()
            connection[_NTLM_CHALLENGE] = server_challenge
            domain = hostname.split(".")[1] if hostname.count(".") > 1 else "SANDBOX"
            message = ntlm.challenge(flags, server_challenge, domain, hostname.split(".")[0])
            return None, [("WWW-Authenticate", f"{scheme} {base64.b64encode(message).decode()}")]
        answer = ntlm.parse_authenticate(token)
    except (binascii.Error, ntlm.NtlmError):
        connection.pop(_NTLM_CHALLENGE, None)
        return None, None
    server_challenge = connection.pop(_NTLM_CHALLENGE)
    mailbox = store.mailbox(answer.user.rpartition("\\")[2])
    if mailbox is None or mailbox.password is None:
        return None, None
    if not ntlm.verify_ntlmv2(answer, mailbox.password, server_challenge):
        return None, None
    connection[_NTLM_USER] = mailbox.address
    return mailbox, None


def challenge_headers(realm: str) -> list[tuple[str, str]]:
    """What IIS sends with a 401 for a server offering Basic, NTLM and OAuth."""
    return [
        ("WWW-Authenticate", "Negotiate"),
        ("WWW-Authenticate", "NTLM"),
        ("WWW-Authenticate", f'Basic realm="{realm}"'),
        ("WWW-Authenticate", 'Bearer realm="" , error="invalid_token"'),
    ]
