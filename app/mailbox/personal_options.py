"""The user's personal tracking options, kept in the local state of the profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.keyed_settings import (
    SettingError,
    SettingSpec,
    SettingsSchema,
    comma_list,
    one_of,
    parse_switch,
    store_value,
)
from app.mailbox.models import PersonalSetting
from app.tracking.addresses import normalise_email
from app.tracking.model import AutoCreate, PersonalOptions, TrackOption


def _never_track_entry(text: str) -> str:
    entry = text.strip()
    if not entry:
        return ""
    if entry.startswith("@"):
        domain = entry[1:].strip().lower()
        if not domain or "@" in domain or "." not in domain:
            raise SettingError(f"{entry!r} is not a domain like @example.com")
        return "@" + domain
    normalized = normalise_email(entry)
    if "@" not in normalized:
        raise SettingError(f"{entry!r} is neither an address nor a @domain")
    return normalized


PERSONAL_SCHEMA = SettingsSchema(
    PersonalOptions,
    [
        SettingSpec("track", "track", one_of(option.value for option in TrackOption), "which mail"),
        SettingSpec(
            "autocreate",
            "autocreate",
            one_of(option.value for option in AutoCreate),
            "unknown senders",
        ),
        SettingSpec("skip-private", "skip_private", parse_switch, "private and confidential mail"),
        SettingSpec("track-sent", "track_sent", parse_switch, "also evaluate sent items"),
        SettingSpec(
            "track-new-email",
            "track_new_email",
            parse_switch,
            "track email you write in Liaison unless you untick Track",
        ),
        SettingSpec(
            "never-track", "never_track", comma_list(_never_track_entry), "addresses and @domains"
        ),
    ],
)

_COERCE: dict[str, Any] = {
    "track": TrackOption,
    "autocreate": AutoCreate,
    "never_track": frozenset,
}


def load_personal_options(session: Session) -> PersonalOptions:
    stored = {row.key: row.value for row in session.scalars(select(PersonalSetting))}
    return PERSONAL_SCHEMA.build(stored, _COERCE)


def set_personal_option(session: Session, key: str, text: str) -> PersonalOptions:
    field, value = PERSONAL_SCHEMA.parse(key, text)
    store_value(session, PersonalSetting, field, value)
    session.flush()
    return load_personal_options(session)
