"""New email from the window: checked, then queued for the next sync to send."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.crm.search import RecordKey
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.tracking import MailboxTracking, key_text
from app.tracking.addresses import is_valid_email, parse_address_list
from app.tracking.model import Address


@dataclass(frozen=True, slots=True)
class EmailDraft:
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    regarding: RecordKey | None = None


class ComposeService(ProfileService):
    def send_email(self, draft: EmailDraft) -> str:
        """Queue the message (tracking token in the subject, tracked regarding the record);
        the next sync sends it. Returns the subject as it will be sent."""
        to = addresses(draft.to)
        if not to:
            raise ServiceError("Add at least one recipient")
        return MailboxTracking(self.workspace).send(
            to,
            draft.subject,
            draft.body,
            regarding=key_text(draft.regarding),
            cc=addresses(draft.cc),
        )


def addresses(texts: Sequence[str]) -> list[Address]:
    """Addresses as typed in a To or Cc field; a malformed one is refused in words."""
    found: list[Address] = []
    for text in texts:
        parsed = parse_address_list(text)
        if not parsed or not all(is_valid_email(address.email) for address in parsed):
            raise ServiceError(f"{text.strip()!r} is not an email address")
        found.extend(parsed)
    return found
