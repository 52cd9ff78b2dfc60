"""The user's sync options, kept beside the personal tracking options in the local state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.keyed_settings import (
    SettingError,
    SettingSpec,
    SettingsSchema,
    int_between,
    parse_switch,
    store_value,
)
from app.mailbox.models import PersonalSetting

DEFAULT_TRACKING_CATEGORY = "Tracked to Liaison"
DEFAULT_FAILED_CATEGORY = "Could not track"


@dataclass(frozen=True, slots=True)
class SyncOptions:
    sync_interval_minutes: int = 5
    tracking_category: str = DEFAULT_TRACKING_CATEGORY
    failed_category: str = DEFAULT_FAILED_CATEGORY
    streaming: bool = True  # wait for the server's notifications between scheduled syncs


def _category(text: str) -> str:
    name = " ".join(text.split())
    if not 1 <= len(name) <= 255:
        raise SettingError("a category name has 1 to 255 characters")
    if "," in name or ";" in name:
        raise SettingError("a category name cannot contain a comma or a semicolon")
    return name


SYNC_SCHEMA = SettingsSchema(
    SyncOptions,
    [
        SettingSpec(
            "interval", "sync_interval_minutes", int_between(1, 1440), "minutes between syncs"
        ),
        SettingSpec(
            "tracking-category", "tracking_category", _category, "category of tracked mail"
        ),
        SettingSpec(
            "failed-category", "failed_category", _category, "category of mail that failed to track"
        ),
        SettingSpec("streaming", "streaming", parse_switch, "new mail within seconds"),
    ],
)


def load_sync_options(session: Session) -> SyncOptions:
    names = [spec.field for spec in SYNC_SCHEMA.specs.values()]
    stored = {
        row.key: row.value
        for row in session.scalars(select(PersonalSetting).where(PersonalSetting.key.in_(names)))
    }
    return SYNC_SCHEMA.build(stored, {})


def set_sync_option(session: Session, key: str, text: str) -> SyncOptions:
    field, value = SYNC_SCHEMA.parse(key, text)
    store_value(session, PersonalSetting, field, value)
    session.flush()
    return load_sync_options(session)
