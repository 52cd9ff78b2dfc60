"""Organisation settings: tracking-token format and correlation switches, shared by the team."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.models import OrgSetting
from app.keyed_settings import (
    SettingError,
    SettingSpec,
    SettingsSchema,
    comma_list,
    int_between,
    parse_regex,
    parse_switch,
    store_value,
)
from app.tracking.model import OrgSettings


def _parse_prefix(text: str) -> str:
    prefix = text.strip()
    if not 1 <= len(prefix) <= 20:
        raise SettingError("a token prefix has 1 to 20 characters")
    if any(char.isspace() for char in prefix) or any(char.isdigit() for char in prefix[-1:]):
        raise SettingError("a token prefix has no spaces and does not end in a digit")
    return prefix


ORG_SCHEMA = SettingsSchema(
    OrgSettings,
    [
        SettingSpec("token-prefix", "token_prefix", _parse_prefix, "text before the token digits"),
        SettingSpec("token-base", "token_base", int_between(0, 999_999), "deployment base number"),
        SettingSpec(
            "token-user-digits", "token_user_digits", int_between(1, 6), "digits of the user number"
        ),
        SettingSpec(
            "token-counter-digits",
            "token_counter_digits",
            int_between(1, 9),
            "digits of the message counter",
        ),
        SettingSpec(
            "correlate-in-reply-to", "correlate_in_reply_to", parse_switch, "In-Reply-To/References"
        ),
        SettingSpec(
            "correlate-token", "correlate_token", parse_switch, "tracking token in the subject"
        ),
        SettingSpec(
            "correlate-conversation",
            "correlate_conversation",
            parse_switch,
            "Exchange conversation",
        ),
        SettingSpec(
            "correlate-unrelated-forwards",
            "correlate_unrelated_forwards",
            parse_switch,
            "correlate forwards that share no address with the original",
        ),
        SettingSpec(
            "track-new-email",
            "track_new_email",
            parse_switch,
            "email written in Liaison is tracked unless the writer unticks Track",
        ),
        SettingSpec("smart-matching", "smart_matching", parse_switch, "subject and addresses"),
        SettingSpec(
            "smart-min-addresses", "smart_min_addresses", int_between(1, 20), "shared addresses"
        ),
        SettingSpec(
            "smart-max-words", "smart_max_words", int_between(1, 100), "subject words compared"
        ),
        SettingSpec(
            "smart-subject-delta",
            "smart_subject_delta",
            int_between(0, 10),
            "subject words that may differ",
        ),
        SettingSpec(
            "smart-filter-regex", "smart_filter_regex", parse_regex, "subject prefix filter"
        ),
        SettingSpec(
            "smart-stop-subjects",
            "smart_stop_subjects",
            comma_list(lambda text: " ".join(text.split()).casefold()),
            "subjects that never match",
        ),
    ],
)

_COERCE: dict[str, Any] = {
    "smart_stop_subjects": tuple,
    "token_prefix_history": tuple,
}
PREFIX_HISTORY_KEY = "token_prefix_history"


def load_org_settings(session: Session) -> OrgSettings:
    stored = {row.key: row.value for row in session.scalars(select(OrgSetting))}
    return ORG_SCHEMA.build(stored, _COERCE)


def set_org_setting(session: Session, key: str, text: str) -> OrgSettings:
    """Change one setting; a new token prefix keeps the old one recognised."""
    field, value = ORG_SCHEMA.parse(key, text)
    current = load_org_settings(session)
    if field == "token_prefix" and value != current.token_prefix:
        history = [prefix for prefix in current.token_prefix_history if prefix != value]
        history.append(current.token_prefix)
        store_value(session, OrgSetting, PREFIX_HISTORY_KEY, history)
    store_value(session, OrgSetting, field, value)
    session.flush()
    return load_org_settings(session)
