"""One team client in a process of its own, for the team tests (not a test module).

The parent passes the profile in LIAISON_HOME and LIAISON_PROFILE, the mailbox password (if the
client syncs mail) in LIAISON_TEST_PASSWORD; a keyring that reads it stands in for the system
keyring. Commands (argv[1]):
- `track GUN FILE...`: at the starting line (starting_line.py), when the file GUN appears, track
  each message (raw RFC 822 files) as the sync engine does on arrival and send the CRM changes to
  the store after each one.
- `sync`: one sync of mail and CRM, as the desktop window's Sync now.
The last line of output is JSON: what happened, for the parent to check.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from app.services.tracking import TrackingService
from app.sync.engine import EngineSettings, SyncEngine
from app.sync.ews.connect import RetrySettings
from app.sync.ews.factory import EwsFactory
from app.workspace import Workspace
from tests.team.starting_line import wait_for_gun


class _PasswordFromParent(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("LIAISON_TEST_PASSWORD")

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def track(gun: Path, files: list[str]) -> dict[str, object]:
    with Workspace.open() as workspace:
        tracking = TrackingService(workspace)
        wait_for_gun(gun)
        online = 0
        for name in files:
            tracking.track_automatically(Path(name).read_bytes())
            report = workspace.sync_crm()
            online += bool(report and report.online)
        final = workspace.sync_crm()
        assert final is not None
        return {"online": online, "pending": final.pending}


def sync() -> dict[str, object]:
    settings = EngineSettings(
        backends=EwsFactory(RetrySettings(max_wait=3.0, first_retry=0.05, timeout=10.0)),
        outbox_retry_pause=timedelta(0),
    )
    with Workspace.open() as workspace:
        engine = SyncEngine.open(workspace, settings)
        report = engine.sync_once()
        engine.close()
        team = workspace.sync_crm()
        assert team is not None
        return {
            "mail": report.state.value,
            "tracked": report.tracked,
            "crm_online": team.online,
            "pending": team.pending,
        }


def main() -> int:
    keyring.set_keyring(_PasswordFromParent())
    command = sys.argv[1]
    result = track(Path(sys.argv[2]), sys.argv[3:]) if command == "track" else sync()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
