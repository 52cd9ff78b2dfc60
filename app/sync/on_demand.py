"""A connection to the account's server for one thing asked now (an attachment's content),
beside the engine's: it needs no sync and never waits for one."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from app.accounts import load_account_secret, require_account
from app.sync.backend import BackendFactory, MailBackend
from app.sync.backends import factory_for
from app.workspace import Workspace


@contextlib.contextmanager
def connected(
    workspace: Workspace, backends: BackendFactory | None = None
) -> Iterator[MailBackend]:
    """The account's backend, connected, closed after; SyncErrors say why not."""
    account = require_account(workspace)
    factory = backends or factory_for(account, workspace.paths)
    link = factory.connect(
        account,
        lambda: load_account_secret(workspace, account),
        threading.Event(),
        lambda seconds, why: None,
    )
    try:
        yield link.backend
    finally:
        link.backend.close()
