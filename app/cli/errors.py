"""Errors a command reports as one line on stderr with exit code 2."""

from __future__ import annotations

from app.config import SettingsError
from app.crm.errors import CrmError
from app.crm.fields import InvalidValues
from app.db.engine import DatabaseError
from app.keyed_settings import SettingError
from app.mailbox.mime import MessageFormatError
from app.secrets import SecretStoreUnavailable
from app.services.errors import ServiceError

USAGE_ERROR = 2

# Everything a user can cause by what they type or the files they point at.
USER_ERRORS: tuple[type[Exception], ...] = (
    CrmError,
    DatabaseError,
    InvalidValues,
    MessageFormatError,
    SecretStoreUnavailable,
    ServiceError,
    SettingError,
    SettingsError,
)


class CommandError(Exception):
    """A command cannot do what was asked; the message says why."""
