import pytest
from sqlalchemy.orm import Session

from app.crm.org import ORG_SCHEMA, load_org_settings, set_org_setting
from app.keyed_settings import SettingError
from app.mailbox.personal_options import load_personal_options, set_personal_option
from app.tracking.model import AutoCreate, OrgSettings, PersonalOptions, TrackOption


def test_personal_options_default_to_responses_to_crm_email(local_session: Session) -> None:
    assert load_personal_options(local_session) == PersonalOptions()
    assert load_personal_options(local_session).track is TrackOption.CRM_RESPONSES


def test_each_personal_option_is_saved_and_read_back(local_session: Session) -> None:
    set_personal_option(local_session, "track", "crm-contacts")
    set_personal_option(local_session, "autocreate", "lead")
    set_personal_option(local_session, "skip-private", "off")
    set_personal_option(local_session, "track-sent", "on")
    options = load_personal_options(local_session)
    assert options.track is TrackOption.CRM_CONTACTS
    assert options.autocreate is AutoCreate.LEAD
    assert options.skip_private is False
    assert options.track_sent is True


def test_never_track_takes_addresses_and_domains_normalised(local_session: Session) -> None:
    options = set_personal_option(
        local_session, "never-track", "Jan.Kowalski@ACME.pl, @Newsletter.Example ,"
    )
    assert options.never_track == frozenset({"jan.kowalski@acme.pl", "@newsletter.example"})


def test_a_never_track_entry_that_is_no_address_is_refused(local_session: Session) -> None:
    with pytest.raises(SettingError, match="neither an address nor a @domain"):
        set_personal_option(local_session, "never-track", "acme")


def test_an_unknown_option_value_names_the_choices(local_session: Session) -> None:
    with pytest.raises(SettingError, match="all, crm-responses, crm-contacts, email-enabled"):
        set_personal_option(local_session, "track", "everything")


def test_org_settings_default_to_the_reference_behaviour(crm_session: Session) -> None:
    org = load_org_settings(crm_session)
    assert org == OrgSettings()
    assert org.smart_matching is False and org.correlate_token is True


def test_a_new_token_prefix_keeps_the_old_one_recognised(crm_session: Session) -> None:
    set_org_setting(crm_session, "token-prefix", "BW:")
    org = set_org_setting(crm_session, "token-prefix", "TICKET#")
    assert org.token_prefix == "TICKET#"
    assert org.token_prefix_history == ("CRM:", "BW:")


def test_a_token_prefix_longer_than_twenty_characters_is_refused(crm_session: Session) -> None:
    with pytest.raises(SettingError, match="1 to 20 characters"):
        set_org_setting(crm_session, "token-prefix", "X" * 21)


def test_a_broken_smart_filter_regex_is_refused(crm_session: Session) -> None:
    with pytest.raises(SettingError, match="regular expression"):
        set_org_setting(crm_session, "smart-filter-regex", "(unclosed")


def test_stop_subjects_are_kept_folded(crm_session: Session) -> None:
    org = set_org_setting(crm_session, "smart-stop-subjects", "Hello, Thanks,  Quick   Question")
    assert set(org.smart_stop_subjects) == {"hello", "thanks", "quick question"}


def test_every_org_key_shows_as_typed(crm_session: Session) -> None:
    shown = dict(ORG_SCHEMA.show(load_org_settings(crm_session)))
    assert shown["token-prefix"] == "CRM:"
    assert shown["smart-matching"] == "off"
    assert set(shown) == set(ORG_SCHEMA.specs)
