"""A profile's identity: an id made once and kept, whatever saves the settings, and the list of
databases it made."""

from __future__ import annotations

import json

import pytest

from app.config import SettingsError, load_settings, profile_paths, save_settings
from app.profile_identity import (
    _create,
    forget_database,
    identity_file,
    profile_identity,
    remember_databases,
)


def test_the_id_is_made_once_and_kept() -> None:
    paths = profile_paths().ensure()
    first = profile_identity(paths).id
    assert profile_identity(paths).id == first
    assert len(first) == 32


def test_a_settings_save_from_older_settings_never_drops_the_id() -> None:
    paths = profile_paths().ensure()
    older = load_settings(paths)  # as a window opened before the id was made holds them
    made = profile_identity(paths).id
    save_settings(paths, {**older, "address": "anna.nowak@brightwave.test"})
    assert profile_identity(paths).id == made


def test_two_first_starts_keep_the_id_of_the_first() -> None:
    paths = profile_paths().ensure()
    first = profile_identity(paths).id
    # The second start made its own id a moment later and tries to put it in place.
    _create(identity_file(paths), {"id": "f" * 32, "databases": {}})
    assert profile_identity(paths).id == first


def test_databases_are_remembered_with_their_day_and_forgotten_on_purpose() -> None:
    paths = profile_paths().ensure()
    remember_databases(paths, [paths.crm_database, paths.local_database])
    identity = profile_identity(paths)
    assert identity.made_on(paths, paths.crm_database) is not None
    assert identity.made_on(paths, paths.team_replica) is None

    forget_database(paths, paths.crm_database)

    assert profile_identity(paths).made_on(paths, paths.crm_database) is None
    assert profile_identity(paths).made_on(paths, paths.local_database) is not None


def test_a_damaged_identity_file_says_what_to_do() -> None:
    paths = profile_paths().ensure()
    identity_file(paths).write_text(json.dumps({"databases": []}), encoding="utf-8")
    with pytest.raises(SettingsError, match="is damaged: remove it"):
        profile_identity(paths)
