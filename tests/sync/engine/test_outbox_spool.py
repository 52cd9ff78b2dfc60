"""Spooled messages (the files of mail queued to send) outlive no crash: a sync removes the
folders no waiting entry names, whether or not anything waits for the server."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.sync.engine import SyncEngine
from app.sync.outbox import OutboxKind, enqueue
from app.sync.outgoing import SPOOL_GRACE_SECONDS, spool_folder
from app.workspace import Workspace


def _spooled(workspace: Workspace, client_id: str, age_seconds: float) -> Path:
    folder = spool_folder(workspace.paths.data_dir, client_id)
    folder.mkdir(parents=True)
    (folder / "message.eml").write_bytes(b"Subject: Angebot\r\n\r\nEntwurf\r\n")
    moment = time.time() - age_seconds
    os.utime(folder, (moment, moment))
    return folder


def test_a_sync_with_nothing_waiting_removes_a_message_a_crash_left_in_the_spool(
    engine: SyncEngine, workspace: Workspace
) -> None:
    engine.sync_once()
    orphan = _spooled(workspace, "b2c41f0e9a7d4c1e8f3a5b6d7e8f9a0b", SPOOL_GRACE_SECONDS + 60)

    report = engine.sync_once()

    assert report.ok, report.message
    assert not orphan.exists()


def test_a_message_being_spooled_right_now_is_left_alone(
    engine: SyncEngine, workspace: Workspace
) -> None:
    engine.sync_once()
    being_written = _spooled(workspace, "0f9e8d7c6b5a49382716051a2b3c4d5e", 5)

    engine.sync_once()

    assert (being_written / "message.eml").exists()


def test_a_message_another_account_of_the_profile_is_sending_keeps_its_spool(
    engine: SyncEngine, workspace: Workspace
) -> None:
    engine.sync_once()
    with workspace.local.sessions.begin() as session:
        waiting = enqueue(session, "vertrieb@mueller-mb.example", OutboxKind.SEND, {})
        client_id = waiting.client_id
    spooled = _spooled(workspace, client_id, SPOOL_GRACE_SECONDS + 60)

    report = engine.sync_once()

    assert report.ok, report.message
    assert (spooled / "message.eml").exists()
