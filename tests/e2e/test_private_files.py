"""A profile is its user's alone: folders 0700 and files 0600, whatever the umask of the shell
that started Liaison, and an older profile's are tightened when it is opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.config import profile_paths
from app.demo import prepare_demo
from app.ui.logs import setup_logging
from app.workspace import Workspace
from tests.support.commands import liaison
from tests.support.window_hooks import window_hooks_restored

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def modes(root: Path) -> dict[str, int]:
    """Every folder and file under `root` (itself included) with its permission bits."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def not_private(root: Path) -> dict[str, str]:
    return {
        name: oct(mode)
        for name, mode in modes(root).items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    }


@pytest.fixture
def umask_022() -> Iterator[None]:
    """This process under the umask most systems give a shell (files 0644, folders 0755)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_profile_made_under_umask_022_is_private(liaison_home: Path) -> None:
    made = liaison("init", "--address", "anna.nowak@brightwave.test", umask=0o022)
    assert made.code == 0, made.err
    assert liaison("db", "backup", umask=0o022).code == 0

    assert not_private(liaison_home) == {}
    assert {"data/crm.sqlite3", "data/local.sqlite3", "config/settings.json"} <= set(
        modes(liaison_home)
    )
    assert any(name.startswith("data/backups/crm-r") for name in modes(liaison_home))


def test_the_write_ahead_log_and_the_window_log_are_private_while_in_use(
    liaison_home: Path, umask_022: None
) -> None:
    with Workspace.open() as workspace, window_hooks_restored():
        workspace.initialise("anna.nowak@brightwave.test", "Anna Nowak")
        log_file = setup_logging(workspace.paths.log_dir)
        in_use = modes(liaison_home)
        assert {"data/crm.sqlite3-wal", "data/crm.sqlite3-shm", "logs/liaison.log"} <= set(in_use)
        assert not_private(liaison_home) == {}
        assert log_file.exists()


def test_an_older_profile_is_tightened_when_it_opens(liaison_home: Path) -> None:
    assert liaison("init", "--address", "anna.nowak@brightwave.test").code == 0
    paths = profile_paths()
    # As an older version left it: readable by every local user.
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        folder.chmod(0o755)
    for file in (paths.crm_database, paths.local_database, paths.settings_file):
        file.chmod(0o644)
    (paths.log_dir / "liaison.log").write_text("2026-11-23 09:00 INFO started\n")
    (paths.log_dir / "liaison.log").chmod(0o644)

    assert liaison("options", "show").code == 0

    assert not_private(liaison_home) == {}


@pytest.mark.end_to_end  # it starts a sandbox server of its own
def test_the_demo_profile_is_private_too(umask_022: None) -> None:
    keyring.set_keyring(FailKeyring())
    demo = prepare_demo()
    try:
        data = demo.workspace.paths.data_dir
        assert (data / "sandbox" / "sandbox.sqlite3").exists()
        assert not_private(data) == {}
    finally:
        demo.close()
