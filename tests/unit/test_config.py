from pathlib import Path

import pytest

from app.config import SettingsError, crm_url, load_settings, profile_paths, save_settings


def test_liaison_home_puts_the_whole_profile_under_one_folder(liaison_home: Path) -> None:
    paths = profile_paths()
    for folder in (paths.data_dir, paths.config_dir, paths.cache_dir, paths.log_dir):
        assert folder.is_relative_to(liaison_home)


def test_a_named_profile_gets_folders_of_its_own(liaison_home: Path) -> None:
    assert profile_paths("sales").data_dir != profile_paths().data_dir


def test_without_liaison_home_the_platform_folders_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LIAISON_HOME")
    paths = profile_paths(environ={})
    assert "Liaison" in str(paths.data_dir) or "liaison" in str(paths.data_dir)


def test_settings_survive_a_round_trip() -> None:
    paths = profile_paths().ensure()
    save_settings(paths, {"address": "anna.nowak@brightwave.test", "owner_user_id": 1})
    assert load_settings(paths) == {"address": "anna.nowak@brightwave.test", "owner_user_id": 1}


def test_a_damaged_settings_file_is_reported_not_overwritten() -> None:
    paths = profile_paths().ensure()
    paths.settings_file.write_text('{"address": ', encoding="utf-8")
    with pytest.raises(SettingsError, match="damaged"):
        load_settings(paths)
    assert paths.settings_file.read_text(encoding="utf-8") == '{"address": '


def test_the_crm_is_the_profile_sqlite_file_unless_a_team_url_is_set() -> None:
    paths = profile_paths()
    assert crm_url(paths, {}) == f"sqlite:///{paths.crm_database}"
    team = "postgresql://crm.brightwave.test/liaison"
    assert crm_url(paths, {"crm_url": team}) == team


def test_settings_nested_past_any_reason_are_damaged_not_a_crash() -> None:
    paths = profile_paths().ensure()
    paths.settings_file.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(SettingsError, match="nested too deeply"):
        load_settings(paths)
