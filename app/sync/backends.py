"""Which mail backend serves an account: EWS for Exchange Server, Microsoft Graph for a
Microsoft 365 account (signing in with Microsoft); and the sign-in, for the window and the CLI.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from app.accounts import AccountSettings, BackendKind
from app.config import ProfilePaths
from app.sync.backend import BackendFactory
from app.sync.graph_move import GraphLink
from app.sync.signin import MicrosoftSignIn


def factory_for(account: AccountSettings, paths: ProfilePaths | None = None) -> BackendFactory:
    """The factory for this account's server, with the options that suit a real server. A
    Microsoft 365 account's sign-in is refreshed into the keyring of the profile at `paths`."""
    # Imported here, not at the top: exchangelib takes a while to load, and the window (which
    # imports the engine) paints its first frame before sync connects.
    if account.backend is BackendKind.GRAPH:
        from app.sync.graph.factory import GraphFactory
        from app.sync.graph.signin import msal_tokens

        return GraphFactory(token_source=msal_tokens(paths))
    from app.sync.ews.factory import EwsFactory

    return EwsFactory()


def microsoft_sign_in(account: AccountSettings, paths: ProfilePaths) -> MicrosoftSignIn:
    """Microsoft 365 sign-in for this account; its token cache goes to the profile's keyring."""
    from app.sync.graph.signin import sign_in_for

    return sign_in_for(account, paths)


def graph_link(account: AccountSettings) -> GraphLink:
    """What moving an EWS profile to Graph needs of Graph, for `account` (the Graph account it
    becomes): a sign-in held in memory and the id translation over it."""
    from app.sync.graph.signin import HeldSignIn
    from app.sync.graph.translate import GraphIdTranslator

    held = HeldSignIn(account)

    def translate(ews_ids: Sequence[str], cancel: threading.Event) -> dict[str, str]:
        return GraphIdTranslator(account, held.tokens())(ews_ids, cancel)

    return GraphLink(held.sign_in, translate, lambda: held.kept)
