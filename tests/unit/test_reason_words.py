"""`liaison explain` words a decision's reasons in English: the original by its subject and date,
records as "the account …", a record auto-created as what would happen."""

from __future__ import annotations

from datetime import datetime

from app.cli import why
from app.tracking.model import Decision, NewRecord, RecordRef, RecordType, Rule
from app.tracking.reasons import Check, Original, Reason, Scope, Why

NOW = datetime(2026, 12, 4, 10, 0)
OFFER = Original(7, "Oferta: system śledzenia floty CRM:0001001", datetime(2026, 9, 8, 7, 12))
ACME = RecordRef(RecordType.ACCOUNT, 3, "Acme Logistics Sp. z o.o.")


def decision(*reasons: Reason, track: bool = True, regarding: RecordRef | None = None) -> Decision:
    return Decision(track=track, rule=Rule.IN_REPLY_TO, reasons=reasons, regarding=regarding)


def test_a_reply_names_its_original_by_subject_and_date_then_its_regarding_record() -> None:
    words = why.evidence(decision(Reason(Why.REPLY, OFFER), regarding=ACME), NOW)

    assert words == (
        "A reply to “Oferta: system śledzenia floty CRM:0001001” of 8 September. "
        "Regarding the account Acme Logistics Sp. z o.o."
    )


def test_an_original_of_another_year_carries_its_year() -> None:
    earlier = Original(7, "Angebot Paletten", datetime(2025, 3, 3))

    assert why.words(Reason(Why.THREAD, earlier), NOW) == (
        "In the thread of “Angebot Paletten” of 3 March 2025."
    )


def test_auto_creation_says_what_would_be_created_with_no_wrong_article() -> None:
    lead = NewRecord(RecordType.LEAD, "Marta", "Lewandowska", "marta@nowafirma.pl", "Nowafirma")
    account = RecordRef(RecordType.ACCOUNT, 4, "Nowafirma")

    created = why.words(Reason(Why.CREATE_RECORD, address=lead.email, created=lead), NOW)
    in_scope = why.words(
        Reason(Why.PARTY_IN_SCOPE, record=account, address="biuro@nowafirma.pl",
               scope=Scope.CUSTOMERS),
        NOW,
    )  # fmt: skip

    assert created == (
        "Sender marta@nowafirma.pl is not in the CRM: a new lead Marta Lewandowska at Nowafirma "
        "will be created for it."
    )
    assert in_scope == (
        "Sender biuro@nowafirma.pl is the account Nowafirma; your option tracks email from CRM "
        "leads, contacts and accounts."
    )


def test_not_a_response_says_what_correlation_looked_for() -> None:
    reason = Reason(
        Why.NOT_A_RESPONSE,
        token="CRM:0009999",
        checks=(Check.REPLY_HEADERS_UNKNOWN, Check.TOKEN_UNKNOWN, Check.NO_CONVERSATION),
    )

    assert why.words(reason, NOW) == (
        "Not a response to CRM email (its In-Reply-To/References name no tracked message, token "
        "CRM:0009999 belongs to no tracked message, it has no conversation id); your option "
        "tracks only responses to CRM email."
    )


def test_every_kind_of_reason_has_words() -> None:
    lead = NewRecord(RecordType.LEAD, "Marta", "Lewandowska", "marta@nowafirma.pl")
    for kind in Why:
        reason = Reason(kind, OFFER, ACME, "biuro@acme.pl", "CRM:0001001", "@acme.pl", "Acme",
                        scope=Scope.CUSTOMERS, created=lead)  # fmt: skip
        assert why.words(reason, NOW).endswith("."), kind
