"""One sync in a process of its own, for the kill-and-restart and concurrency tests (not a test
module).

The parent passes the profile in LIAISON_HOME and the account's secret in LIAISON_TEST_PASSWORD
(the password of an Exchange account, the access token of a Microsoft 365 one); a keyring that
reads it stands in for the system keyring, which a test never touches.
- Without arguments: one sync through the engine, over EWS or Microsoft Graph as the profile's
  account says, with short retry waits. Each progress report goes to stdout as one line, so the
  parent can kill the sync at a moment it chose; pages are small so that there are many such
  moments. Exit code 0 when the sync ended online.
- With arguments: the `liaison` command with them (`sync_child.py sync --wait`), as a user
  runs it, with its own output and exit code (Exchange accounts only: the command signs a
  Microsoft 365 account in with Microsoft).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta

import keyring
from keyring.backend import KeyringBackend

from app.accounts import BackendKind, load_account
from app.cli import run
from app.sync.backend import BackendFactory
from app.sync.engine import EngineSettings, SyncEngine
from app.sync.ews.connect import RetrySettings
from app.sync.ews.factory import EwsFactory
from app.sync.graph.factory import GraphFactory
from app.workspace import Workspace

MAX_WAIT, FIRST_RETRY, TIMEOUT = 3.0, 0.05, 10.0


class _PasswordFromParent(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ["LIAISON_TEST_PASSWORD"]

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def backends_for(workspace: Workspace) -> BackendFactory:
    """The factory for the profile's account, with short retry waits; a Microsoft 365 account's
    secret is its access token (GraphFactory's default)."""
    account = load_account(workspace)
    if account is not None and account.backend is BackendKind.GRAPH:
        return GraphFactory(max_wait=MAX_WAIT, first_retry=FIRST_RETRY, timeout=TIMEOUT)
    return EwsFactory(RetrySettings(max_wait=MAX_WAIT, first_retry=FIRST_RETRY, timeout=TIMEOUT))


def main() -> int:
    keyring.set_keyring(_PasswordFromParent())
    if sys.argv[1:]:
        return run(sys.argv[1:])
    with Workspace.open() as workspace:
        settings = EngineSettings(
            backends=backends_for(workspace), outbox_retry_pause=timedelta(0), page_size=10
        )
        engine = SyncEngine.open(workspace, settings)
        report = engine.sync_once(lambda progress: print(progress.line(), flush=True))
        engine.close()
    print(report.state.value, report.message, flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
