"""Basic and OAuth 2 bearer authentication against the sandbox's mailboxes."""

from __future__ import annotations

import base64
import binascii
import hmac

from .model import Mailbox
from .store import Store


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


def challenge_headers(realm: str) -> list[tuple[str, str]]:
    """What IIS sends with a 401 for a server offering Basic and OAuth."""
    return [
        ("WWW-Authenticate", f'Basic realm="{realm}"'),
        ("WWW-Authenticate", 'Bearer realm="" , error="invalid_token"'),
    ]
