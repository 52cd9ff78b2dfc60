"""Signing in with Microsoft, as the window and the CLI see it: no MSAL, no Graph here.

`app.sync.backends.microsoft_sign_in` gives a `MicrosoftSignIn` for an account; it signs the user
in through the system browser (auth code + PKCE, answered on a loopback redirect) or with a
device code (for a terminal or a machine without a browser), and keeps what it got in the
keyring. A refusal is `SignInFailed`, worded for the user.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.sync.errors import SyncError


class SignInFailed(SyncError):
    """The sign-in did not give a token; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class DeviceCodePrompt:
    """What the user is to do on another device: open the page and type the code."""

    message: str  # Microsoft's own sentence, with both
    verification_uri: str
    user_code: str


OpenBrowser = Callable[[str], object]
ShowDeviceCode = Callable[[DeviceCodePrompt], None]


class MicrosoftSignIn(Protocol):
    def with_browser(
        self, open_browser: OpenBrowser, cancel: threading.Event, timeout_s: float = 300
    ) -> str:
        """Sign in through the browser; the address signed in. Blocks until done."""
        ...

    def with_device_code(self, show: ShowDeviceCode, cancel: threading.Event) -> str:
        """Sign in with a device code shown to the user; the address signed in."""
        ...
