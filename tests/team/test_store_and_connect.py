"""The team store on PostgreSQL: one migration run however many clients start at once, and
`liaison crm connect|disconnect` with the password kept in the keyring only."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from app.cli import run
from app.config import profile_paths
from app.db.migrate import alembic_config
from app.workspace import Workspace
from tests.conftest import MemoryKeyring
from tests.team.conftest import Team, refused_port, wait_until_ready

CHILD = Path(__file__).with_name("migrate_child.py")
ROOT = Path(__file__).resolve().parents[2]


def head() -> str:
    return str(ScriptDirectory.from_config(alembic_config("crm")).get_current_head())


def test_clients_starting_at_once_migrate_the_store_once(
    store_url: str, tmp_path: Path, rows: Callable[..., list[Any]]
) -> None:
    gun = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, str(CHILD), store_url, str(gun)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    wait_until_ready(children)
    gun.touch()
    outputs = [child.communicate(timeout=60) for child in children]

    assert [child.returncode for child in children] == [0, 0, 0, 0], outputs
    assert rows("SELECT version_num FROM alembic_version") == [(head(),)]
    assert rows("SELECT count(*) FROM pg_trigger WHERE tgname = 'records_stamp'") == [(1,)]


def test_connect_keeps_the_password_in_the_keyring_and_not_in_settings(
    store_url: str, memory_keyring: MemoryKeyring, capsys: Any
) -> None:
    secret = "Tajne-Haslo-2026"
    with_password = make_url(store_url).set(password=secret).render_as_string(hide_password=False)
    assert run(["init", "--address", "anna.nowak@brightwave.example", "--name", "Anna Nowak"]) == 0

    assert run(["crm", "connect", with_password]) == 0

    paths = profile_paths()
    settings_text = paths.settings_file.read_text(encoding="utf-8")
    assert secret not in settings_text
    assert json.loads(settings_text)["crm_url"].startswith("postgresql+psycopg://liaison@")
    assert secret in memory_keyring.secrets.values()
    assert "Connected to the team CRM" in capsys.readouterr().out


def test_connect_can_read_the_password_from_standard_input(
    store_url: str, memory_keyring: MemoryKeyring, monkeypatch: Any
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Haslo-Ze-Stdin-7\n"))

    assert run(["crm", "connect", store_url, "--password-stdin"]) == 0

    assert "Haslo-Ze-Stdin-7" in memory_keyring.secrets.values()
    assert "Haslo-Ze-Stdin-7" not in profile_paths().settings_file.read_text(encoding="utf-8")


def test_after_connect_the_owner_is_a_user_of_the_team_store(
    store_url: str, rows: Callable[..., list[Any]]
) -> None:
    assert run(["init", "--address", "anna.nowak@brightwave.example", "--name", "Anna Nowak"]) == 0
    assert run(["crm", "connect", store_url]) == 0

    with Workspace.open() as workspace:
        assert workspace.team is not None
        with workspace.crm.sessions() as session:
            owner = workspace.owner(session)
            assert (owner.id, owner.name) == (workspace.settings["owner_user_id"], "Anna Nowak")
    assert rows("SELECT name FROM system_users") == [("Anna Nowak",)]


def test_a_profile_connected_before_it_has_an_owner_makes_its_user_in_the_store(
    store_url: str, rows: Callable[..., list[Any]]
) -> None:
    assert run(["crm", "connect", store_url]) == 0

    assert run(["init", "--address", "ewa.wisniewska@brightwave.example", "--name", "Ewa"]) == 0

    assert rows("SELECT name FROM system_users") == [("Ewa",)]
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        assert workspace.owner(session).emails == ["ewa.wisniewska@brightwave.example"]


def test_disconnect_goes_back_to_the_profiles_own_crm(store_url: str, capsys: Any) -> None:
    assert run(["init", "--address", "anna.nowak@brightwave.example", "--name", "Anna Nowak"]) == 0
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        solo_owner = workspace.owner(session).id
    assert run(["crm", "connect", store_url]) == 0

    assert run(["crm", "disconnect"]) == 0

    with Workspace.open() as workspace:
        assert workspace.team is None
        assert str(workspace.crm.engine.url).endswith("crm.sqlite3")
        with workspace.crm.sessions() as session:
            assert workspace.owner(session).id == solo_owner
    assert "own CRM" in capsys.readouterr().out


def test_disconnect_refuses_while_changes_wait_for_the_store(team: Team, capsys: Any) -> None:
    anna = team.client("anna", "anna.nowak@brightwave.example", "Anna Nowak")
    with anna.workspace() as workspace, workspace.crm.sessions.begin() as session:
        from app.crm.records import create_account

        create_account(session, "Hurtownia Wisła", ["biuro@hurtownia-wisla.example"])
    os.environ["LIAISON_PROFILE"] = "anna"
    try:
        assert run(["crm", "disconnect"]) == 2
    finally:
        del os.environ["LIAISON_PROFILE"]

    assert "1 CRM change(s) have not reached the team CRM" in capsys.readouterr().err
    with anna.workspace() as workspace:
        assert workspace.team is not None


def test_connecting_to_a_store_that_is_not_there_says_so_and_changes_nothing(
    capsys: Any,
) -> None:
    assert run(["init", "--address", "anna.nowak@brightwave.example"]) == 0
    before = profile_paths().settings_file.read_text(encoding="utf-8")

    url = f"postgresql://liaison@127.0.0.1:{refused_port()}/crm"
    assert run(["crm", "connect", url]) == 2

    assert "The team CRM cannot be reached" in capsys.readouterr().err
    assert profile_paths().settings_file.read_text(encoding="utf-8") == before


def test_a_url_of_another_database_kind_is_refused_with_a_clear_message(capsys: Any) -> None:
    assert run(["crm", "connect", "mysql://anna@db.brightwave.example/crm"]) == 2

    assert "A team CRM lives on PostgreSQL" in capsys.readouterr().err
