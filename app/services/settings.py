"""The personal options dialog's values, and where the profile keeps its files."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import ProfilePaths, save_settings
from app.mailbox.personal_options import load_personal_options, set_personal_option
from app.mailbox.sync_options import load_sync_options, set_sync_option
from app.services.base import ProfileService
from app.tracking.model import PersonalOptions

UI_LANGUAGE_KEY = "ui_language"
APPEARANCE_KEY = "ui_appearance"
MARK_READ_KEY = "mark_read_after_seconds"
CONVERSATIONS_KEY = "mail_conversations"
SIGNATURE_KEY = "mail_signature"
# A message shown this long in the reading pane is marked read, as Outlook does (None: never).
DEFAULT_MARK_READ_SECONDS = 5
MAX_MARK_READ_SECONDS = 600


@dataclass(frozen=True, slots=True)
class OptionsForm:
    """Everything the personal options dialog edits, in one value."""

    tracking: PersonalOptions
    sync_interval_minutes: int
    language: str  # "system", "en" or "pl"
    appearance: str  # "system", "light" or "dark"
    mark_read_seconds: int | None = DEFAULT_MARK_READ_SECONDS
    signature: str = ""  # plain text, added to what the user writes (app.services.compose)


class SettingsService(ProfileService):
    def profile_paths(self) -> ProfilePaths:
        """Where this profile keeps its data, settings, cache and logs (the About dialog)."""
        return self.workspace.paths

    def options(self) -> OptionsForm:
        with self.workspace.local.sessions() as session:
            tracking = load_personal_options(session)
            sync = load_sync_options(session)
        settings = self.workspace.settings
        return OptionsForm(
            tracking=tracking,
            sync_interval_minutes=sync.sync_interval_minutes,
            language=str(settings.get(UI_LANGUAGE_KEY) or "system"),
            appearance=str(settings.get(APPEARANCE_KEY) or "system"),
            mark_read_seconds=_mark_read_seconds(settings.get(MARK_READ_KEY, "")),
            signature=str(settings.get(SIGNATURE_KEY) or ""),
        )

    def shows_conversations(self) -> bool:
        """The message list grouped by conversation (View > Show as conversations)."""
        return str(self.workspace.settings.get(CONVERSATIONS_KEY, "off")) == "on"

    def show_conversations(self, on: bool) -> None:
        self.workspace.settings[CONVERSATIONS_KEY] = "on" if on else "off"
        save_settings(self.workspace.paths, self.workspace.settings)

    def save_options(self, form: OptionsForm) -> None:
        """Saved locally; the next sync applies them. Nothing tracked before is untracked."""
        tracking = form.tracking
        with self.workspace.local.sessions.begin() as session:
            set_personal_option(session, "track", tracking.track.value)
            set_personal_option(session, "autocreate", tracking.autocreate.value)
            set_personal_option(session, "skip-private", "on" if tracking.skip_private else "off")
            set_personal_option(session, "track-sent", "on" if tracking.track_sent else "off")
            set_personal_option(session, "never-track", ",".join(sorted(tracking.never_track)))
            set_sync_option(session, "interval", str(form.sync_interval_minutes))
        self.workspace.settings.update(
            {
                UI_LANGUAGE_KEY: form.language,
                APPEARANCE_KEY: form.appearance,
                MARK_READ_KEY: "off"
                if form.mark_read_seconds is None
                else str(form.mark_read_seconds),
                SIGNATURE_KEY: form.signature,
            }
        )
        save_settings(self.workspace.paths, self.workspace.settings)


def _mark_read_seconds(value: object) -> int | None:
    """The setting as the settings file keeps it ("off", or whole seconds); anything else,
    a hand-edited file's typo included, is the default."""
    text = str(value).strip().lower()
    if text == "off":
        return None
    if text.isdigit() and int(text) <= MAX_MARK_READ_SECONDS:
        return int(text)
    return DEFAULT_MARK_READ_SECONDS
