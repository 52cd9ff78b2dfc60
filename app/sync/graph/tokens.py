"""Where the Graph backend gets its access token: a TokenSource.

The sign-in (MSAL, app.sync.graph's sign-in module) is one; tests use StaticTokenSource. A source
that cannot give a token without the user (no refresh token, a revoked grant, consent or
conditional access in the way) raises SignInNeeded, which the engine shows as "sign in again".
"""

from __future__ import annotations

from typing import Protocol

from app.sync.errors import SignInNeeded

__all__ = ["SignInNeeded", "StaticTokenSource", "TokenSource"]


class TokenSource(Protocol):
    def access_token(self) -> str:
        """A valid access token for Graph; SignInNeeded when only the user can get one."""
        ...


class StaticTokenSource:
    """One token, given as it is (tests, and a token handed over by a script)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        if not self._token:
            raise SignInNeeded()
        return self._token
