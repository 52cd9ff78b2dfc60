"""Passwords in the keyring belong to a profile's folder, not to its name: two LIAISON_HOME
folders with one profile name and one address keep their own, and an entry an older version
kept under the name moves to the folder's id without the user typing anything.

The commands run in this process: the keyring of the tests lives in its memory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.cli import run
from app.config import profile_paths
from app.profile_identity import profile_identity
from app.secrets import MemoryKeyring
from tests.support.sandbox import Sandbox, SandboxUser


class Liaison:
    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: Path
    ) -> None:
        self.monkeypatch = monkeypatch
        self.capsys = capsys
        self.home = home

    def __call__(self, *argv: str, stdin: str = "") -> tuple[int, str]:
        self.monkeypatch.setenv("LIAISON_HOME", str(self.home))
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = run(list(argv))
        captured = self.capsys.readouterr()
        return code, captured.out + captured.err


@pytest.fixture
def office(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Liaison:
    return Liaison(monkeypatch, capsys, tmp_path / "biuro")


@pytest.fixture
def laptop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Liaison:
    return Liaison(monkeypatch, capsys, tmp_path / "laptop")


def add_account(liaison: Liaison, sandbox: Sandbox, user: SandboxUser, password: str) -> str:
    _, said = liaison(
        "account", "add", user.address, "--server", sandbox.url, "--password-stdin",
        stdin=password + "\n",
    )  # fmt: skip
    return said


def test_two_homes_with_one_address_keep_separate_passwords(
    office: Liaison, laptop: Liaison, sandbox: Sandbox, user: SandboxUser
) -> None:
    assert "Everything works" in add_account(office, sandbox, user, user.password)
    # On the laptop the user mistypes the password: the office's must not change.
    assert "credentials" in add_account(laptop, sandbox, user, "Zle-Haslo-1").lower()

    code, said = office("account", "test")

    assert code == 0, said
    assert "Everything works" in said


def test_removing_the_account_in_one_home_keeps_the_others_password(
    office: Liaison, laptop: Liaison, sandbox: Sandbox, user: SandboxUser
) -> None:
    add_account(office, sandbox, user, user.password)
    add_account(laptop, sandbox, user, user.password)

    assert laptop("account", "remove")[0] == 0

    code, said = office("account", "test")
    assert code == 0, said
    assert "Everything works" in said


def test_a_password_kept_under_the_profile_name_moves_to_its_id_without_asking(
    office: Liaison, sandbox: Sandbox, user: SandboxUser, memory_keyring: MemoryKeyring
) -> None:
    add_account(office, sandbox, user, user.password)
    paths = profile_paths(environ={"LIAISON_HOME": str(office.home)})
    # As an older version kept it: under the profile's name.
    memory_keyring.secrets = {("liaison/default", user.address.lower()): user.password}

    code, said = office("account", "test")

    assert code == 0, said
    assert memory_keyring.secrets == {
        (f"liaison-profile/{profile_identity(paths).id}", user.address.lower()): user.password
    }
