"""The access tokens the Graph sandbox accepts: each names one mailbox and lasts a while.

The identity endpoints (the sandbox's stand-in for Microsoft Entra ID) issue them; the Graph
endpoints look them up. A token is opaque, as a client must treat a real one.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class _Grant:
    address: str
    expires: float  # time.monotonic()


class TokenBook:
    """Bearer tokens issued for mailboxes; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}

    def issue(self, address: str, lifetime_s: float = 3600) -> str:
        """A new token for `address`, valid for `lifetime_s` seconds."""
        token = "sbx." + secrets.token_urlsafe(32)
        with self._lock:
            self._grants[token] = _Grant(address, time.monotonic() + lifetime_s)
        return token

    def address_for(self, token: str) -> str | None:
        """The mailbox a token was issued for; None when unknown or expired."""
        with self._lock:
            grant = self._grants.get(token)
            if grant is None:
                return None
            if grant.expires <= time.monotonic():
                del self._grants[token]
                return None
            return grant.address

    def revoke_all(self, address: str) -> None:
        """Every token of this mailbox stops working (a password reset, a disabled account)."""
        folded = address.casefold()
        with self._lock:
            for token in [t for t, g in self._grants.items() if g.address.casefold() == folded]:
                del self._grants[token]
