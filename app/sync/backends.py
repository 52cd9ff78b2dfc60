"""Which mail backend serves an account.

Every account today is an Exchange account reached over EWS; a Microsoft Graph backend adds its
choice here (issue 15), and nothing in the engine changes.
"""

from __future__ import annotations

from app.accounts import AccountSettings
from app.config import ProfilePaths
from app.sync.backend import BackendFactory
from app.sync.signin import MicrosoftSignIn


def factory_for(account: AccountSettings) -> BackendFactory:
    """The factory for this account's server, with the options that suit a real server."""
    # Imported here, not at the top: exchangelib takes a while to load, and the window (which
    # imports the engine) paints its first frame before sync connects.
    from app.sync.ews.factory import EwsFactory

    return EwsFactory()


def microsoft_sign_in(account: AccountSettings, paths: ProfilePaths) -> MicrosoftSignIn:
    """Microsoft 365 sign-in for this account; its token cache goes to the profile's keyring."""
    from app.sync.graph.signin import sign_in_for

    return sign_in_for(account, paths)
