"""Address completion for To, Cc and Bcc: CRM records first (by name, company or address, from
the record search index the window already keeps), then the people mail came from or went to
recently (app.mailbox.models.Correspondent, the newest RECENT of them). A keystroke costs a few
milliseconds on a CRM and a mailbox of 100 000 each (bench/bench_compose.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.crm.models import EmailAddress
from app.crm.search import RecordKey
from app.mailbox.models import Correspondent
from app.services.records import RecordService
from app.tracking.addresses import normalise_email
from app.tracking.folding import fold
from app.tracking.model import Address

_CRM_HITS = 20  # records looked at per keystroke (each may have several addresses)
# Recent correspondents searched per keystroke: the newest this many (the CRM has the rest).
RECENT = 5_000


@dataclass(frozen=True, slots=True)
class AddressSuggestion:
    address: Address
    record: RecordKey | None  # the CRM record it belongs to; None: someone from the mailbox
    detail: str  # what the list shows beside it: the record's company, or "recent"


class AddressBook(RecordService):
    def complete_addresses(self, text: str, limit: int = 10) -> list[AddressSuggestion]:
        typed = " ".join(text.split())
        if not typed:
            return []
        found: list[AddressSuggestion] = []
        seen: set[str] = set()
        for suggestion in (*self._from_crm(typed), *self._from_mailbox(typed, limit)):
            key = normalise_email(suggestion.address.email)
            if key and key not in seen:
                seen.add(key)
                found.append(suggestion)
            if len(found) == limit:
                break
        return found

    def _from_crm(self, typed: str) -> list[AddressSuggestion]:
        hits = self.search_records(typed, _CRM_HITS)
        if not hits:
            return []
        with self.workspace.crm.sessions() as session:
            rows = session.execute(
                select(EmailAddress.record_id, EmailAddress.email)
                .where(EmailAddress.record_id.in_([hit.key.id for hit in hits]))
                .order_by(EmailAddress.record_id, EmailAddress.position)
            )
            emails: dict[int, list[str]] = {}
            for record_id, email in rows:
                emails.setdefault(record_id, []).append(email)
        folded = fold(typed)
        suggestions = []
        for hit in hits:
            for email in emails.get(hit.key.id, []):
                # A record found by its name offers every address; one found by an address,
                # only the addresses that begin with what was typed.
                if "@" in folded and not fold(email).startswith(folded):
                    continue
                suggestions.append(AddressSuggestion(Address(email, hit.name), hit.key, hit.detail))
        return suggestions

    def _from_mailbox(self, typed: str, limit: int) -> list[AddressSuggestion]:
        """People of the mailbox whose name has a word, or whose address, beginning with what
        was typed (every word of it)."""
        words = [_like(word) for word in fold(typed).split()]
        recent = (
            select(Correspondent.email, Correspondent.name, Correspondent.folded)
            .where(Correspondent.account == (self.account_address() or ""))
            .order_by(Correspondent.last_at.desc())
            .limit(RECENT)
            .subquery()
        )
        searched = " " + recent.c.folded
        with self.workspace.local.sessions() as session:
            rows = session.execute(
                select(recent.c.email, recent.c.name)
                .where(*(searched.like(f"% {word}%", escape="\\") for word in words))
                .limit(limit)
            )
            return [
                AddressSuggestion(Address(email, display), None, "recent")
                for email, display in rows
            ]


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
