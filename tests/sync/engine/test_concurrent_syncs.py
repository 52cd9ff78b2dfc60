"""One sync per profile at a time, across processes: a second `liaison sync` says which process
syncs and exits 0 (or waits with --wait); pairs started at once never crash, never leave a
profile that a later sync cannot bring up to date; the lock dies with a killed process."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from app.sync.profile_lock import ProfileLock
from app.workspace import Workspace
from tests.support.sandbox import Sandbox
from tests.sync.engine.conftest import liaison
from tests.sync.engine.profiles import (
    MESSAGES,
    Profile,
    deliver_orders,
    finish,
    new_profile,
    settle_and_check,
    stale_parts,
    start_liaison,
)

# 20 pairs of each kind were run by hand (see the sync-unstick report); CI runs a few.
PAIRS = int(os.environ.get("LIAISON_CONCURRENT_PAIRS", "3"))


def run_pair(profile: Profile) -> list[tuple[int, str, str]]:
    pair = [start_liaison(profile, "sync", "--quiet") for _ in range(2)]
    return [finish(child) for child in pair]


def check_pair(results: list[tuple[int, str, str]]) -> tuple[int, int]:
    """Tracebacks in the pair, and how many of the two found the other one syncing."""
    tracebacks = sum("Traceback" in err for _, _, err in results)
    busy = 0
    for code, out, err in results:
        assert code == 0, (out, err)
        if "A sync is already running in `liaison sync` (process " in out:
            assert out.strip().endswith("this one did nothing. Use --wait to sync after it.")
            busy += 1
        else:
            assert out.startswith("Synced "), (out, err)
    return tracebacks, busy


@pytest.mark.slow
@pytest.mark.parametrize("synced_before", [False, True], ids=["fresh", "synced"])
def test_pairs_of_syncs_started_at_once_never_crash_nor_leave_a_profile_stuck(
    sandbox: Sandbox, tmp_path: Path, synced_before: bool
) -> None:
    stuck: dict[int, list[str]] = {}
    tracebacks = busy = 0
    for pair in range(PAIRS):
        profile = new_profile(sandbox, tmp_path / f"profile-{pair}")
        if synced_before:
            assert finish(start_liaison(profile, "sync", "--quiet"))[0] == 0
            deliver_orders(sandbox, profile.user, MESSAGES, 3)
        found, waited = check_pair(run_pair(profile))
        tracebacks += found
        busy += waited
        problems = settle_and_check(profile, sandbox)
        if problems:
            stuck[pair] = problems
    print(f"{PAIRS} pairs: {len(stuck)} stuck, {tracebacks} tracebacks, {busy} found the other")
    assert tracebacks == 0
    assert stuck == {}


def test_a_second_sync_names_the_process_that_syncs_and_exits_0(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    workspace: Workspace,
) -> None:
    window = ProfileLock(workspace.paths.data_dir, "the Liaison window")
    assert window.acquire() is None
    try:
        code, out, _ = liaison(capsys, monkeypatch, "sync", "--quiet")
    finally:
        window.release()

    assert code == 0
    assert out.strip() == (
        f"A sync is already running in the Liaison window (process {os.getpid()}); "
        "this one did nothing. Use --wait to sync after it."
    )


def test_sync_with_wait_syncs_once_the_other_sync_has_finished(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    profile = new_profile(sandbox, tmp_path / "profile")
    window = ProfileLock(profile.home / "data", "the Liaison window")
    assert window.acquire() is None
    try:
        child = start_liaison(profile, "sync", "--wait")
        assert child.stderr is not None
        waiting = child.stderr.readline()
        while waiting and "waiting for the sync in" not in waiting:
            waiting = child.stderr.readline()
    finally:
        window.release()
    code, out, _ = finish(child)

    assert f"waiting for the sync in the Liaison window (process {os.getpid()})" in waiting
    assert code == 0 and out.startswith("Synced "), out
    assert stale_parts(profile, sandbox) == []


def test_the_lock_of_a_killed_sync_is_free_at_once(sandbox: Sandbox, tmp_path: Path) -> None:
    profile = new_profile(sandbox, tmp_path / "profile")
    sandbox.server.faults.hold_answers(count=1, operation="SyncFolderItems")
    child = start_liaison(profile, "sync", "--quiet")
    try:
        assert sandbox.server.faults.wait_until_held(timeout=60)
        assert ProfileLock(profile.home / "data", "test").holder().pid == child.pid
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    finally:
        sandbox.server.faults.release()
    after = ProfileLock(profile.home / "data", "the next sync")

    assert after.acquire() is None
    after.release()
    assert settle_and_check(profile, sandbox) == []
