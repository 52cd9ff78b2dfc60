import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.secrets import SecretStoreUnavailable, delete_secret, load_secret, store_secret


def test_a_password_is_kept_per_profile_and_account() -> None:
    store_secret("default", "anna.nowak@brightwave.test", "s3cret")
    assert load_secret("default", "anna.nowak@brightwave.test") == "s3cret"
    assert load_secret("other", "anna.nowak@brightwave.test") is None


def test_deleting_a_missing_password_is_harmless() -> None:
    delete_secret("default", "nobody@brightwave.test")
    store_secret("default", "anna.nowak@brightwave.test", "s3cret")
    delete_secret("default", "anna.nowak@brightwave.test")
    assert load_secret("default", "anna.nowak@brightwave.test") is None


def test_a_system_without_keyring_gets_a_clear_message() -> None:
    keyring.set_keyring(FailKeyring())
    with pytest.raises(SecretStoreUnavailable, match="No system keyring"):
        store_secret("default", "anna.nowak@brightwave.test", "s3cret")


def test_a_session_secret_needs_no_keyring_and_is_never_stored() -> None:
    from app.secrets import remember_for_session

    keyring.set_keyring(FailKeyring())
    remember_for_session("demo", "anna.nowak@brightwave.test", "demo")
    assert load_secret("demo", "anna.nowak@brightwave.test") == "demo"
    with pytest.raises(SecretStoreUnavailable):
        load_secret("default", "anna.nowak@brightwave.test")
