from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.config import profile_paths
from app.profile_identity import profile_identity
from app.secrets import (
    MemoryKeyring,
    SecretStoreUnavailable,
    delete_secret,
    load_secret,
    remember_for_session,
    store_secret,
)

ANNA = "anna.nowak@brightwave.test"


def test_a_password_is_kept_per_profile_and_account() -> None:
    store_secret(profile_paths(), ANNA, "s3cret")
    assert load_secret(profile_paths(), ANNA) == "s3cret"
    assert load_secret(profile_paths("sales"), ANNA) is None


def test_the_keyring_entry_is_keyed_by_the_profile_id_not_its_name(
    memory_keyring: MemoryKeyring,
) -> None:
    paths = profile_paths()
    store_secret(paths, ANNA, "s3cret")
    assert memory_keyring.secrets == {
        (f"liaison-profile/{profile_identity(paths).id}", ANNA): "s3cret"
    }


def test_two_homes_with_one_profile_name_and_address_keep_their_own_passwords(
    tmp_path: Path,
) -> None:
    office = profile_paths(environ={"LIAISON_HOME": str(tmp_path / "office")})
    laptop = profile_paths(environ={"LIAISON_HOME": str(tmp_path / "laptop")})
    store_secret(office, ANNA, "biuro-2026")
    store_secret(laptop, ANNA, "laptop-2026")
    delete_secret(laptop, ANNA)
    assert load_secret(office, ANNA) == "biuro-2026"
    assert load_secret(laptop, ANNA) is None


def test_an_entry_kept_under_the_profile_name_moves_to_its_id_on_first_use(
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.set_password("liaison/default", ANNA, "z-dawnych-lat")
    paths = profile_paths()

    assert load_secret(paths, ANNA) == "z-dawnych-lat"

    assert memory_keyring.secrets == {
        (f"liaison-profile/{profile_identity(paths).id}", ANNA): "z-dawnych-lat"
    }


def test_removing_an_account_never_moved_to_the_id_removes_the_old_entry(
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.set_password("liaison/default", ANNA, "z-dawnych-lat")
    delete_secret(profile_paths(), ANNA)
    assert memory_keyring.secrets == {}


def test_removing_a_moved_account_leaves_another_folders_old_entry_alone(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    paths = profile_paths()
    store_secret(paths, ANNA, "nowe-haslo")
    # A profile of the same name in another folder, still on an old version.
    memory_keyring.set_password("liaison/default", ANNA, "haslo-innego")
    delete_secret(paths, ANNA)
    assert memory_keyring.secrets == {("liaison/default", ANNA): "haslo-innego"}


def test_deleting_a_missing_password_is_harmless() -> None:
    delete_secret(profile_paths(), "nobody@brightwave.test")
    store_secret(profile_paths(), ANNA, "s3cret")
    delete_secret(profile_paths(), ANNA)
    assert load_secret(profile_paths(), ANNA) is None


def test_a_system_without_keyring_gets_a_clear_message() -> None:
    keyring.set_keyring(FailKeyring())
    with pytest.raises(SecretStoreUnavailable, match="No system keyring"):
        store_secret(profile_paths(), ANNA, "s3cret")


def test_a_session_secret_needs_no_keyring_and_is_never_stored() -> None:
    keyring.set_keyring(FailKeyring())
    remember_for_session(profile_paths("demo"), ANNA, "demo")
    assert load_secret(profile_paths("demo"), ANNA) == "demo"
    with pytest.raises(SecretStoreUnavailable):
        load_secret(profile_paths(), ANNA)
